"""The back office raises the write path's errors (news.errors); its JSON endpoints answer refusals with `json_error`.

`json_post` is the one preamble of the article form's JSON endpoints (image upload,
autosave, paste, content check): POST only, a request body within its limit, and the
write path's NotAllowed as a 403, each as {"error": message} for the form's scripts.
Permission checks stay in each view: they differ (a new article, this article).
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

from xinwen.news.errors import NotAllowed, WorkflowError

__all__ = ["WorkflowError", "NotAllowed", "json_error", "json_post"]


def json_error(message: str, status: int = 400) -> JsonResponse:
    """{"error": message}: what the article form's scripts show the editor when a request is refused."""
    return JsonResponse({"error": message}, status=status)


def json_post(what: str, *, max_bytes: int | None = None, too_big: str = ""):
    """Decorate `view(model_admin, request, ...)`: 405 unless POST, 413 over `max_bytes`, 403 on NotAllowed.

    `what` names the action in the 405 message (「自动保存需要用 POST 提交。」); `too_big` is
    the 413 message, for a declared length over `max_bytes` and for Django's own
    RequestDataTooBig (a body over DATA_UPLOAD_MAX_MEMORY_SIZE) alike.
    """
    too_big = too_big or "提交的内容太大。"

    def decorate(view):
        @wraps(view)
        def wrapped(model_admin, request, *args, **kwargs):
            if request.method != "POST":
                return json_error(f"{what}需要用 POST 提交。", status=405)
            if max_bytes is not None:
                try:
                    length = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    return json_error("请求的长度无效。", status=400)
                if length > max_bytes:
                    return json_error(too_big, status=413)
            try:
                return view(model_admin, request, *args, **kwargs)
            except RequestDataTooBig:
                return json_error(too_big, status=413)
            except NotAllowed as exc:
                return json_error(str(exc), status=403)

        return wrapped

    return decorate
