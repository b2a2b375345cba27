"""Turns django-simple-history rows into a timeline a person can read, in plain language and
local time: "Submitted for review on 29 Nov 2026, 07:33 by Claire Tremblay", then the fields that
changed under their labels, choices as words."""

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import Evidence, ImplementationStatus, NationalAction

# Bookkeeping fields that change on every save and say nothing to a reader; the review fields
# are said by the entry's summary ("Returned for revision … by Sam Secretary") instead.
IGNORED = {
    "version", "updated_at", "created_at", "id", "sha256", "file", "pending",
    "review_state", "submitted_at", "reviewed_at", "reviewed_by", "set_by", "author",
    "added_by",
}  # fmt: skip
State = NationalAction.ReviewState
REVIEW_SUMMARIES = {
    (State.SUBMITTED, State.DRAFT): lambda: _("Withdrawn (back to draft)"),
    (State.SUBMITTED, State.ACCEPTED): lambda: _("Accepted by the secretariat"),
    (State.SUBMITTED, State.RETURNED): lambda: _("Returned for revision"),
    (State.DRAFT, State.SUBMITTED): lambda: _("Submitted for review"),
    (State.RETURNED, State.SUBMITTED): lambda: _("Submitted for review again"),
}


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
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j M Y")
    return str(value)


def _label(model, name) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _who(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def _summary(record, previous, subject: str) -> str:
    """What happened, in words: the review step when the review state moved, else a change."""
    if record.history_type == "+":
        return _("%(subject)s created") % {"subject": subject}
    if record.history_type == "-":
        return _("%(subject)s deleted") % {"subject": subject}
    if getattr(record, "history_change_reason", "") == "revision accepted":
        return _("Revision accepted by the secretariat")
    before = getattr(previous, "review_state", None)
    after = getattr(record, "review_state", None)
    if before is not None and before != after and (before, after) in REVIEW_SUMMARIES:
        return REVIEW_SUMMARIES[(before, after)]()
    return _("%(subject)s changed") % {"subject": subject}


def _entries(records, model, subject: str, shown_on_creation=()) -> list[HistoryEntry]:
    entries = []
    previous = None
    for record in records:
        who = _who(record.history_user)
        summary = _summary(record, previous, subject)
        review_step = previous is not None and getattr(previous, "review_state", None) != getattr(
            record, "review_state", None
        )
        changes = []
        if record.history_type == "+":
            changes = [
                Change(
                    field=_label(model, name),
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
                    field=_label(model, c.field),
                    old=_display(model, c.field, c.old),
                    new=_display(model, c.field, c.new),
                )
                for c in delta.changes
            ]
            if (
                not changes
                and not review_step
                and summary == _("%(subject)s changed") % {"subject": subject}
            ):
                previous = record
                continue
        source = SOURCES.get(getattr(record, "history_change_reason", "") or "")
        if source:
            summary = f"{summary} {source}"
        entries.append(HistoryEntry(record.history_date, who, summary, changes))
        previous = record
    return entries


def action_timeline(action: NationalAction, shown_evidence=None) -> list[HistoryEntry]:
    """The action's own changes and its evidence added or removed, newest first. With
    `shown_evidence` (the ids a reader outside the delegation may see), evidence that was
    added while awaiting review appears only once it was reviewed."""
    records = action.history.select_related("history_user").order_by("history_date")
    entries = _entries(records, NationalAction, _("Action"))
    evidence_records = (
        Evidence.history.filter(action_id=action.pk)
        .select_related("history_user")
        .order_by("history_date")
    )
    for record in evidence_records:
        if shown_evidence is not None and record.pending and record.id not in shown_evidence:
            continue
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
