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
from .models import (
    ActionRevision,
    Commitment,
    Evidence,
    ImplementationStatus,
    Member,
    NationalAction,
    ReportingRound,
)

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
    if current.review_state == NationalAction.ReviewState.ACCEPTED:
        raise NotEditable(_("This action was accepted: propose a revision instead."))
    if not current.is_editable_state:
        raise NotEditable(_("This action is waiting for review: withdraw it first to change it."))
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
def withdraw_action(action: NationalAction, *, by) -> NationalAction:
    """A submitted action goes back to its delegation as a draft, until the secretariat has
    reviewed it. Evidence added while it waited is part of the draft again."""
    current = _locked(NationalAction, action.pk)
    if current.review_state != NationalAction.ReviewState.SUBMITTED:
        raise NotEditable(_("Only an action waiting for review can be withdrawn."))
    current.review_state = NationalAction.ReviewState.DRAFT
    current.submitted_at = None
    current.version += 1
    _save(current, by)
    _mark_evidence_reviewed(current)
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


def _evidence_pending(action: NationalAction, by) -> bool:
    """Evidence added to a submitted or accepted action waits for review. On an accepted
    action it travels with a revision (opened here with the accepted values when there is
    none), so the secretariat reviews it in the queue like any other change."""
    action = _locked(NationalAction, action.pk)
    if action.is_editable_state:
        return False
    if action.review_state == NationalAction.ReviewState.ACCEPTED:
        revision = ActionRevision.objects.filter(action=action).first()
        if revision is None:
            values = {name: getattr(action, name) for name in ACTION_FIELDS}
            _new_revision(action, values, by)
        elif revision.state == ActionRevision.State.RETURNED:
            _resubmit_revision(revision, by)
    return True


def _mark_evidence_reviewed(action: NationalAction) -> None:
    # One row at a time (not update()): django-simple-history records only saves.
    for evidence in action.evidence.filter(pending=True):
        evidence.pending = False
        evidence.save(update_fields=["pending"])


@transaction.atomic
def add_evidence_file(action: NationalAction, uploaded, details: dict, *, by) -> Evidence:
    """Checks the file (type, size, disguises), refuses the same file twice on one action, and
    stores it under a generated name."""
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
        pending=_evidence_pending(action, by),
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
    url = uploads.check_evidence_url(url)
    evidence = Evidence(
        action=action,
        kind=Evidence.Kind.LINK,
        url=url,
        title=details.get("title") or url,
        date=details.get("date"),
        language=details.get("language", ""),
        added_by=by,
        pending=_evidence_pending(action, by),
    )
    _save(evidence, by)
    return evidence


@transaction.atomic
def delete_evidence(evidence: Evidence, *, by) -> None:
    """Drafts and returned actions lose evidence freely; on a submitted or accepted action only
    evidence still awaiting review can be taken back (what was reviewed stays)."""
    if not (evidence.action.is_editable_state or evidence.pending):
        raise NotEditable(_("Reviewed evidence cannot be removed from a submitted action."))
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
    _mark_evidence_reviewed(current)
    _notify(current, state, comment)
    return current


def _notify(action: NationalAction, decision: str, comment: str) -> None:
    """The delegation hears at once, once the decision is committed (tasks.send_review_notice)."""
    from .jobs import queue_on_commit
    from .tasks import send_review_notice  # tasks import the digests, which import this module

    # Lost without harm if the broker is away (the digest lists returned actions too): a
    # decision that was saved never answers 500 because of the notice.
    queue_on_commit(send_review_notice, action.pk, decision, comment)


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


# --- Revisions of accepted actions ------------------------------------------------------------


def _new_revision(action: NationalAction, values: dict, by) -> ActionRevision:
    # A revision's versions count on from its action's, so that the two never share a number:
    # an edit made from the action's version is refused once a revision is open, instead of
    # landing on a revision that happens to have reached the same number.
    revision = ActionRevision(
        action=action,
        base_version=action.version,
        version=action.version + 1,
        author=by,
        submitted_at=timezone.now(),
    )
    for name in ACTION_FIELDS:
        setattr(revision, name, values[name])
    _save(revision, by)
    return revision


