"""The audit trail of security events: who signed in, failed, was locked out, enrolled a second
factor, changed a password, a role or a delegation, or exported everything; when, and from where."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityEventQuerySet(models.QuerySet):
    def older_than(self, cutoff):
        return self.filter(at__lt=cutoff)


class SecurityEvent(models.Model):
    """One security-relevant thing that happened. Rows are only ever added (and removed after
    SECURITY_EVENTS_KEEP_DAYS); `username` keeps what was typed even when no account matches."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKED_OUT = "locked_out", _("Locked out after repeated failures")
        UNLOCKED = "unlocked", _("Sign-in unlocked by an administrator")
        SECOND_FACTOR_VERIFIED = "second_factor_verified", _("Second factor verified")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Second factor code refused")
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor enrolled")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("Second factor removed")
        BACKUP_CODES_CREATED = "backup_codes_created", _("Backup codes created")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
        PASSWORD_RESET = "password_reset", _("Password reset by e-mail")
        ROLE_CHANGED = "role_changed", _("Role or delegation changed")
        FULL_EXPORT = "full_export", _("Report of every resolution exported")
        API_TOKEN = "api_token", _("API token created or revoked")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("person"),
    )
    username = models.CharField(_("username given"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
