"""Periodic clean-ups of the hardening: old audit-trail rows, upload files left by dead workers."""

import logging
import time
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from ..models import SecurityEvent

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def delete_old_security_events() -> int:
    """Security events are kept SECURITY_EVENTS_KEEP_DAYS, then deleted."""
    cutoff = timezone.now() - timedelta(days=settings.SECURITY_EVENTS_KEEP_DAYS)
    deleted, _ = SecurityEvent.objects.older_than(cutoff).delete()
    if deleted:
        logger.info("Deleted %d security events older than %s", deleted, cutoff)
    return deleted


@shared_task(ignore_result=True)
def delete_stale_upload_files() -> int:
    """A request that ends normally (or fails) closes and removes its spooled upload; a worker
    killed mid-upload cannot, and leaves the file in FILE_UPLOAD_TEMP_DIR. Files older than any
    request can last are removed here."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    cutoff = time.time() - settings.UPLOAD_TEMP_MAX_AGE_MINUTES * 60
    removed = 0
    for path in folder.glob("*.upload*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # finished and removed by its request meanwhile
    if removed:
        logger.warning("Removed %d upload files left by interrupted requests", removed)
    return removed
