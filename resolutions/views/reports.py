"""Status report exports: answered directly when small, made in the background when large (a
job page with a progress bar polls until the file is ready), and downloaded by the requester."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling

from .. import permissions
from ..models import ExportJob, SecurityEvent
from ..reports.base import EXPORTERS
from ..reports.data import ScopeError, count_actions, read_scope
from ..reports.tasks import make_report
from ..security import events as security_events


@require_GET
def report_export(request):
    """`?scope=resolution|nation|round&id=…&format=pdf|docx|xlsx|csv` plus the matrix filters;
    `?scope=all&format=…` (no id) for every resolution, secretaries and administrators only."""
    if not permissions.can_export(request.user):
        raise Http404
    fmt = request.GET.get("format", "")
    exporter = EXPORTERS.get(fmt)
    try:
        if exporter is None:
            raise ScopeError(
                [_("Choose a report format: PDF, DOCX, XLSX or CSV (“%(format)s” is not one).")
                 % {"format": fmt}]
            )  # fmt: skip
        scope = read_scope(request.user, request.GET)
    except ScopeError as error:
        # Nothing is made or saved: the page says what to change.
        # 400 for a request that names no report, 403 for one this user may not make.
        return render(
            request, "reports/bad_request.html", {"errors": error.messages}, status=error.status
        )
    if scope.kind == "all":  # every nation's work at once: in the audit trail
        security_events.record(
            SecurityEvent.Kind.FULL_EXPORT, request=request, detail=exporter.format
        )
    if count_actions(scope) * exporter.weight > settings.EXPORT_BACKGROUND_THRESHOLD:
        job = ExportJob.objects.create(
            requested_by=request.user,
            format=exporter.format,
            scope=scope.query,
            filename=exporter.filename(scope),
        )
        make_report.delay_on_commit(str(job.pk))
        return redirect("report-job", pk=job.pk)
    return exporter.response(scope)


@require_GET
def report_job(request, pk):
    """The job's progress; polled by htmx every 2 s until it answers 286 (ready or failed)."""
    job = permissions.get_export_job_for_user(request.user, pk)
    finished = job.state in {ExportJob.State.DONE, ExportJob.State.FAILED}
    context = {"job": job, "keep_hours": settings.EXPORT_KEEP_HOURS}
    if request.htmx:
        response = render(request, "reports/job.html#status", context)
        # 286 tells htmx to stop polling; the fragment still replaces the old one.
        return HttpResponseStopPolling(response.content) if finished else response
    return render(request, "reports/job.html", context)


@require_GET
def report_job_download(request, pk):
    job = permissions.get_export_job_for_user(request.user, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        return redirect("report-job", pk=job.pk)
    exporter = EXPORTERS.get(job.format)
    try:
        handle = default_storage.open(job.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename or job.file.name.rsplit("/", 1)[-1],
        content_type=exporter.content_type if exporter else "application/octet-stream",
    )
