"""The page cache's settings and its one store per process."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

__all__ = ["enabled", "store", "max_ttl", "max_bytes"]


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def max_ttl() -> int:
    """Seconds an entry may live at most: a safety net, not what keeps pages fresh (purges do)."""
    return int(getattr(settings, "PAGE_CACHE_TTL", 3600))


def max_bytes() -> int | None:
    """The on-disk store's size cap (PAGE_CACHE_MAX_MB); 0 means no cap."""
    megabytes = float(getattr(settings, "PAGE_CACHE_MAX_MB", 512))
    return int(megabytes * 1024 * 1024) or None


@lru_cache(maxsize=1)
def store():
    """Redis when REDIS_URL is set (every host sees one store), else files under PAGE_CACHE_DIR."""
    if settings.REDIS_URL:
        from xinwen.pagecache.store_redis import RedisStore

        prefix = f"{settings.CACHES['default'].get('KEY_PREFIX') or 'xinwen'}:pagecache"
        return RedisStore(settings.REDIS_URL, prefix=prefix, max_ttl=max_ttl())
    from xinwen.pagecache.store_disk import DiskStore

    return DiskStore(settings.PAGE_CACHE_DIR, max_bytes=max_bytes())
