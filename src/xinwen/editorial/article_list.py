"""The article list's columns (文章列表): what each row shows, kept out of the admin class so it stays small."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from xinwen.editorial import sections
from xinwen.news.models import Article
from xinwen.news.tree import CategoryTree

__all__ = ["ArticleListColumns"]


class ArticleListColumns:
    """Mixed into ArticleAdmin: columns that fit 1280 px (a section's own name, not its whole path)."""

    list_display = ("title", "section", "status_badge", "publish_at", "pinned", "view_count", "updated_at", "created_by")
    list_display_links = ("title",)
    list_filter = (sections.QueueFilter, "status", "category", "pinned", "publish_at")
    date_hierarchy = "publish_at"
    search_fields = ("title", "subtitle", "summary", "author", "source_name", "editor")
    list_select_related = ("category", "created_by")
    list_per_page = 50

    @admin.display(description="栏目", ordering="category__name")
    def section(self, obj: Article):
        return format_html('<span title="{}">{}</span>', str(obj.category), obj.category.name)

    @admin.display(description="状态", ordering="status")
    def status_badge(self, obj: Article):
        label = obj.get_status_display()
        if obj.status == Article.Status.REVIEW:  # 待初审 / 待复审 ...: the level of its section's chain
            label = "待" + sections.chain_for(obj.category_id, tree=CategoryTree.current()).name(obj.review_level or 1)
        if obj.is_scheduled:
            label = "定时发布"
        elif obj.is_offline_by_time:
            label = "已定时下线"
        if obj.status == Article.Status.REJECTED and obj.review_note:
            return format_html(
                '<span class="xw-status xw-status--{}">{}</span><div class="xw-review-note">退回原因：{}</div>',
                obj.status,
                label,
                obj.review_note,
            )
        return format_html('<span class="xw-status xw-status--{}">{}</span>', obj.status, label)
