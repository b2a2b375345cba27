"""Celery tasks. Thin: they take ids, re-fetch, and call the modules that decide.

Reminder digests: beat runs `sweep_digests` every DIGEST_SWEEP_SECONDS (settings). The sweep
enqueues one `send_digest` per person whose digest is due; nothing is scheduled ahead with an
ETA (a Redis broker would deliver a long-delayed message twice). `send_digest` claims the
(person, period) row before sending, so a second sweep, a second worker or a redelivered message
finds the period taken and does nothing (DigestLog).
"""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core import mail
from django.utils import timezone

from . import digests
from .models import DigestLog

logger = logging.getLogger(__name__)

# Worth another try (digests.TRANSIENT_MAIL_ERRORS): the mail server refused for now or could
# not be reached. Anything else is a bug: the task fails, and the claim is taken over by a sweep
# after the claim timeout.
TRANSIENT_MAIL_ERRORS = digests.TRANSIENT_MAIL_ERRORS
# Below DIGEST_CLAIM_TIMEOUT_MINUTES, so a retry waiting its turn keeps its claim.
RETRY_WAIT_MAX_SECONDS = 600


@shared_task(ignore_result=True)
def sweep_digests() -> int:
    """Enqueues a digest task for everyone whose digest is due now."""
    due = digests.due_digests(timezone.now())
    for user, period in due:
        send_digest.delay_on_commit(user.pk, period)
    logger.info("Digest sweep: %d due", len(due))
    return len(due)


@shared_task(bind=True, ignore_result=True, max_retries=None)
def send_digest(self, user_id: int, period: str, claim: str | None = None) -> str:
    """Sends one person's digest for `period`, at most once. `claim` is set on retries."""
    now = timezone.now()
    user = digests.recipients().filter(pk=user_id).first()
    if user is None:
        return "not a recipient"  # gone, inactive, no address, or switched off since the sweep
    if claim is None:
        digest = digests.compose_digest(user, now)
        if digest is None:
            return "nothing to say"  # no row: the next sweep in this period looks again
        log = DigestLog.objects.claim(user.pk, period, now)
        if log is None:
            return "taken"
    else:
        log = DigestLog.objects.resume(user.pk, period, claim, now)
        if log is None:
            return "taken"
        digest = digests.compose_digest(user, now)
        if digest is None:
            log.release()
            return "nothing to say"

    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 60
    message = digests.build_message(
        digest, period=period, connection=mail.get_connection(timeout=timeout)
    )
    try:
        message.send()
    except TRANSIENT_MAIL_ERRORS as error:
        reason = f"{type(error).__name__}: {error}"
        if self.request.retries >= settings.DIGEST_MAX_RETRIES:
            log.mark_failed(reason)
            logger.error(
                "Digest for %s (%s) not sent after %d attempts: %s",
                user.email, period, self.request.retries + 1, reason,
            )  # fmt: skip
            return "failed"
        if not log.mark_retrying(reason):
            return "taken"  # another process took the claim over meanwhile: it sends
        wait = get_exponential_backoff_interval(
            settings.DIGEST_RETRY_BACKOFF_SECONDS,
            self.request.retries,
            maximum=RETRY_WAIT_MAX_SECONDS,
            full_jitter=True,
        )
        logger.warning(
            "Digest for %s (%s) refused, retrying in %ds: %s", user.email, period, wait, reason
        )
        raise self.retry(
            exc=error,
            countdown=wait,
            args=(user_id, period),
            kwargs={"claim": str(log.claim_token)},
        ) from error
    if not log.mark_sent(item_count=digest.count, subject=message.subject[:300]):
        # Only possible when sending took longer than the claim timeout.
        logger.warning("Digest for %s (%s) sent, but its claim was taken over", user.email, period)
    logger.info("Digest for %s (%s) sent: %d items", user.email, period, digest.count)
    return "sent"
