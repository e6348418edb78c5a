"""The back office raises the write path's errors (news.errors); its JSON endpoints answer refusals with `json_error`."""

from django.http import JsonResponse

from xinwen.news.errors import NotAllowed, WorkflowError

__all__ = ["WorkflowError", "NotAllowed", "json_error"]


def json_error(message: str, status: int = 400) -> JsonResponse:
    """{"error": message}: what the article form's scripts show the editor when a request is refused."""
    return JsonResponse({"error": message}, status=status)
