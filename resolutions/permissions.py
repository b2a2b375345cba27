"""Who may see and change what: the one place that decides.

Views never filter by role or delegation themselves; they ask here. An object a user may not see
or change is answered with 404, not 403, so that nothing about it leaks (another nation's draft
must not be provably there).

Which rows a person may read is written once, on the models' querysets
(`NationalAction.objects.visible_to(user)`, `Evidence.objects.visible_to(user)`, …), so that it
chains with the querysets' other verbs (`.for_member(m)`, `.accepted()`); the functions here are
built on them.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    Commitment,
    Evidence,
    ExportJob,
    Member,
    NationalAction,
    ReportingRound,
    Resolution,
    User,
)


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
    member = get_object_or_404(Member.objects.select_related("delegation"), country=code.upper())
    if write and not can_edit_for_member(user, member):
        raise Http404
    return member


# --- National actions and evidence ----------------------------------------------------------


def visible_actions(user):
    """Drafts are seen only by their own delegation (and administrators); everything submitted
    is read by every signed-in user (models.followup.action_visibility)."""
    return NationalAction.objects.visible_to(user)


def visible_evidence(user):
    """Evidence is seen exactly when its action is."""
    return Evidence.objects.visible_to(user)


def can_change_action(user, action: NationalAction) -> bool:
    return can_edit_for_member(user, action.member) and action.is_editable_state


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


def review_queue(user):
    """Submitted actions, oldest first; empty for those who do not review."""
    if not can_review(user):
        return NationalAction.objects.none()
    return (
        NationalAction.objects.submitted()
        .select_related("commitment__resolution", "member", "author")
        .prefetch_related("evidence")
        .order_by("submitted_at", "pk")
    )


def get_action_for_review(user, pk: int) -> NationalAction:
    if not can_review(user):
        raise Http404
    return get_object_or_404(
        NationalAction.objects.select_related("commitment__resolution", "member"), pk=pk
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
