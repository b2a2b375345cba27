"""Personal API tokens: `rct_<prefix>_<secret>`. The prefix finds the row; the SHA-256 of the
whole token is compared in constant time. A token with 256 random bits needs no slow hash."""

import hashlib
import hmac
import secrets

from django.utils import timezone

from ..models import ApiToken

PREFIX = "rct_"
# last_used_at is written at most this often per token, not on every request.
TOUCH_SECONDS = 300


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """The saved token and its secret text, which is shown once and never stored."""
    prefix = secrets.token_hex(4)
    raw = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_digest(raw), expires_at=expires_at
    )
    return token, raw


def token_for(raw: str) -> ApiToken | None:
    """The active token this text is, or None."""
    if not raw.startswith(PREFIX) or raw.count("_") < 2:
        return None
    prefix = raw[len(PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user__delegation").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _digest(raw)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_tokens(tokens) -> list[ApiToken]:
    """Revokes the still unrevoked tokens among `tokens` (a person's own, under Preferences; any,
    by an administrator in the admin) and returns them."""
    chosen = list(tokens.filter(revoked_at__isnull=True).select_related("user"))
    now = timezone.now()
    ApiToken.objects.filter(pk__in=[t.pk for t in chosen], revoked_at__isnull=True).update(
        revoked_at=now
    )
    for token in chosen:
        token.revoked_at = now
    return chosen


def named(token: ApiToken) -> str:
    """How the audit trail and the admin name a token: its name and prefix, never its secret."""
    return f"{token.name} ({PREFIX}{token.prefix}…)"
