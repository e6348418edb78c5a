"""A per-client request budget in the shared cache: a fixed window per client address.

Addresses are kept only as salted hashes, only for one window. IPv6 clients are
counted per /64, which is what one subscriber usually gets.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

__all__ = ["client_address", "Verdict", "rate_limit", "DEFAULT_RATE"]

DEFAULT_RATE = "30/60"  # requests / seconds


def _proxy_count() -> int:
    value = getattr(settings, "PROXY_COUNT", None)
    if value is None:  # settings name it for the login throttle only
        value = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    return int(value or 0)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one the trusted reverse proxies (PROXY_COUNT) saw."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = _proxy_count()
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _rate() -> tuple[int, int]:
    raw = str(getattr(settings, "SEARCH_RATE_LIMIT", "") or DEFAULT_RATE)
    count, _, seconds = raw.partition("/")
    try:
        return max(int(count), 1), max(int(seconds), 1)
    except ValueError:  # reported by the search.E001 system check; never an error page
        count, _, seconds = DEFAULT_RATE.partition("/")
        return int(count), int(seconds)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends


def rate_limit(request, scope: str) -> Verdict:
    """Count this request against the client's budget for `scope`."""
    limit, window = _rate()
    now = time.time()
    bucket = int(now // window)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:24]
    key = f"ratelimit:{scope}:{digest}:{bucket}"
    if cache.add(key, 1, window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 1)
            count = 1
    return Verdict(allowed=count <= limit, retry_after=max(int(window - now % window), 1))
