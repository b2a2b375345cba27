"""Who may see and change what: the one place that decides.

Views never filter by role or delegation themselves; they ask here. An object a user may not see
or change is answered with 404, not 403, so that nothing about it leaks (another nation's draft
must not be provably there).

Which rows a person may read is written once, on the models' querysets
(`NationalAction.objects.visible_to(user)`, `Evidence.objects.visible_to(user)`, …), so that it
chains with the querysets' other verbs (`.for_member(m)`, `.accepted()`); the functions here are
built on them.
"""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    ActionRevision,
    Commitment,
    Evidence,
    ExportJob,
    Member,
    NationalAction,
    ReportingRound,
    Resolution,
    User,
)
from .models.followup import evidence_visibility


def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_administrator


def is_secretary(user) -> bool:
    return user.is_authenticated and user.role == User.Role.SECRETARY


def is_editor(user) -> bool:
    return (
        user.is_authenticated and user.role == User.Role.EDITOR and user.delegation_id is not None
    )


def own_member_id(user) -> int | None:
    """The nation a delegation editor works for; None for everyone else."""
    return user.own_member_id if user.is_authenticated else None


def can_import_resolutions(user) -> bool:
    """Secretaries and administrators bring new resolutions in."""
    return is_administrator(user) or is_secretary(user)


def can_edit_for_member(user, member: Member) -> bool:
    """Actions, evidence and statuses of a nation are changed by its delegation's editors (and
    administrators)."""
    return is_administrator(user) or own_member_id(user) == member.pk


# --- Resolutions and commitments: public texts, read by every signed-in user ---------------


def visible_resolutions(user):
    return Resolution.objects.visible_to(user)


def get_resolution_for_user(user, document_type: str, number: int) -> Resolution:
    """The resolution, or 404 when it does not exist or the user may not read it."""
    if document_type not in Resolution.DocumentType.values:
        raise Http404
    return get_object_or_404(
        visible_resolutions(user).select_related("committee", "session"),
        document_type=document_type,
        number=number,
    )


def get_resolution_by_pk_for_user(user, pk: int) -> Resolution:
    """The resolution by id, or 404 when it does not exist or the user may not read it."""
    return get_object_or_404(
        visible_resolutions(user).select_related("committee").defer("original_text"), pk=pk
    )


def get_commitment_for_user(user, pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.visible_to(user).select_related("resolution__committee", "clause"),
        pk=pk,
    )


def get_member_for_user(user, code: str, *, write: bool = False) -> Member:
    """A nation by ISO code; with `write`, only one whose records the user may change."""
    if not user.is_authenticated:
        raise Http404
    # An editor's own nation is read once, for the page header and the page.
    own = user.nation if is_editor(user) else None
    if own is not None and own.code == code.upper():
        member = own
    else:
        member = get_object_or_404(
            Member.objects.select_related("delegation"), country=code.upper()
        )
    if write and not can_edit_for_member(user, member):
        raise Http404
    return member


# --- National actions and evidence ----------------------------------------------------------


def visible_actions(user):
    """Drafts are seen only by their own delegation (and administrators); everything submitted
    is read by every signed-in user (models.followup.action_visibility)."""
    return NationalAction.objects.visible_to(user)


def sees_pending_evidence(user, action: NationalAction) -> bool:
    return is_administrator(user) or can_review(user) or own_member_id(user) == action.member_id


def visible_evidence(user):
    """Evidence is seen exactly when its action is, and while pending (added to a submitted
    or accepted action) only by its delegation and reviewers."""
    return Evidence.objects.visible_to(user)


def evidence_of(user, action: NationalAction):
    """The evidence of one (visible) action that this user may see."""
    return action.evidence.filter(evidence_visibility(user))


def can_change_action(user, action: NationalAction) -> bool:
    return can_edit_for_member(user, action.member) and action.is_editable_state


def can_withdraw_action(user, action: NationalAction) -> bool:
    """A submitted action goes back to draft, by its delegation, until it is reviewed."""
    return (
        can_edit_for_member(user, action.member)
        and action.review_state == NationalAction.ReviewState.SUBMITTED
    )


def can_revise_action(user, action: NationalAction) -> bool:
    """An accepted action is changed through a revision that goes through review."""
    return (
        can_edit_for_member(user, action.member)
        and action.review_state == NationalAction.ReviewState.ACCEPTED
    )


def can_add_evidence(user, action: NationalAction) -> bool:
    """Evidence can be added in every state; on a submitted or accepted action it waits for
    review (actions.add_evidence_*)."""
    return can_edit_for_member(user, action.member)


