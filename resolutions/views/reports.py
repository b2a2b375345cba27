"""Status report exports: answered directly when small, made in the background when large (a
job page with a progress bar polls until the file is ready), and downloaded by the requester."""

import io

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling

from .. import jobs, permissions, ratelimit
from ..models import ExportJob
from ..reports import registry
from ..reports.data import count_actions
from ..reports.forms import read_export
from ..reports.scope import ScopeError
from ..reports.tasks import make_report


@require_GET
def report_export(request):
    """`?scope=resolution|nation|round&id=…&format=pdf|docx|xlsx|csv` plus the matrix filters
    and the report's options (language, submitted, drafts, rows); `?scope=all&format=…` (no id)
    for every resolution, secretaries and administrators only."""
    if not permissions.can_export(request.user):
        raise Http404
    try:
        exporter, scope = read_export(request.user, request.GET)
    except ScopeError as error:
        # Nothing is made or saved: the page says what to change.
        # 400 for a request that names no report, 403 for one this user may not make.
        return render(
            request, "reports/bad_request.html", {"errors": error.messages}, status=error.status
        )
    if count_actions(scope) * exporter.weight > settings.EXPORT_BACKGROUND_THRESHOLD:
        return _start_background_report(request, exporter, scope)
    if exporter.streams:
        response = StreamingHttpResponse(exporter.chunks(scope), content_type=exporter.content_type)
        return attach(response, exporter.filename(scope))
    buffer = io.BytesIO()
    made = exporter.write(scope, buffer)
    return attach(HttpResponse(buffer.getvalue(), content_type=made.content_type), made.filename)


def attach(response, filename: str):
    """A download, never shown inline nor sniffed into something else."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _start_background_report(request, exporter, scope):
    """Creates the job and queues it at once; refuses (429) past the person's limits, and says
    "try again shortly" (503) when the broker is away, leaving the job failed, not pending."""
    if not jobs.may_start_another(request.user):
        return _refused(
            request,
            ngettext(
                "You already have %(count)d report being made. Wait for it to finish, then ask "
                "again.",
                "You already have %(count)d reports being made. Wait for one to finish, then ask "
                "again.",
                settings.EXPORT_MAX_RUNNING_PER_PERSON,
            ) % {"count": settings.EXPORT_MAX_RUNNING_PER_PERSON},
            status=429,
        )  # fmt: skip
    if not ratelimit.allow(request.user, "background-report"):
        return _refused(
            request, _("You asked for many reports in a short time. Try again in a few minutes."),
            status=429,
        )  # fmt: skip
    job = ExportJob.objects.create(
        requested_by=request.user,
        format=exporter.format,
        scope=scope.query,
        filename=exporter.filename(scope),
    )
    try:
        jobs.queue_or_fail(make_report, str(job.pk), job=job)
    except jobs.QueueUnavailable:
        return _refused(
            request,
            _("Large reports are made in the background, and that service cannot be reached "
              "just now. Try again shortly."),
            status=503,
        )  # fmt: skip
    return redirect("report-job", pk=job.pk)


def _refused(request, message: str, *, status: int):
    return render(request, "reports/bad_request.html", {"errors": [message]}, status=status)


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
    exporter = registry.get(job.format)
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
