"""The article as those who may not change it see it: the body rendered, not its HTML source.

An author's submitted article (and any article opened with view permission only) is shown
read-only by the admin, which would print the body field's HTML as text. Here the body is
replaced by its rendering, sanitised again on the way out like every body a page prints.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from xinwen.news.models import Article
from xinwen.news.sanitize import sanitize_html

__all__ = ["ReadOnlyBody"]


class ReadOnlyBody:
    """Mixed into ArticleAdmin before ModelAdmin."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": ["rendered_body" if f == "body" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "rendered_body"]

    @admin.display(description="正文")
    def rendered_body(self, obj: Article):
        return format_html('<div class="xw-rendered-body">{}</div>', mark_safe(sanitize_html(obj.body or "")))
