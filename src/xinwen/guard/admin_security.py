"""网站安全 in the back office: every guard pass with its figures, and the findings with their evidence."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from xinwen.guard.inspect import KINDS
from xinwen.guard.models import GuardFinding, GuardRun

# The back office's home page shows open findings first (templatetags/guard_alerts.py).
admin.site.index_template = "guard/admin_index.html"


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GuardRun)
class GuardRunAdmin(_ReadOnly):
    list_display = ("started_at", "trigger", "outcome", "pages", "requests", "problems", "new_problems", "base_url", "error")
    list_filter = ("outcome", "trigger")
    date_hierarchy = "started_at"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "title": "网站安全：检查记录"})


@admin.register(GuardFinding)
class GuardFindingAdmin(_ReadOnly):
    list_display = ("kind_label", "page", "profile", "evidence_short", "first_seen", "last_seen", "state", "alerted_at")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("url", "evidence")
    readonly_fields = ("kind", "url", "profile", "evidence", "first_seen", "last_seen", "resolved_at", "alerted_at")
    fields = readonly_fields

    @admin.display(description="问题类型", ordering="kind")
    def kind_label(self, obj):
        return KINDS.get(obj.kind, obj.kind)

    @admin.display(description="页面")
    def page(self, obj):
        # Shown as text, never as a link: a found page may be the attacker's.
        return obj.url[:120]

    @admin.display(description="证据")
    def evidence_short(self, obj):
        return format_html("<code>{}</code>", obj.evidence[:200])

    @admin.display(description="状态", boolean=False)
    def state(self, obj):
        return "已消失" if obj.resolved_at else "存在"
