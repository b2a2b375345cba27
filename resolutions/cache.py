"""A Redis cache that degrades instead of failing: when Redis cannot be reached, reads miss and
writes are dropped, so pages are computed rather than answered with a 500.

After a connection failure the process leaves Redis alone for `RETRY_AFTER_SECONDS`, so a page
that touches the cache several times pays the connection timeout once, not each time.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, except that an unreachable server reads as an empty cache."""

    RETRY_AFTER_SECONDS = 10.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, method: str, fallback, *args, **kwargs):
        if self.is_down:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as error:
            self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            logger.warning(
                "Cache unreachable (%s); pages are computed without it for %d s",
                error, self.RETRY_AFTER_SECONDS,
            )  # fmt: skip
            return fallback

    def add(self, *args, **kwargs):
        return self._call("add", False, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, *args, **kwargs):
        return self._call("set", None, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", False, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", {}, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", False, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        if self.is_down:
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from error

    def set_many(self, *args, **kwargs):
        return self._call("set_many", [], *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", None, *args, **kwargs)

    def clear(self):
        return self._call("clear", False)
