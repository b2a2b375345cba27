"""National actions and their evidence: add, edit, submit, delete, download."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import actions, permissions
from ..forms import EvidenceFileForm, EvidenceLinkForm, NationalActionForm
from ..history import action_timeline
from ..queries.commitment import commitment_context
from ..queries.links import commitment_url

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
    can_change = permissions.can_change_action(request.user, action)
    context = {
        "action": action,
        "member": action.member,
        "commitment": action.commitment,
        "can_change": can_change,
        "evidence_list": action.evidence.all(),
        "timeline": action_timeline(action),
        "file_form": EvidenceFileForm() if can_change else None,
        "link_form": EvidenceLinkForm() if can_change else None,
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
    action = permissions.get_action_for_user(request.user, pk, write=True)
    try:
        actions.submit_action(action, by=request.user)
    except actions.NotEditable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Submitted to the secretariat for review."))
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
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        # The row says a file exists and storage has none: lost or deleted outside the tracker.
        # `manage.py verify_evidence` lists every such file.
        logger.error("Evidence %s: its file %s is missing from storage", evidence.pk, evidence.file)
        return render(
            request, "resolutions/evidence_missing.html", {"evidence": evidence}, status=404
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
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
