"""Where a request came from, as far as this server can tell."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address. Behind the reverse proxy (TRUSTED_PROXY_COUNT=1) that is the
    address the proxy appended last to X-Forwarded-For: entries before it were written by the
    client and may be forged. Without a proxy, the socket's address."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def axes_client_ip(request) -> str:
    """django-axes wants a string."""
    return client_ip(request) or ""
