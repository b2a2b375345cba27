"""Status reports made in the background: a job row the page polls until its file is ready."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    """One requested report file (PDF, DOCX, XLSX or CSV) for a scope, made by a Celery task."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=8)
    # The report's scope and filters, as the query string the page was asked with.
    scope = models.JSONField(_("scope"), default=dict)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # Moved on every change of state or progress; the watchdog fails jobs that stop moving.
    updated_at = models.DateTimeField(_("last progress"), default=timezone.now)
    # How many times a worker started it: a report that kills its worker is not tried for ever.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "updated_at"], name="exportjob_state_updated")]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.filename or self.format} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        """Still waiting or being made."""
        return self.state in {self.State.PENDING, self.State.RUNNING}
