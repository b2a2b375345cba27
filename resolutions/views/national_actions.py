"""National actions and their evidence: add, edit, submit, delete, download."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import actions, permissions
from ..changes import compare, values_of
from ..forms import EvidenceFileForm, EvidenceLinkForm, NationalActionForm
from ..history import action_timeline
from ..queries.commitment import commitment_context
from ..queries.links import commitment_url
from ..storage import stored_file_response

ACTION_FRAGMENTS = "resolutions/_action.html"
logger = logging.getLogger(__name__)


def _status_for(request, refused: bool) -> int:
    # htmx swaps only 2xx answers; a full page that refused input answers 422.
    return 422 if refused and not request.htmx else 200


@require_http_methods(["GET", "POST"])
def action_create(request, code: str, pk: int):
    member = permissions.get_member_for_user(request.user, code, write=True)
    commitment = permissions.get_commitment_for_user(request.user, pk)
    form = NationalActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = actions.create_action(commitment, member, form.cleaned_data, by=request.user)
        messages.success(request, _("Action “%(title)s” saved as a draft.") % {"title": action})
        if request.htmx:
            context = commitment_context(request.user, member, commitment, just_saved=action.pk)
            return render(request, "resolutions/commitment_detail.html#actions-section", context)
        return redirect(action)
    if request.htmx:
        context = commitment_context(request.user, member, commitment, action_form=form)
        return render(request, "resolutions/commitment_detail.html#actions-section", context)
    return render(
        request,
        "resolutions/action_form.html",
        {"form": form, "member": member, "commitment": commitment, "creating": True},
        status=_status_for(request, request.method == "POST"),
    )


@require_GET
def action_detail(request, pk: int):
    action = permissions.get_action_for_user(request.user, pk)
    return render(request, "resolutions/action_detail.html", _detail_context(request, action))


def _detail_context(request, action, **extra):
    user = request.user
    can_change = permissions.can_change_action(user, action)
    can_add_evidence = permissions.can_add_evidence(user, action)
    revision = permissions.revision_for_user(user, action)
    evidence = list(permissions.evidence_of(user, action))
    context = {
        "action": action,
        "member": action.member,
        "commitment": action.commitment,
        "can_change": can_change,
        "can_withdraw": permissions.can_withdraw_action(user, action),
        "can_revise": permissions.can_revise_action(user, action),
        "can_add_evidence": can_add_evidence,
        "can_edit_for_member": permissions.can_edit_for_member(user, action.member),
        "revision": revision,
        "revision_changes": compare(values_of(action), values_of(revision)) if revision else [],
        "evidence_list": evidence,
        "timeline": action_timeline(
            action,
            None if permissions.sees_pending_evidence(user, action) else {e.pk for e in evidence},
        ),
        "file_form": EvidenceFileForm() if can_add_evidence else None,
        "link_form": EvidenceLinkForm() if can_add_evidence else None,
    }
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = permissions.get_action_for_user(request.user, pk, write=True)
    if not action.is_editable_state:
        messages.error(request, _("This action is waiting for review and cannot be changed now."))
        return redirect(action)
    conflict = None
    # Its own ids: the inline form sits on the commitment page next to the add form.
    edit_ids = f"action-{action.pk}-%s"
    if request.method == "POST":
        form = NationalActionForm(request.POST, instance=action, auto_id=edit_ids)
        if form.is_valid():
            try:
                action = actions.update_action(
                    action,
                    form.cleaned_data,
                    version=form.cleaned_data.get("version") or 0,
                    by=request.user,
                )
            except actions.StaleEdit as stale:
                conflict = stale.current
                data = request.POST.copy()
                data["version"] = stale.current.version
                # Bound to `action`, not to `conflict`: validating a form writes its values
                # into its instance, and the conflict must show the other person's values.
                form = NationalActionForm(data, instance=action, auto_id=edit_ids)
                form.is_valid()
            except actions.NotEditable as error:
                form.add_error(None, str(error))
            else:
                if request.htmx:
                    return render(
                        request,
                        f"{ACTION_FRAGMENTS}#item",
                        {"action": action, "can_edit": True, "just_saved": action.pk},
                    )
                messages.success(request, _("Changes saved."))
                return redirect(action)
    else:
        form = NationalActionForm(instance=action, auto_id=edit_ids)
    context = {"form": form, "action": action, "conflict": conflict,
               "member": action.member, "commitment": action.commitment}  # fmt: skip
    if request.htmx:
        return render(request, f"{ACTION_FRAGMENTS}#form", context)
    refused = request.method == "POST"
    return render(
        request, "resolutions/action_form.html", context, status=_status_for(request, refused)
    )


@require_POST
def action_submit(request, pk: int):
    return _move(request, pk, actions.submit_action, _("Submitted to the secretariat for review."))


@require_POST
def action_withdraw(request, pk: int):
    """A submitted action back to draft, until the secretariat has reviewed it."""
    return _move(request, pk, actions.withdraw_action, _("Withdrawn: the action is a draft again."))


def _move(request, pk: int, step, done: str):
    """Moves an action along its review cycle (`step` from actions.py), saying what happened or
    why it could not, back on the action's page."""
    action = permissions.get_action_for_user(request.user, pk, write=True)
    try:
        step(action, by=request.user)
    except actions.NotEditable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(action)


