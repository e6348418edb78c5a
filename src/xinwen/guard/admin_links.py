"""死链报告 in the back office: the broken external links `xinwen linkcheck` found, article by article."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from xinwen.guard.models import LinkCheck


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = ("article_link", "link", "status", "error", "checked_at")
    list_filter = ("broken", "skipped", "checked_at")
    search_fields = ("url", "article__title")
    list_select_related = ("article",)
    ordering = ("-article__publish_at", "article_id", "url")

    @admin.display(description="文章", ordering="article__publish_at")
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:news_article_change", args=[obj.article_id]), obj.article.title)

    @admin.display(description="链接")
    def link(self, obj):
        return format_html('<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>', obj.url, obj.url[:100])

    def changelist_view(self, request, extra_context=None):
        # The report opens on what needs fixing; 全部 is one click away in the filter.
        if not request.GET and request.method == "GET":
            return HttpResponseRedirect(request.path + "?broken__exact=1")
        return super().changelist_view(request, {**(extra_context or {}), "title": "死链报告（外部链接）"})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
