"""HTTP around every API view: CORS for the configured origins, HEAD, and ETag/304.

Kept outside django-ninja so that preflight requests (OPTIONS, sent by browsers because
If-None-Match is not a "simple" header) never reach an operation, and so that the
OpenAPI document itself is served the same way.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpResponse
from django.urls import URLPattern
from django.utils.cache import patch_vary_headers

from xinwen.feeds import conf
from xinwen.feeds.conditional import conditional
from xinwen.hanzi.variants import DEFAULT_VARIANT, VARIANTS

__all__ = ["api_view", "wrap_patterns"]

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Content-Language"
PREFLIGHT_MAX_AGE = "86400"


def _allowed_origin(origin: str | None) -> str | None:
    """The value for Access-Control-Allow-Origin, or None when this origin may not read the API."""
    origins = conf.cors_origins()
    if not origin or not origins:
        return None
    if "*" in origins:
        return "*"
    return origin if origin.rstrip("/") in origins else None


def api_view(view):
    cached_view = conditional(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        origin = request.headers.get("Origin")
        allow = _allowed_origin(origin)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            if allow and "Access-Control-Request-Method" in request.headers:
                response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        elif request.method == "HEAD":
            request.method = "GET"  # django-ninja routes GET only; HEAD is the same answer without a body
            try:
                response = cached_view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        else:
            response = cached_view(request, *args, **kwargs)
        variant = VARIANTS.get(request.GET.get("variant", DEFAULT_VARIANT.code))
        if variant is not None:
            response["Content-Language"] = variant.lang  # the script asked for, not the URL's (there is none)
        if allow:
            response["Access-Control-Allow-Origin"] = allow
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if allow != "*" and conf.cors_origins():
            patch_vary_headers(response, ["Origin"])  # the answer differs per origin: caches must keep them apart
        return response

    return wrapped


def wrap_patterns(patterns):
    return [
        URLPattern(p.pattern, api_view(p.callback), p.default_args, p.name) if isinstance(p, URLPattern) else p
        for p in patterns
    ]
