"""Refuse requests whose parameters Django would refuse anyway, before any page reads them.

Django parses the query string (and a form body) lazily, on first access. Past
DATA_UPLOAD_MAX_NUMBER_FIELDS that access raises, and when it happens while the 404
page is rendered (the script switcher reads `?page=`) the reader gets a 500 instead of a
404. Parsing once here turns such a request into a plain 400 with a message.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

__all__ = ["RequestShapeMiddleware"]

log = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"


def _refuse(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class RequestShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.GET  # noqa: B018 - parsed now, so that no later reader meets the error
            if request.method == "POST" and request.content_type == FORM_TYPE:
                request.POST  # noqa: B018 - a form body: the same limits as the query string
        except TooManyFieldsSent:
            log.warning("refused a request with too many parameters: %s", request.path[:200])
            return _refuse(400, "请求参数过多：最多 1000 个。")
        except RequestDataTooBig:
            log.warning("refused a request body that is too large: %s", request.path[:200])
            return _refuse(413, "请求内容过大。")
        return self.get_response(request)
