"""The stats app's settings, with their defaults; read at call time so tests can override them.

settings.py sets these from the environment (README lists the variables); the defaults
here are what a site gets when it sets nothing.
"""

from __future__ import annotations

from django.conf import settings

__all__ = [
    "dedup_window",
    "rate_limit",
    "rate_window",
    "flush_interval",
    "proxy_count",
    "redis_url",
    "redis_prefix",
]


def dedup_window() -> int:
    """Seconds within which a reader's repeat view of an article counts once (30 minutes)."""
    return int(getattr(settings, "STATS_DEDUP_SECONDS", 30 * 60))


def rate_limit() -> int:
    """Beacons one client network may send per rate window; more get 429."""
    return int(getattr(settings, "STATS_RATE_LIMIT", 120))


def rate_window() -> int:
    return int(getattr(settings, "STATS_RATE_WINDOW_SECONDS", 60))


def flush_interval() -> float:
    """Seconds between flushes of Redis counts to the database in each app process."""
    return float(getattr(settings, "STATS_FLUSH_SECONDS", 10))


def proxy_count() -> int:
    """Trusted reverse proxies in front of the app (PROXY_COUNT); 0 means REMOTE_ADDR is the reader."""
    value = getattr(settings, "PROXY_COUNT", None)
    if value is None:  # settings.py has so far only passed PROXY_COUNT on to django-axes
        value = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    return max(int(value or 0), 0)


def redis_url() -> str:
    return getattr(settings, "REDIS_URL", "") or ""


def redis_prefix() -> str:
    """Namespace of the counting keys in Redis: several sites may share one Redis (CACHE_PREFIX)."""
    explicit = getattr(settings, "STATS_REDIS_PREFIX", "")
    if explicit:
        return explicit
    cache_prefix = settings.CACHES.get("default", {}).get("KEY_PREFIX") or "xinwen"
    return f"{cache_prefix}:stats:"
