"""The editors' statistics: a dashboard in place of the DailyViews list, and CSV export.

Registered on DailyViews so that the admin index lists 浏览统计 under its own app and the
model's view permission (granted to 编辑 and 管理员 by migration 0002) decides who sees it.
"""

from __future__ import annotations

import csv
from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from xinwen.news.models import Article
from xinwen.stats import charts, selectors, services
from xinwen.stats.models import DailyViews

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30


def _period(request: HttpRequest) -> int | None:
    raw = request.GET.get("days", str(DEFAULT_PERIOD))
    return int(raw) if raw in {str(days) for days in PERIODS} else None


def _bad_period() -> HttpResponseBadRequest:
    choices = "、".join(map(str, PERIODS))
    return HttpResponseBadRequest(f"参数 days 只能是 {choices}（天）。", content_type="text/plain; charset=utf-8")


class _Echo:
    """A file-like object that hands each written CSV line straight back (for streaming)."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @ at the start)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin.register(DailyViews)
class StatsDashboardAdmin(admin.ModelAdmin):
    """No list, no forms: the statistics are written by counting only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("export.csv", view(self.export_view), name="stats_dailyviews_export"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = _period(request)
        if days is None:
            return _bad_period()
        services.views_flush_quietly()
        today = timezone.localdate()
        first = today - timedelta(days=days - 1)
        series = selectors.views_per_day(first=first, last=today)
        categories = selectors.views_per_category(first=first, last=today)
        monday = today - timedelta(days=today.weekday())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "浏览统计",
            "days": days,
            "periods": PERIODS,
            "first": first,
            "today": today,
            "summary": [
                ("今日", selectors.views_between(first=today, last=today)),
                ("昨日", selectors.views_between(first=today - timedelta(days=1), last=today - timedelta(days=1))),
                (f"近 {days} 天", sum(views for _, views in series)),
                ("累计（含导入的历史浏览量）", selectors.total_views()),
            ],
            "series": series,
            "day_chart": charts.column_chart(
                [(f"{day:%m-%d}", views) for day, views in series],
                tooltips=[f"{day:%Y-%m-%d}：{views:,} 次" for day, views in series],
                title=f"近 {days} 天每日浏览量",
                chart_id="xw-chart-days",
            ),
            "tops": [
                ("本周", selectors.top_articles(since=monday, until=today)),
                ("本月", selectors.top_articles(since=today.replace(day=1), until=today)),
                ("全部时间", selectors.top_articles(since=None)),
            ],
            "categories": categories,
            "category_chart": charts.bar_chart(
                [(row.name, row.views) for row in categories], title=f"近 {days} 天各栏目浏览量", chart_id="xw-chart-categories"
            )
            if categories
            else "",
            "export_url": reverse("admin:stats_dailyviews_export") + f"?days={days}",
            "time_zone": settings.TIME_ZONE,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "stats/admin/dashboard.html", context)

    def export_view(self, request: HttpRequest):
        """Daily views per article as CSV (UTF-8 with BOM so that Excel reads the Chinese)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = _period(request)
        if days is None:
            return _bad_period()
        article_id = None
        if "article" in request.GET:
            raw = request.GET["article"]
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
                return HttpResponseBadRequest("参数 article 应为文章编号。", content_type="text/plain; charset=utf-8")
            article_id = get_object_or_404(Article, pk=int(raw)).pk
        services.views_flush_quietly()
        today = timezone.localdate()
        first = today - timedelta(days=days - 1)
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow(["日期", "文章编号", "标题", "栏目", "浏览次数"])
            for day, pk, title, category, views in selectors.daily_rows(first=first, last=today, article_id=article_id):
                yield writer.writerow([day.isoformat(), pk, _cell(title), _cell(category), views])

        name = f"xinwen-views-{first:%Y%m%d}-{today:%Y%m%d}" + (f"-article-{article_id}" if article_id else "") + ".csv"
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response

