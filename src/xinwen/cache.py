"""The shared cache when REDIS_URL is set: Django's Redis cache, degrading instead of failing.

Everything xinwen keeps in the cache can be computed again (converted text, search
results, the 热门文章 ranking), so a Redis that is down or unreachable must cost speed,
never an error page. Reads then miss and writes are dropped; `add` and `incr`, which
callers use to count (rate limits), raise CacheUnavailable so that they can count some
other way. After a failure the cache is not asked again for RETRY_SECONDS (no connect
attempt per request), and a warning is logged at most once a minute per process.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

__all__ = ["ResilientRedisCache", "CacheUnavailable", "cache_available", "redis_cache_settings"]

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
WARN_SECONDS = 60.0
# Seconds to wait for Redis: a request must never wait for the operating system's connect timeout.
CONNECT_TIMEOUT = 0.5
SOCKET_TIMEOUT = 2.0

_lock = threading.Lock()
_down_until: dict[str, float] = {}  # per location, shared by every thread's cache instance
_last_warning: dict[str, float] = {}


class CacheUnavailable(Exception):
    """The shared cache cannot be reached; count or compute without it."""


def redis_cache_settings(url: str, prefix: str) -> dict:
    """CACHES["default"] for a Redis URL (settings.py)."""
    return {
        "BACKEND": "xinwen.cache.ResilientRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT},
    }


def cache_available(cache) -> bool:
    """False while `cache` is a shared cache known to be down (any other cache is always available)."""
    return getattr(cache, "available", True)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        import redis  # imported by the cache that uses it: a site without Redis never loads the client

        super().__init__(server, params)
        self._errors = redis.RedisError

    @property
    def available(self) -> bool:
        return time.monotonic() >= _down_until.get(self._location_key, 0.0)

    @property
    def _location_key(self) -> str:
        return ",".join(self._servers)

    def _failed(self, exc: Exception) -> None:
        now = time.monotonic()
        key = self._location_key
        with _lock:
            _down_until[key] = now + RETRY_SECONDS
            warn = now - _last_warning.get(key, float("-inf")) > WARN_SECONDS
            if warn:
                _last_warning[key] = now
        if warn:
            log.warning("the Redis cache is unavailable (%s); pages are served without it", exc)

    def _try(self, call, default):
        if not self.available:
            return default
        try:
            return call()
        except self._errors as exc:
            self._failed(exc)
            return default

    def _must(self, call):
        if not self.available:
            raise CacheUnavailable("the Redis cache is unavailable")
        try:
            return call()
        except self._errors as exc:
            self._failed(exc)
            raise CacheUnavailable(str(exc)) from exc

    # Reads miss and writes are dropped while Redis is down.
    def get(self, key, default=None, version=None):
        return self._try(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._try(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._try(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._try(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._try(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, self._missing_key, version=version)
        if value is not self._missing_key:
            return value
        if callable(default):
            default = default()
        try:
            self.add(key, default, timeout=timeout, version=version)
        except CacheUnavailable:  # computed, not kept
            return default
        return self.get(key, default, version=version)

    # Counting: the caller must know that nothing was counted.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._must(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version))

    def incr(self, key, delta=1, version=None):
        return self._must(lambda: super(ResilientRedisCache, self).incr(key, delta, version))
