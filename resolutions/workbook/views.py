"""A nation's workbook: download it, upload it filled in and see a preview, confirm to save.

The uploaded file waits in storage between the preview and the confirmation; the confirmation
names it in a signed token (who uploaded it, for which nation, and the preview's fingerprint),
reads it again and saves only if every row would still do what the preview said.
"""

import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import permissions
from . import applying, build, planning, reading

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALT = "workbook-upload"
TEMPLATE = "workbook/upload.html"
UPLOADS = "workbooks"  # in the default storage, until confirmed or expired


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (.xlsx)"),
        help_text=gettext_lazy("The workbook downloaded from this page, with your changes."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


def forget_old_uploads():
    """Deletes uploads whose preview can no longer be confirmed (their token has expired).
    Run on each upload: the folder only ever holds the last hour's few files."""
    try:
        _folders, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.WORKBOOK_CONFIRM_SECONDS)
    for name in names:
        path = f"{UPLOADS}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


@require_GET
def workbook_download(request, code: str):
    member = permissions.get_member_for_workbook(request.user, code)
    wanted = request.GET.get("resolution", "open")
    if wanted == "open":
        scope = build.Scope(None)
    elif wanted.isdigit():
        resolutions = permissions.visible_resolutions(request.user)
        scope = build.Scope(get_object_or_404(resolutions, pk=int(wanted)))
    else:
        raise Http404
    response = HttpResponse(build.workbook_bytes(request.user, member, scope), content_type=XLSX)
    filename = f"workbook-{member.code}-{scope.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _read(data: bytes, member):
    return reading.read_workbook(
        data,
        nation=member.code,
        max_bytes=settings.WORKBOOK_MAX_BYTES,
        max_rows=settings.WORKBOOK_MAX_ROWS,
        max_unpacked=settings.WORKBOOK_MAX_UNPACKED_BYTES,
    )


def _plan(data: bytes, member):
    rows = _read(data, member)
    return planning.plan_workbook(rows, applying.current_state(member, rows.language))


def _preview(request, member, plan, name, *, status=200, error=""):
    token = signing.dumps(
        {"file": name, "user": request.user.pk, "nation": member.code, "plan": plan.fingerprint()},
        salt=SALT,
    )
    context = {
        "member": member,
        "plan": plan,
        "token": token,
        "error": error,
        "counts": {o: plan.count(o) for o in ("create", "update", "unchanged", "refused")},
    }
    return render(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def workbook_page(request, code: str):
    """Download for every nation the person may read; upload for its editors."""
    member = permissions.get_member_for_workbook(request.user, code)
    can_upload = permissions.can_edit_for_member(request.user, member)
    if request.method == "POST" and not can_upload:
        raise Http404
    form = None
    if can_upload:
        bound = request.method == "POST"
        form = WorkbookUploadForm(request.POST, request.FILES) if bound else WorkbookUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(settings.WORKBOOK_MAX_BYTES + 1)
        try:
            plan = _plan(data, member)
        except reading.WorkbookRefused as refused:
            form.add_error("file", str(refused))
        else:
            forget_old_uploads()
            name = default_storage.save(f"{UPLOADS}/{uuid.uuid4().hex}.xlsx", ContentFile(data))
            return _preview(request, member, plan, name)
    context = {
        "member": member,
        "form": form,
        "resolutions": permissions.visible_resolutions(request.user).order_by("-number"),
    }
    return render(request, TEMPLATE, context, status=422 if request.method == "POST" else 200)


@require_POST
def workbook_confirm(request, code: str):
    member = permissions.get_member_for_user(request.user, code, write=True)
    try:
        ticket = signing.loads(
            request.POST.get("token", ""), salt=SALT, max_age=settings.WORKBOOK_CONFIRM_SECONDS
        )
    except signing.BadSignature:
        messages.error(request, _("This preview has expired; upload the workbook again."))
        return redirect("workbook", code=member.code)
    if ticket["user"] != request.user.pk or ticket["nation"] != member.code:
        raise Http404
    name = ticket["file"]
    if not default_storage.exists(name):
        messages.error(request, _("This workbook was already saved or has expired."))
        return redirect("workbook", code=member.code)
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    plan = _plan(data, member)
    if plan.fingerprint() != ticket["plan"]:
        error = _("Something changed since the preview: check the rows again before saving.")
        return _preview(request, member, plan, name, status=409, error=error)
    try:
        saved = applying.apply_plan(plan, member, by=request.user)
    except applying.ApplyFailed as failed:
        return _preview(request, member, _plan(data, member), name, status=409, error=str(failed))
    default_storage.delete(name)
    messages.success(
        request,
        ngettext(
            "%(count)d row saved from the workbook.",
            "%(count)d rows saved from the workbook.",
            saved,
        )
        % {"count": saved},
    )
    return redirect("nation-dashboard", code=member.code)
