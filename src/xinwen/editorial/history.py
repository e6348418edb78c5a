"""The 版本与操作记录 page of an article and its rollback, hooked into the article admin's URLs.

Each version row shows what that revision changed compared with the one before it
(editorial/revisions.py: labels, display values, word diff, the body side by side); the
audit log below it is in words (editorial/auditlog.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from xinwen.editorial.auditlog import audit_detail_text
from xinwen.editorial.revisions import article_versions, live_field_dict, revision_comment, version_changes
from xinwen.news import services
from xinwen.news.models import AuditEntry
from xinwen.news.tree import CategoryTree

__all__ = ["history_urls"]


def revisions_view(model_admin, request: HttpRequest, pk: int):
    article = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    tree = CategoryTree.load()
    versions = article_versions(article)
    live = live_field_dict(article)
    rows = []
    for index, version in enumerate(versions):
        older = versions[index + 1].field_dict if index + 1 < len(versions) else {}
        rows.append(
            {
                "version": version,
                "comment": revision_comment(version.revision.comment),
                "changes": version_changes(older, version.field_dict, tree=tree),
                "differs_from_current": bool(version_changes(version.field_dict, live, tree=tree)),
            }
        )
    audit = list(
        AuditEntry.objects.filter(
            content_type__app_label="news", content_type__model="article", object_id=str(article.pk)
        ).select_related("user", "content_type")[:100]
    )
    for entry in audit:
        entry.detail_text = audit_detail_text(entry)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"版本与操作记录：{article.title}",
        "article": article,
        "rows": rows,
        "audit": audit,
        "can_rollback": model_admin.has_change_permission(request, article),
    }
    return TemplateResponse(request, "editorial/article_revisions.html", context)


def rollback_view(model_admin, request: HttpRequest, pk: int, version_id: int):
    if request.method != "POST":
        return JsonResponse({"error": "回滚需要从版本页面提交。"}, status=405)
    article = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
    services.article_rollback(article=article, version=version, user=request.user)
    messages.success(request, "已回滚到所选版本的内容（状态、发布时间、置顶、责任编辑和浏览次数保持不变）。")
    return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]))


def history_urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<int:pk>/revisions/",
            view(lambda request, pk: revisions_view(model_admin, request, pk)),
            name="news_article_revisions",
        ),
        path(
            "<int:pk>/revisions/<int:version_id>/rollback/",
            view(lambda request, pk, version_id: rollback_view(model_admin, request, pk, version_id)),
            name="news_article_rollback",
        ),
    ]
