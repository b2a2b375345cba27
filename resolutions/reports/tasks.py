"""Background exports: a task makes one report file for an ExportJob row, which the job page
polls; another deletes old files. Tasks take the job's id, re-read everything, and return
quietly when the job is gone (it may have been cleaned up, or its requester deleted)."""

import datetime
import logging
import tempfile

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import jobs
from ..models import ExportJob
from . import registry
from .scope import ScopeError, read_scope

logger = logging.getLogger(__name__)
SPOOL_BYTES = 8 * 1024 * 1024  # larger files go to a temporary file, not memory


@shared_task(ignore_result=True)
def make_report(job_id) -> None:
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or not job.is_open:
        return  # cleaned up, finished, or failed by the watchdog: a redelivered message
    if job.attempts >= settings.EXPORT_MAX_ATTEMPTS:
        # Each start that ended without a result killed its worker (memory, a crash): stop.
        jobs.mark_failed(
            job.pk,
            _("This report stopped its background worker %(count)d times. Try a smaller report "
              "(one resolution or nation), or tell an administrator.")
            % {"count": job.attempts},
        )  # fmt: skip
        return
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING,
        progress=5,
        error="",
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(
            progress=min(percent, 99), updated_at=timezone.now()
        )

    try:
        exporter = registry.get(job.format)
        if exporter is None:
            raise ScopeError([_("“%(format)s” is not a report format.") % {"format": job.format}])
        # The requester's permissions as they are now, not when the job was asked for.
        scope = read_scope(job.requested_by, job.scope)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
            made = exporter.write(scope, out, progress=progress)
            progress(95)
            out.seek(0)
            name = default_storage.save(f"reports/{job.pk}.{exporter.extension}", File(out))
    except ScopeError as error:
        _fail(job, " ".join(error.messages))
        return
    except Exception as error:
        logger.exception("Report %s could not be made", job.pk)
        _fail(
            job,
            _("An unexpected error stopped it (%(error)s). Try again; if it happens again, "
              "tell an administrator.") % {"error": _reason(error)},
        )  # fmt: skip
        return
    changed = ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        progress=100,
        file=name,
        filename=made.filename,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not changed:  # the job was deleted while its file was being made
        default_storage.delete(name)


def _fail(job, reason: str) -> None:
    jobs.mark_failed(job.pk, reason)


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@shared_task(ignore_result=True)
def delete_old_reports() -> int:
    """Deletes jobs (and their files) asked for more than EXPORT_KEEP_HOURS ago."""
    cutoff = timezone.now() - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
        name = job.file.name
        with transaction.atomic():
            job.delete()
        if name:
            default_storage.delete(name)
        deleted += 1
    return deleted
