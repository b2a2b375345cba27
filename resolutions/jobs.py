"""Background work that never gets stuck: queuing that fails clearly, limits per person, and the
watchdog that fails jobs which stopped moving.

Three ways a background report could be lost, and what answers each:
- the broker is down when the person asks: `queue_export` marks the job failed at once and the
  page says "try again shortly" (`QueueUnavailable`), so no job waits for ever at 0 %;
- the broker loses the message (Redis restarted without persistence) or the worker dies for good:
  `fail_stalled_jobs`, run by beat, fails jobs with no progress for JOB_STALL_MINUTES;
- the worker process is killed mid-report: the message is not acknowledged
  (`task_reject_on_worker_lost`), another worker runs it again, and `make_report` gives up after
  EXPORT_MAX_ATTEMPTS starts.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from .models import ExportJob

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The broker did not take the task; nothing will run it."""


def queue_or_fail(task, *args, job: ExportJob | None = None, **options) -> None:
    """Sends `task` once the current transaction commits (at once outside one). On a broker
    error marks `job` failed (if given) and raises QueueUnavailable, so the view can say "try
    again shortly" rather than leave a job waiting for ever."""

    def send():
        try:
            task.apply_async(args=args, **options)
        except (BrokerError, OSError) as error:
            logger.error("Could not queue %s: %s", task.name, error)
            if job is not None:
                mark_failed(
                    job.pk, _("The background service could not be reached. Try again shortly.")
                )
            raise QueueUnavailable(str(error)) from error

    transaction.on_commit(send)


def queue_on_commit(task, *args, **options) -> None:
    """Sends `task` once the current transaction commits, and only logs when the broker is down:
    for work that may be lost without harm to the person's request (a notification e-mail the
    next digest repeats), so a saved change never answers 500 because Redis is away."""

    def send():
        try:
            task.apply_async(args=args, **options)
        except (BrokerError, OSError) as error:
            logger.error("Could not queue %s%r after commit: %s", task.name, args, error)

    transaction.on_commit(send)


def open_jobs_for(user) -> int:
    return ExportJob.objects.filter(
        requested_by=user, state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING]
    ).count()


def may_start_another(user) -> bool:
    """At most EXPORT_MAX_RUNNING_PER_PERSON background reports per person at once."""
    return open_jobs_for(user) < settings.EXPORT_MAX_RUNNING_PER_PERSON


def mark_failed(job_id, reason: str) -> bool:
    """Fails the job if it is still open; True when it was."""
    return bool(
        ExportJob.objects.filter(
            pk=job_id, state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING]
        ).update(
            state=ExportJob.State.FAILED,
            error=reason,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    )


def stalled_jobs(now: datetime.datetime):
    cutoff = now - datetime.timedelta(minutes=settings.JOB_STALL_MINUTES)
    return ExportJob.objects.filter(
        state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING], updated_at__lt=cutoff
    )


@shared_task(ignore_result=True)
def fail_stalled_jobs() -> int:
    """Fails every open job that has not moved for JOB_STALL_MINUTES; its page says why."""
    now = timezone.now()
    reason = _(
        "This report stopped making progress (the background service may have restarted). "
        "Try again."
    )
    count = stalled_jobs(now).update(
        state=ExportJob.State.FAILED, error=reason, finished_at=now, updated_at=now
    )
    if count:
        logger.warning("Watchdog: %d stalled background report(s) marked failed", count)
    return count
