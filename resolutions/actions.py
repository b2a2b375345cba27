"""Every change to national actions, evidence and implementation statuses goes through here:
atomic, checked against the version the editor started from, and recorded in the history with
who made it. Views, commands and tasks call these; they do not save models themselves."""

import contextlib
import contextvars

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import uploads
from .models import Commitment, Evidence, ImplementationStatus, Member, NationalAction

ACTION_FIELDS = ["title", "description", "action_type", "actor", "date", "stage"]


class StaleEdit(Exception):
    """Someone saved a newer version since this edit began; `current` holds it."""

    def __init__(self, current):
        super().__init__(_("Someone else saved a newer version in the meantime."))
        self.current = current


class NotEditable(Exception):
    """The action waits for review or was accepted; it cannot change now."""


# Where a change came from when not from the pages ("workbook", "api"): kept in each history
# row's change reason, so the history can say "from the workbook".
_source: contextvars.ContextVar[str] = contextvars.ContextVar("change_source", default="")


@contextlib.contextmanager
def changes_from(source: str):
    """Every change made inside is recorded as coming from `source` (a SOURCES key)."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def _save(obj, by, **kwargs):
    obj._history_user = by  # recorded as the author of this history row
    if _source.get():
        obj._change_reason = _source.get()
    obj.save(**kwargs)


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- National actions ------------------------------------------------------------------------


@transaction.atomic
def create_action(commitment: Commitment, member: Member, values: dict, *, by) -> NationalAction:
    action = NationalAction(commitment=commitment, member=member, author=by)
    for name in ACTION_FIELDS:
        setattr(action, name, values[name])
    _save(action, by)
    return action


@transaction.atomic
def update_action(action: NationalAction, values: dict, *, version: int, by) -> NationalAction:
    """Saves `values` if nobody saved since `version`; raises StaleEdit otherwise."""
    current = _locked(NationalAction, action.pk)
    if current.version != version:
        raise StaleEdit(current)
    if not current.is_editable_state:
        raise NotEditable(_("This action is waiting for review and cannot be changed now."))
    for name in ACTION_FIELDS:
        setattr(current, name, values[name])
    current.version += 1
    _save(current, by)
    return current


@transaction.atomic
def submit_action(action: NationalAction, *, by) -> NationalAction:
    """A draft (or an action returned for revision) goes to the secretariat for review."""
    current = _locked(NationalAction, action.pk)
    if not current.is_editable_state:
        raise NotEditable(_("This action has already been submitted."))
    current.review_state = NationalAction.ReviewState.SUBMITTED
    current.submitted_at = timezone.now()
    current.version += 1
    _save(current, by)
    return current


@transaction.atomic
def delete_action(action: NationalAction, *, by) -> None:
    current = _locked(NationalAction, action.pk)
    if not current.is_editable_state:
        raise NotEditable(_("Submitted and accepted actions cannot be deleted."))
    for evidence in current.evidence.all():
        delete_evidence(evidence, by=by)
    current._history_user = by
    current.delete()


# --- Evidence --------------------------------------------------------------------------------


def _check_action_open(action: NationalAction):
    if not action.is_editable_state:
        raise NotEditable(_("Evidence cannot be changed while the action waits for review."))


@transaction.atomic
def add_evidence_file(action: NationalAction, uploaded, details: dict, *, by) -> Evidence:
    """Checks the file (type, size, disguises), refuses the same file twice on one action, and
    stores it under a generated name."""
    _check_action_open(action)
    checked = uploads.check_evidence_file(uploaded, max_bytes=settings.EVIDENCE_MAX_BYTES)
    if action.evidence.filter(sha256=checked.sha256).exists():
        raise ValidationError(_("This file is already attached to this action."), code="duplicate")
    evidence = Evidence(
        action=action,
        kind=Evidence.Kind.FILE,
        title=details.get("title") or checked.name,
        date=details.get("date"),
        language=details.get("language", ""),
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        added_by=by,
    )
    stored = default_storage.save(uploads.storage_name(checked), uploaded)
    evidence.file.name = stored
    try:
        _save(evidence, by)
    except Exception:
        default_storage.delete(stored)  # the row was not saved: do not leave its file behind
        raise
    return evidence


@transaction.atomic
def add_evidence_link(action: NationalAction, url: str, details: dict, *, by) -> Evidence:
    _check_action_open(action)
    url = uploads.check_evidence_url(url)
    evidence = Evidence(
        action=action,
        kind=Evidence.Kind.LINK,
        url=url,
        title=details.get("title") or url,
        date=details.get("date"),
        language=details.get("language", ""),
        added_by=by,
    )
    _save(evidence, by)
    return evidence


@transaction.atomic
def delete_evidence(evidence: Evidence, *, by) -> None:
    _check_action_open(evidence.action)
    name = evidence.file.name
    evidence._history_user = by
    evidence.delete()
    if name:
        # Only once the row is surely gone; a rolled-back delete keeps its file.
        transaction.on_commit(lambda: default_storage.delete(name))


# --- Implementation status -------------------------------------------------------------------


def status_of(commitment: Commitment, member: Member) -> ImplementationStatus:
    """The saved status, or an unsaved "no information" one (version 0)."""
    found = ImplementationStatus.objects.filter(commitment=commitment, member=member).first()
    return found or ImplementationStatus(
        commitment=commitment,
        member=member,
        status=ImplementationStatus.Status.NO_INFORMATION,
        version=0,
    )


@transaction.atomic
def set_status(
    commitment: Commitment,
    member: Member,
    status: str,
    justification: str,
    *,
    version: int,
    by,
) -> ImplementationStatus:
    """Sets a nation's status on a commitment if nobody changed it since `version` (0 when the
    editor saw no status yet)."""
    if status not in ImplementationStatus.Status.values:
        raise ValidationError(_("Unknown status."), code="invalid_status")
    if status in ImplementationStatus.NEEDS_JUSTIFICATION and not justification.strip():
        raise ValidationError(
            _("Say why: a justification is required for this status."), code="justification"
        )
    current = (
        ImplementationStatus.objects.select_for_update()
        .filter(commitment=commitment, member=member)
        .first()
    )
    if current is None:
        current = ImplementationStatus(commitment=commitment, member=member, version=0)
    if current.version != version:
        raise StaleEdit(current)
    current.status = status
    current.justification = justification.strip()
    current.set_by = by
    current.version += 1
    try:
        with transaction.atomic():
            _save(current, by)
    except IntegrityError as error:
        # Another editor created the first status at the same moment.
        raise StaleEdit(status_of(commitment, member)) from error
    return current


# --- Review by the secretariat ---------------------------------------------------------------


def _review(action: NationalAction, state: str, comment: str, by) -> NationalAction:
    current = _locked(NationalAction, action.pk)
    if current.review_state != NationalAction.ReviewState.SUBMITTED:
        raise NotEditable(_("This action is no longer waiting for review."))
    current.review_state = state
    current.review_comment = comment
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.version += 1
    _save(current, by)
    return current


@transaction.atomic
def accept_action(action: NationalAction, *, by, comment: str = "") -> NationalAction:
    return _review(action, NationalAction.ReviewState.ACCEPTED, comment.strip(), by)


@transaction.atomic
def return_action(action: NationalAction, comment: str, *, by) -> NationalAction:
    """Sends the action back to its delegation with a comment saying what to change."""
    if not comment.strip():
        raise ValidationError(
            _("Say what the delegation should change: a comment is required."), code="comment"
        )
    return _review(action, NationalAction.ReviewState.RETURNED, comment.strip(), by)