def can_see_revision(user, action: NationalAction) -> bool:
    """A pending revision is the delegation's and the secretariat's business: other nations
    and viewers keep seeing the accepted action and are not told a revision exists."""
    return can_edit_for_member(user, action.member) or can_review(user)


def revision_for_user(user, action: NationalAction) -> ActionRevision | None:
    # Only accepted actions have revisions: no query for the others.
    if action.review_state != NationalAction.ReviewState.ACCEPTED:
        return None
    if not can_see_revision(user, action):
        return None
    return ActionRevision.objects.filter(action=action).select_related("author").first()


def get_action_for_user(user, pk: int, *, write: bool = False) -> NationalAction:
    """The action, or 404. With `write`, also 404 unless the user's delegation owns it."""
    action = get_object_or_404(
        visible_actions(user).select_related("commitment__resolution", "member", "author"),
        pk=pk,
    )
    if write and not can_edit_for_member(user, action.member):
        raise Http404
    return action


def get_evidence_for_user(user, pk: int, *, write: bool = False) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.visible_to(user).select_related("action__member", "action__commitment"),
        pk=pk,
    )
    if write and not can_edit_for_member(user, evidence.action.member):
        raise Http404
    return evidence


# --- The secretariat ------------------------------------------------------------------------


def can_review(user) -> bool:
    """Committee secretaries (and administrators) accept or return submitted actions."""
    return is_administrator(user) or is_secretary(user)


def can_manage_rounds(user) -> bool:
    return is_administrator(user) or is_secretary(user)


# What waits for the secretariat: a submitted action, or an accepted one's pending revision.
WAITING_SUBMITTED = Q(review_state=NationalAction.ReviewState.SUBMITTED)
WAITING_REVISION = Q(revision__state=ActionRevision.State.PENDING)


def review_queue(user):
    """Submitted actions and pending revisions of accepted ones, oldest first; empty for those
    who do not review. The rule in one queryset; the queue's pages read it in its two parts
    (waiting_for_review), each from its own index (queries/review.py)."""
    if not can_review(user):
        return NationalAction.objects.none()
    return (
        NationalAction.objects.filter(WAITING_SUBMITTED | WAITING_REVISION)
        .annotate(waiting_since=Coalesce("revision__submitted_at", "submitted_at"))
        .order_by("waiting_since", "pk")
    )


def waiting_for_review(user) -> tuple:
    """The review queue's two parts, unordered: submitted actions, and accepted actions with a
    revision awaiting review (never both at once). Each is read from its own index, where the
    queue's one condition across the revision join made PostgreSQL sort every waiting action;
    empty for those who do not review."""
    if not can_review(user):
        return NationalAction.objects.none(), NationalAction.objects.none()
    return (
        NationalAction.objects.filter(WAITING_SUBMITTED),
        NationalAction.objects.filter(WAITING_REVISION),
    )


def get_action_for_review(user, pk: int) -> NationalAction:
    if not can_review(user):
        raise Http404
    # Through visible_actions(): another nation's draft answers 404 like any missing action,
    # not "no longer waiting", which would tell that the draft exists.
    return get_object_or_404(
        visible_actions(user).select_related("commitment__resolution", "member"), pk=pk
    )


def get_round_for_user(user, pk: int, *, write: bool = False) -> ReportingRound:
    if not user.is_authenticated or (write and not can_manage_rounds(user)):
        raise Http404
    return get_object_or_404(ReportingRound, pk=pk)


# --- Status reports ----------------------------------------------------------------------------


def can_export(user) -> bool:
    """Every signed-in user may export a status report of what they may see: the report is
    gathered through visible_resolutions() and visible_actions(), like the pages."""
    return user.is_authenticated


def can_export_everything(user) -> bool:
    """A report of every resolution at once (`scope=all`) is the secretariat's tool, and heavy
    enough to run in the background: secretaries and administrators only."""
    return is_administrator(user) or is_secretary(user)


def get_export_job_for_user(user, pk):
    """A background report job, for the person who asked for it (and administrators); 404 for
    everyone else, so that nobody learns another person's report exists."""
    if not user.is_authenticated:
        raise Http404
    jobs = ExportJob.objects.all()
    if not is_administrator(user):
        jobs = jobs.filter(requested_by=user)
    return get_object_or_404(jobs, pk=pk)


# --- A delegation's workbook (resolutions/workbook/) ----------------------------------------


def can_download_workbook(user, member: Member) -> bool:
    """A nation's workbook is filled in by its editors; secretaries (and administrators) may
    download any nation's to read it."""
    return can_edit_for_member(user, member) or is_secretary(user)


def get_member_for_workbook(user, code: str) -> Member:
    member = get_member_for_user(user, code)
    if not can_download_workbook(user, member):
        raise Http404
    return member
