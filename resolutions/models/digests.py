"""Reminder digests: how often each person wants one, and which were sent (one per period)."""

import datetime
import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestPreference(models.Model):
    """How often a person gets a reminder digest. No row means the default: weekly, Mondays."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        OFF = "off", _("Off")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name=_("user"),
    )
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text=_("For weekly digests: sent on this day, or later that week if it was missed."),
    )
    review_notices = models.BooleanField(
        _("e-mail me at once when the secretariat accepts or returns my nation's actions"),
        default=True,
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


class DigestLogQuerySet(models.QuerySet):
    def reclaimable(self, now: datetime.datetime):
        """Claims a later sweep may take over: left in "sending" (a worker died between claim
        and send) or "failed" (the mail server kept refusing) for longer than the claim
        timeout, and claimed fewer than DIGEST_MAX_CLAIMS times for this period."""
        cutoff = now - datetime.timedelta(minutes=settings.DIGEST_CLAIM_TIMEOUT_MINUTES)
        return self.filter(
            state__in=[DigestLog.State.SENDING, DigestLog.State.FAILED],
            claimed_at__lt=cutoff,
            claims__lt=settings.DIGEST_MAX_CLAIMS,
        )

    def claim(self, user_id: int, period: str, now: datetime.datetime) -> "DigestLog | None":
        """Makes the caller the only sender of this user's digest for `period`.

        Returns the claimed row, or None when another process holds (or held) the period.
        The first claim inserts the row; the unique constraint makes a second insert fail.
        A later claim wins only the conditional update of a reclaimable row, so of two sweeps
        racing for a stale claim exactly one sees one row changed.
        """
        token = uuid.uuid4()
        try:
            with transaction.atomic():
                return self.create(
                    user_id=user_id, period=period, state=DigestLog.State.SENDING,
                    claimed_at=now, claim_token=token, claims=1,
                )  # fmt: skip
        except IntegrityError:
            pass
        won = (
            self.filter(user_id=user_id, period=period)
            .reclaimable(now)
            .update(
                state=DigestLog.State.SENDING,
                claimed_at=now,
                claim_token=token,
                claims=F("claims") + 1,
            )
        )
        return self.get(user_id=user_id, period=period) if won == 1 else None

    def resume(self, user_id: int, period: str, token, now) -> "DigestLog | None":
        """A retry takes its own claim back (and renews it); None if another process took it
        over meanwhile or it was finished."""
        mine = self.filter(
            user_id=user_id, period=period, claim_token=token, state=DigestLog.State.SENDING
        )
        if mine.update(claimed_at=now) != 1:
            return None
        return mine.first()


class DigestLog(models.Model):
    """One person's digest for one period ("2026-11-28", "2026-W48", "2026-11").

    The unique (user, period) row is the claim: only the process that inserted it, or that
    won the conditional update of a stale or failed claim, sends. "sending" → "sent" once the
    mail server accepted the message; "failed" after the last retry, with the error. When there
    is nothing to say no row is written, so a later sweep in the same period looks again.
    """

    class State(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_logs",
        verbose_name=_("user"),
    )
    period = models.CharField(_("period"), max_length=16)
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    claim_token = models.UUIDField(_("claim"), editable=False)
    claimed_at = models.DateTimeField(_("claimed"))
    claims = models.PositiveSmallIntegerField(_("claims"), default=1)
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DigestLogQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("digest log")
        verbose_name_plural = _("digest logs")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period"],
                name="digest_once_per_user_and_period",
                violation_error_message=_("This person's digest for this period exists."),
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="digest_sent_has_sent_at",
                violation_error_message=_("A sent digest records when it was sent."),
            ),
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="digest_state_claimed")]

    def __str__(self):
        return f"{self.user} {self.period} ({self.get_state_display()})"

    def mark_sent(self, **values) -> bool:
        """The mail server accepted the digest: the period is done."""
        return self._update_claim(state=self.State.SENT, sent_at=timezone.now(), error="", **values)

    def mark_retrying(self, error: str) -> bool:
        """A send was refused and will be retried: the claim stays, renewed, with the error."""
        return self._update_claim(claimed_at=timezone.now(), error=error)

    def mark_failed(self, error: str) -> bool:
        """The last retry was refused too. A later sweep may claim it again (reclaimable)."""
        return self._update_claim(state=self.State.FAILED, claimed_at=timezone.now(), error=error)

    def release(self) -> bool:
        """Nothing to say after all (a retry found the items dealt with): forget the claim."""
        return DigestLog.objects.filter(**self._mine()).delete()[0] == 1

    def _mine(self):
        return {"pk": self.pk, "claim_token": self.claim_token, "state": self.State.SENDING}

    def _update_claim(self, **values) -> bool:
        # Only while this process still holds the claim; every finished attempt counts.
        return (
            DigestLog.objects.filter(**self._mine()).update(attempts=F("attempts") + 1, **values)
            == 1
        )
