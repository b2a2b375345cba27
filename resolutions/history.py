"""Turns django-simple-history rows into a timeline a person can read: who, when, which fields,
old value -> new value."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import Evidence, ImplementationStatus, NationalAction

# Bookkeeping fields that change on every save and say nothing to a reader.
IGNORED = {"version", "updated_at", "created_at", "id", "sha256", "file"}


# Change reasons set by actions.changes_from(): where a change came from, said after the summary.
SOURCES = {"workbook": _lazy("(from the workbook)"), "api": _lazy("(through the API)")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    summary: str
    changes: list[Change] = field(default_factory=list)


def _display(model, name, value) -> str:
    model_field = model._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _entries(records, model, subject: str, shown_on_creation=()) -> list[HistoryEntry]:
    entries = []
    previous = None
    for record in records:
        who = str(record.history_user) if record.history_user else _("system")
        if record.history_type == "+":
            summary = _("%(subject)s created") % {"subject": subject}
        elif record.history_type == "-":
            summary = _("%(subject)s deleted") % {"subject": subject}
        else:
            summary = _("%(subject)s changed") % {"subject": subject}
        changes = []
        if record.history_type == "+":
            changes = [
                Change(
                    field=str(model._meta.get_field(name).verbose_name),
                    old="—",
                    new=_display(model, name, getattr(record, name)),
                )
                for name in shown_on_creation
                if getattr(record, name)
            ]
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=IGNORED)
            changes = [
                Change(
                    field=str(model._meta.get_field(c.field).verbose_name),
                    old=_display(model, c.field, c.old),
                    new=_display(model, c.field, c.new),
                )
                for c in delta.changes
            ]
            if not changes:
                previous = record
                continue
        source = SOURCES.get(getattr(record, "history_change_reason", "") or "")
        if source:
            summary = f"{summary} {source}"
        entries.append(HistoryEntry(record.history_date, who, summary, changes))
        previous = record
    return entries


def action_timeline(action: NationalAction) -> list[HistoryEntry]:
    """The action's own changes and its evidence added or removed, newest first."""
    records = action.history.select_related("history_user").order_by("history_date")
    entries = _entries(records, NationalAction, _("Action"))
    evidence_records = (
        Evidence.history.filter(action_id=action.pk)
        .select_related("history_user")
        .order_by("history_date")
    )
    for record in evidence_records:
        if record.history_type in {"+", "-"}:
            entries += _entries([record], Evidence, _("Evidence “%s”") % record.title)
    return sorted(entries, key=lambda e: e.when, reverse=True)


def status_timeline(status: ImplementationStatus) -> list[HistoryEntry]:
    # Asked even for a status never saved (it finds nothing): the commitment page then makes
    # the same number of queries whether or not the nation has saved one.
    records = (
        ImplementationStatus.history.filter(id=status.pk)
        .select_related("history_user")
        .order_by("history_date")
    )
    return sorted(
        _entries(records, ImplementationStatus, _("Status"), ("status", "justification")),
        key=lambda e: e.when,
        reverse=True,
    )
