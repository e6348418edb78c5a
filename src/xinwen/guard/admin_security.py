"""网站安全 in the back office: every guard pass with its figures, the findings with their evidence, and 立即检查.

立即检查 (POST, superusers and holders of guard.run_guardrun) claims the one manual slot and runs
a pass with the HTTP profiles in a thread of this process (the browser profile stays with
`xinwen guard`); the page refreshes itself while the pass runs and shows pages done / total.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from xinwen.guard.inspect import KINDS
from xinwen.guard.models import GuardFinding, GuardRun
from xinwen.guard.monitor import guard_pass_in_background
from xinwen.guard.patrol import PROFILES
from xinwen.guard.services import MANUAL_SLOT

# The back office's home page shows open findings first (templatetags/guard_alerts.py).
admin.site.index_template = "guard/admin_index.html"


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def can_run(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("guard.run_guardrun"))


@admin.register(GuardRun)
class GuardRunAdmin(_ReadOnly):
    list_display = ("started_at", "trigger", "outcome", "pages", "requests", "problems", "new_problems", "base_url", "error")
    list_filter = ("outcome", "trigger")
    date_hierarchy = "started_at"
    change_list_template = "guard/guardrun_change_list.html"

    def get_urls(self):
        run_now = self.admin_site.admin_view(require_POST(self.run_now_view))
        return [path("run-now/", run_now, name="guard_guardrun_run_now"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        running = GuardRun.objects.filter(slot=MANUAL_SLOT).first()
        context = {
            "title": "网站安全：检查记录",
            "can_run": can_run(request.user),
            "running": running,
            "open_findings": [(KINDS.get(f.kind, f.kind), f) for f in GuardFinding.objects.filter(resolved_at=None)[:50]],
        }
        return super().changelist_view(request, {**(extra_context or {}), **context})

    def run_now_view(self, request):
        """立即检查: one pass over the site with the HTTP profiles, in a thread; one manual pass at a time."""
        if not can_run(request.user):
            raise PermissionDenied("只有超级管理员或有“立即检查”权限的用户可以立即检查。")
        base_url = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
        run = guard_pass_in_background(base_url=base_url, profiles=list(PROFILES))
        if run is None:
            running = GuardRun.objects.filter(slot=MANUAL_SLOT).first()
            since = f"（开始于 {timezone.localtime(running.started_at):%H:%M:%S}）" if running else ""
            messages.error(request, f"已有一次检查正在进行{since}，请等它结束后再试。")
        else:
            messages.success(request, f"已开始检查 {base_url}，页面会自动刷新显示进度。")
        return redirect("admin:guard_guardrun_changelist")


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
