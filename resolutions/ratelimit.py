"""Per-person limits on buttons that send mail or start background work, kept in the cache.

A fixed window: at most `limit` uses per `window` seconds. When the cache is unreachable the
limit lets the request through (logged by the cache): a page that answers matters more than a
limit that a broken Redis would otherwise turn into a 500 for everyone.
"""

import time

from django.conf import settings
from django.core.cache import cache


def allow(user, action: str, *, limit: int | None = None, window: int | None = None) -> bool:
    """Counts one use of `action` by `user`; False once the window's limit is reached."""
    limit = limit or settings.RATE_LIMIT_ACTIONS
    window = window or settings.RATE_LIMIT_WINDOW_SECONDS
    # The account's creation time beside its id: an id can come back (a restored or recreated
    # database), and must not inherit someone else's count.
    date_joined = getattr(user, "date_joined", None)  # limits on an address pass no account
    joined = int(date_joined.timestamp() * 1_000_000) if date_joined else 0
    key = f"rate:{action}:{user.pk}.{joined}:{int(time.time() // window)}"
    if cache.add(key, 1, window):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the window just expired, or the cache is unreachable
        return True
