"""Writing the audit trail: one `record()` and the signal receivers that call it."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from ..models import SecurityEvent, User
from .client import client_ip

logger = logging.getLogger("tracker.security")
Kind = SecurityEvent.Kind


def record(kind, *, request=None, user=None, username="", detail="") -> SecurityEvent:
    """Adds one event. `request` gives the address and browser; `user` defaults to the
    request's signed-in person."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        detail=str(detail)[:500],
    )
    logger.info("security event %s user=%s ip=%s", kind, event.username, event.ip_address)
    return event


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is not None:
        # The idle clock starts at sign-in (middleware.IdleSessionMiddleware).
        from . import second_factor
        from .middleware import start_session_clock

        start_session_clock(request.session)
        # Remembered for the session so that pages need not ask on every request.
        request.session[second_factor.ENROLLED] = second_factor.has_device(user)
        record(Kind.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if request is not None and user is not None:
        record(Kind.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # django-axes refuses a locked-out attempt by raising inside authenticate(), which also
    # sends this signal; the lockout itself is recorded by _locked_out.
    if request is not None and getattr(request, "axes_locked_out", False):
        return
    record(Kind.SIGN_IN_FAILED, request=request, username=credentials.get("username", ""))


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record(Kind.LOCKED_OUT, request=request, username=username or "")


@receiver(pre_save, sender=User)
def _remember_role(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (
        update_fields is not None and not {"role", "delegation"} & set(update_fields)
    ):
        return
    before = User.objects.filter(pk=instance.pk).values("role", "delegation_id").first()
    instance._role_before = before


@receiver(post_save, sender=User)
def _role_changed(sender, instance, created, **kwargs):
    before = getattr(instance, "_role_before", None)
    instance._role_before = None
    if created or not before:
        return
    if (before["role"], before["delegation_id"]) != (instance.role, instance.delegation_id):
        request = getattr(HistoricalRecords.context, "request", None)
        actor = getattr(request, "user", None) if request is not None else None
        by = actor.get_username() if actor is not None and actor.is_authenticated else "system"
        record(
            Kind.ROLE_CHANGED,
            request=request,
            user=instance,
            detail=(
                f"role {before['role']} -> {instance.role}, delegation "
                f"{before['delegation_id']} -> {instance.delegation_id}, by {by}"
            ),
        )
