"""The second factor: who must have one, whether this session has shown it, and backup codes.

django-otp's devices (TOTP for the authenticator app, static tokens for backup codes) hold the
secrets; which device verified this session is kept in the session itself, so pages do not
query the devices on every request (django-otp's OTPMiddleware would, one query a page)."""

import secrets

from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User

ENROLLED = "second_factor_enrolled"
BACKUP_CODE_COUNT = 10


def is_required(user) -> bool:
    """Secretaries and administrators see every nation's drafts or change people: a stolen
    password alone must not be enough."""
    return (
        user.is_staff
        or user.is_superuser
        or user.role
        in {
            User.Role.SECRETARY,
            User.Role.ADMINISTRATOR,
        }
    )


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user))


def is_enrolled(request) -> bool:
    """Whether the person has a confirmed device, remembered in the session from sign-in."""
    if ENROLLED not in request.session:
        request.session[ENROLLED] = has_device(request.user)
    return request.session[ENROLLED]


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def mark_verified(request, device) -> None:
    otp_login(request, device)
    request.session[ENROLLED] = True


def remember_enrolment(request, enrolled: bool) -> None:
    request.session[ENROLLED] = enrolled
    if not enrolled:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


def verify(user, token: str):
    """The device that accepts the code (authenticator or backup code), or None. django-otp
    refuses a code used before and slows down repeated failures."""
    token = "".join(token.split()).lower()
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, TOTPDevice) and not token.isdigit():
                continue
            if device.verify_token(token):  # False while django-otp throttles the device
                return device
    return None


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per person), created on first ask."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


def new_backup_codes(user) -> list[str]:
    """Replaces the person's backup codes with fresh ones, each usable once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Backup codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remove_all(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
