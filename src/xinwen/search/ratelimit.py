"""A per-client request budget in the shared cache: a fixed window per client address.

Addresses are kept only as salted hashes, only for one window. IPv6 clients are
counted per /64, which is what one subscriber usually gets. `rate_limited` puts a
view (a Django view or a django-ninja operation) behind the budget. While the shared cache
(Redis) is down each process counts for itself: a looser limit, but still a limit.
"""

from __future__ import annotations

import hashlib
import inspect
import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from xinwen.cache import CacheUnavailable

__all__ = ["client_address", "Verdict", "rate_limit", "rate_limited", "refuse_json", "DEFAULT_RATE"]

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
    try:
        count = _count_shared(key, window)
    except CacheUnavailable:
        count = _count_locally(key, bucket)
    return Verdict(allowed=count <= limit, retry_after=max(int(window - now % window), 1))


def _count_shared(key: str, window: int) -> int:
    if cache.add(key, 1, window + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 1)
        return 1


_local_lock = threading.Lock()
_local: dict[str, int] = {}
_local_bucket = [None]


def _count_locally(key: str, bucket: int) -> int:
    """This process's count for `key` in the current window (the shared cache is down)."""
    with _local_lock:
        if _local_bucket[0] != bucket:  # a new window: the old counts are over
            _local.clear()
            _local_bucket[0] = bucket
        _local[key] = count = _local.get(key, 0) + 1
        return count


def refuse_json(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    """The API's refusal: its error envelope, in Chinese."""
    error = {"code": "rate_limited", "message": f"搜索过于频繁：请在 {verdict.retry_after} 秒后再试。", "field": None}
    return JsonResponse({"error": error}, status=429, json_dumps_params={"ensure_ascii": False})


def rate_limited(
    scope: str,
    *,
    refuse: Callable[[HttpRequest, Verdict], HttpResponse],
    counts: Callable[[HttpRequest], bool] = lambda request: True,
):
    """Count each request for which `counts` is true against the client's budget for `scope`;
    over budget, answer `refuse(request, verdict)` (a 429 page, or refuse_json) with Retry-After.

    Works on a django-ninja operation too: ninja reads the parameters from the wrapper's
    signature and passes a returned HttpResponse through. The signature is resolved here,
    against the view's module: ninja would look string annotations up in this module's.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if counts(request):
                verdict = rate_limit(request, scope)
                if not verdict.allowed:
                    response = refuse(request, verdict)
                    response.status_code = 429
                    response["Retry-After"] = str(verdict.retry_after)
                    response["Cache-Control"] = "no-store"
                    return response
            return view(request, *args, **kwargs)

        wrapped.__signature__ = inspect.signature(view, eval_str=True)
        return wrapped

    return decorator