@require_http_methods(["GET", "POST"])
def action_revise(request, pk: int):
    """Proposes a change to an accepted action. The form starts from the open revision when
    there is one (its version guards it), else from the accepted values."""
    action = permissions.get_action_for_user(request.user, pk, write=True)
    if not permissions.can_revise_action(request.user, action):
        messages.error(request, _("Only an accepted action is revised; edit this one directly."))
        return redirect(action)
    revision = permissions.revision_for_user(request.user, action)
    source = revision or action
    initial = {**values_of(source), "version": source.version}
    form = NationalActionForm(request.POST or None, initial=initial, auto_id="revise-%s")
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.revise_action(
                action,
                form.cleaned_data,
                version=form.cleaned_data.get("version") or 0,
                by=request.user,
            )
        except actions.StaleEdit as stale:
            conflict = stale.current
            data = request.POST.copy()
            data["version"] = stale.current.version
            form = NationalActionForm(data, auto_id="revise-%s")
            form.is_valid()
            form.add_error(
                None,
                _("Someone else saved a newer version in the meantime: check it below, then "
                  "save again."),
            )  # fmt: skip
        except actions.NotEditable as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Revision sent for review. Everyone else sees the accepted version until "
                  "the secretariat accepts it."),
            )  # fmt: skip
            return redirect(action)
    return render(
        request,
        "resolutions/action_revise.html",
        {
            "form": form,
            "action": action,
            "revision": revision,
            "conflict": conflict,
            "member": action.member,
            "commitment": action.commitment,
        },
        status=_status_for(request, request.method == "POST"),
    )


@require_POST
def revision_discard(request, pk: int):
    action = permissions.get_action_for_user(request.user, pk, write=True)
    revision = permissions.revision_for_user(request.user, action)
    if revision is None:
        raise Http404
    actions.discard_revision(revision, by=request.user)
    messages.success(request, _("Revision discarded: the accepted version stays."))
    return redirect(action)


@require_http_methods(["GET", "POST"])
def action_delete(request, pk: int):
    action = permissions.get_action_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            actions.delete_action(action, by=request.user)
        except actions.NotEditable as error:
            messages.error(request, str(error))
            return redirect(action)
        messages.success(request, _("Action “%(title)s” deleted.") % {"title": action.title})
        return redirect(commitment_url(action.member, action.commitment))
    return render(request, "resolutions/action_confirm_delete.html", {"action": action})


# --- Evidence --------------------------------------------------------------------------------


@require_POST
def evidence_add(request, pk: int, kind: str):
    if kind not in {"file", "link"}:
        raise Http404
    action = permissions.get_action_for_user(request.user, pk, write=True)
    form_class = EvidenceFileForm if kind == "file" else EvidenceLinkForm
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        details = {k: form.cleaned_data[k] for k in ("title", "date", "language")}
        try:
            if kind == "file":
                actions.add_evidence_file(
                    action, form.cleaned_data["file"], details, by=request.user
                )
            else:
                actions.add_evidence_link(
                    action, form.cleaned_data["url"], details, by=request.user
                )
        except ValidationError as error:
            form.add_error("file" if kind == "file" else "url", error)
        except actions.NotEditable as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Evidence added."))
            if not request.htmx:
                return redirect(f"{action.get_absolute_url()}#evidence")
            form = None
    forms = {"file_form": EvidenceFileForm(), "link_form": EvidenceLinkForm()}
    if form is not None:
        forms["file_form" if kind == "file" else "link_form"] = form
    context = _detail_context(request, action, **forms)
    template = "resolutions/action_detail.html"
    if request.htmx:
        template += "#evidence-section"
    return render(request, template, context, status=_status_for(request, form is not None))


@require_GET
def evidence_download(request, pk: int):
    evidence = permissions.get_evidence_for_user(request.user, pk)
    if not evidence.file:
        raise Http404
    try:
        response = stored_file_response(
            evidence.file.name,
            filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
            content_type=evidence.content_type or "application/octet-stream",
        )
    except FileNotFoundError:
        # The row says a file exists and storage has none: lost or deleted outside the tracker.
        # `manage.py verify_evidence` lists every such file.
        logger.error("Evidence %s: its file %s is missing from storage", evidence.pk, evidence.file)
        return render(
            request, "resolutions/evidence_missing.html", {"evidence": evidence}, status=404
        )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def evidence_delete(request, pk: int):
    evidence = permissions.get_evidence_for_user(request.user, pk, write=True)
    try:
        actions.delete_evidence(evidence, by=request.user)
    except actions.NotEditable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evidence “%(title)s” removed.") % {"title": evidence.title})
    return redirect(f"{evidence.action.get_absolute_url()}#evidence")
