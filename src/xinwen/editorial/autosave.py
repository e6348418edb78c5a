"""The article form's autosave endpoint: the typed text becomes a draft revision (news.services.article_autosave).

editorial/static/editorial/autosave.js posts the form's text fields here while an editor
types on an existing article, and warns before leaving a page with unsaved changes.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone

from xinwen.editorial.errors import json_error, json_post
from xinwen.news import services
from xinwen.news.services.autosave import AUTOSAVED_FIELDS

__all__ = ["autosave_urls"]

MAX_BODY = 2_000_000  # characters; a body beyond this is refused rather than truncated


@json_post("自动保存", too_big="正文太长，无法自动保存，请直接保存。")
def autosave_view(model_admin, request: HttpRequest, pk: int):
    article = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not model_admin.has_change_permission(request, article):
        return json_error("您不能修改这篇文章，未自动保存。", status=403)
    data = {name: request.POST[name] for name in AUTOSAVED_FIELDS if name in request.POST}
    if not data:
        return json_error("没有可以保存的内容。")
    if len(data.get("body", "")) > MAX_BODY:
        return json_error("正文太长，无法自动保存，请直接保存。")
    version = services.article_autosave(article=article, user=request.user, data=data)
    saved_at = timezone.localtime().strftime("%H:%M:%S")
    return JsonResponse({"saved": version is not None, "version": version.pk if version else None, "at": saved_at})


def autosave_urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<int:pk>/autosave/",
            view(lambda request, pk: autosave_view(model_admin, request, pk)),
            name="news_article_autosave",
        )
    ]
