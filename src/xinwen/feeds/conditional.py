"""Conditional GET for machine-read responses: a strong ETag from the content, 304 when it is unchanged.

Feed readers, crawlers and API clients poll; an unchanged answer costs them one
empty 304 instead of the whole document.
"""

from __future__ import annotations

from functools import wraps

from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe

__all__ = ["conditional"]


def conditional(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if not response.has_header("ETag"):
            set_response_etag(response)
        last_modified = (
            parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
        )
        return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified, response=response)

    return wrapped
