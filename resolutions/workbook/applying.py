"""The database side of an upload: the nation's current state as plain data for planning.py,
and a plan saved through actions.py in one transaction, recorded as coming from the workbook."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import actions
from ..actions import ACTION_FIELDS
from ..models import ActionRevision, Commitment, ImplementationStatus, NationalAction
from . import layout
from .planning import CREATE, REVISE, ActionNow, Current, Plan, StatusNow


class ApplyFailed(Exception):
    """A row could not be saved; the whole transaction was rolled back."""


def current_state(member, language: str) -> Current:
    """Every commitment a workbook may name (all resolutions: a workbook of one resolution
    names only its own, and any known reference is accepted), the nation's actions and
    statuses. Four queries whatever the size."""
    commitments = Commitment.objects.select_related("resolution").only(
        "id", "label", "resolution__number", "resolution__document_type"
    )
    with override(language):
        references = {layout.commitment_reference(c): c.pk for c in commitments}
    national_actions = {
        a.pk: ActionNow(
            id=a.pk,
            commitment_id=a.commitment_id,
            version=a.version,
            review_state=a.review_state,
            values={name: getattr(a, name) for name in ACTION_FIELDS},
            has_revision=a.has_revision,
        )
        for a in NationalAction.objects.filter(member=member).annotate(
            has_revision=Exists(ActionRevision.objects.filter(action=OuterRef("pk")))
        )
    }
    statuses = {
        s.commitment_id: StatusNow(s.status, s.justification, s.version)
        for s in ImplementationStatus.objects.filter(member=member)
    }
    return Current(
        commitments=references,
        actions=national_actions,
        statuses=statuses,
        choices=layout.choice_readers(language),
    )


def apply_plan(plan: Plan, member, *, by) -> int:
    """Saves every created, updated and revised row, or nothing; returns how many were saved."""
    rows = plan.changes
    commitments = Commitment.objects.in_bulk({r.commitment_id for r in rows})
    try:
        with transaction.atomic(), actions.changes_from("workbook"):
            for row in rows:
                _apply_row(row, commitments[row.commitment_id], member, by)
    except (actions.StaleEdit, actions.NotEditable, ValidationError) as error:
        raise ApplyFailed(
            _("Row %(row)d of “%(sheet)s” could not be saved (%(error)s); nothing was saved.")
            % {"row": row.row, "sheet": row.sheet, "error": _say(error)}
        ) from error
    return len(rows)


def _apply_row(row, commitment, member, by):
    if row.sheet == "statuses":
        actions.set_status(
            commitment,
            member,
            row.values["status"],
            row.values["justification"],
            version=row.version,
            by=by,
        )
    elif row.outcome == CREATE:
        actions.create_action(commitment, member, row.values, by=by)
    elif row.outcome == REVISE:
        actions.revise_action(NationalAction(pk=row.target), row.values, version=row.version, by=by)
    else:
        actions.update_action(NationalAction(pk=row.target), row.values, version=row.version, by=by)


def _say(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
