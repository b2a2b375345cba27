"""What changed between two versions of a national action, in the users' words: field labels,
choices as words, dates as dates. Pure: it compares plain values."""

import datetime
from dataclasses import dataclass

from django.utils import formats

from .models import NationalAction

FIELDS = ("title", "description", "action_type", "actor", "date", "stage")


# Each choice field's labels by value (lazy, so in the reader's language): Django's
# get_FOO_display() builds this dictionary again on every call.
CHOICES = {
    name: dict(NationalAction._meta.get_field(name).flatchoices)
    for name in FIELDS
    if NationalAction._meta.get_field(name).choices
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


def shown(name: str, value) -> str:
    """A value as a reader sees it: "—" for nothing, a choice's label, a date in words."""
    if value in (None, ""):
        return "—"
    if name in CHOICES:
        return str(CHOICES[name].get(value, value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j M Y")
    return str(value)


def values_of(obj) -> dict:
    """The compared fields of an action, a revision or a history row."""
    return {name: getattr(obj, name) for name in FIELDS}


def compare(old: dict, new: dict) -> list[FieldChange]:
    changes = []
    for name in FIELDS:
        if old.get(name) != new.get(name):
            label = str(NationalAction._meta.get_field(name).verbose_name)
            changes.append(
                FieldChange(
                    label[:1].upper() + label[1:],
                    shown(name, old.get(name)),
                    shown(name, new.get(name)),
                )
            )
    return changes