def _resubmit_revision(revision: ActionRevision, by) -> None:
    revision.state = ActionRevision.State.PENDING
    revision.submitted_at = timezone.now()
    revision.version += 1
    _save(revision, by)


@transaction.atomic
def revise_action(action: NationalAction, values: dict, *, version: int, by) -> ActionRevision:
    """Proposes new values for an accepted action. The action keeps its accepted content for
    everyone else until the secretariat accepts the revision. `version` is the action's
    version when there is no revision yet, and the revision's own version when the editor was
    changing one (a returned revision saved again goes back for review)."""
    current = _locked(NationalAction, action.pk)
    if current.review_state != NationalAction.ReviewState.ACCEPTED:
        raise NotEditable(_("Only an accepted action is revised; edit this one directly."))
    revision = ActionRevision.objects.select_for_update().filter(action=current).first()
    if revision is None:
        if current.version != version:
            raise StaleEdit(current)
        return _new_revision(current, values, by)
    if revision.version != version:
        raise StaleEdit(revision)
    for name in ACTION_FIELDS:
        setattr(revision, name, values[name])
    revision.author = by
    _resubmit_revision(revision, by)
    return revision


@transaction.atomic
def discard_revision(revision: ActionRevision, *, by) -> None:
    """The delegation takes its proposed revision back; evidence that came with it goes too."""
    revision = _locked(ActionRevision, revision.pk)
    for evidence in revision.action.evidence.filter(pending=True):
        delete_evidence(evidence, by=by)
    revision._history_user = by
    revision.delete()


@transaction.atomic
def accept_revision(revision: ActionRevision, *, by, comment: str = "") -> NationalAction:
    """Copies the revision's values onto the action, in one transaction with the action's
    history row (who accepted, which fields changed), and removes the revision."""
    revision = _locked(ActionRevision, revision.pk)
    if revision.state != ActionRevision.State.PENDING:
        raise NotEditable(_("This revision is no longer waiting for review."))
    action = _locked(NationalAction, revision.action_id)
    if action.version != revision.base_version:
        raise NotEditable(
            _("The action changed after this revision was written; ask for a new revision.")
        )
    for name in ACTION_FIELDS:
        setattr(action, name, getattr(revision, name))
    action.review_comment = comment.strip()
    action.reviewed_by = by
    action.reviewed_at = timezone.now()
    action.version += 1
    action._change_reason = "revision accepted"
    _save(action, by)
    _mark_evidence_reviewed(action)
    revision._history_user = by
    revision.delete()
    _notify(action, "revision_accepted", comment.strip())
    return action


@transaction.atomic
def return_revision(revision: ActionRevision, comment: str, *, by) -> ActionRevision:
    """Sends a revision back with a comment; the action stays as accepted meanwhile."""
    if not comment.strip():
        raise ValidationError(
            _("Say what the delegation should change: a comment is required."), code="comment"
        )
    revision = _locked(ActionRevision, revision.pk)
    if revision.state != ActionRevision.State.PENDING:
        raise NotEditable(_("This revision is no longer waiting for review."))
    revision.state = ActionRevision.State.RETURNED
    revision.review_comment = comment.strip()
    revision.version += 1
    _save(revision, by)
    _notify(revision.action, "revision_returned", comment.strip())
    return revision


# --- Reporting rounds -------------------------------------------------------------------------


@transaction.atomic
def close_round(round_: ReportingRound, *, by) -> ReportingRound:
    """Closes a round and fixes its report as of now (rounds.take_snapshot says why a
    snapshot). Closing twice changes nothing."""
    from .rounds import take_snapshot

    current = _locked(ReportingRound, round_.pk)
    if current.closed_at is not None:
        raise NotEditable(_("This round is already closed."))
    current.snapshot = take_snapshot(current)
    current.is_open = False
    current.closed_at = timezone.now()
    current.closed_by = by
    current.save()
    return current
