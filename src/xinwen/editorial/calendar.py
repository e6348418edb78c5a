"""The editorial calendar (编辑日历): what is scheduled, published, waiting for review and going offline, by day.

A month or a week at a time, optionally one section (栏目) with its sub-sections. Those who
may publish move a scheduled publish time or a coming unpublish time by dragging it to
another day (editorial/static/editorial/calendar.js) or, without script, with the small form
each movable entry carries; both post to the same view, which calls
news.services.article_reschedule. Everyone else sees the calendar read-only, limited to what
they may open in the back office.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from xinwen.news import services
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article
from xinwen.news.services.schedule import RESCHEDULABLE_FIELDS
from xinwen.news.tree import CategoryTree

__all__ = ["calendar_urls", "calendar_entries", "CalendarEntry"]

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]
MAX_PER_KIND = 500  # a month of one kind; more would not fit on the page anyway

KIND_LABELS = {
    "scheduled": "定时发布",
    "published": "已发布",
    "review": "待审核",
    "offline": "定时下线",
    "offlined": "已下线",
}


@dataclass
class CalendarEntry:
    article: Article
    kind: str  # a key of KIND_LABELS
    when: datetime  # local time
    movable: bool = False
    field: str = ""  # the Article field a move changes

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def key(self) -> str:
        return f"{self.article.pk}-{self.field or self.kind}"


@dataclass
class Day:
    day: date
    in_period: bool
    today: bool
    entries: list[CalendarEntry] = field(default_factory=list)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def calendar_entries(*, user, start: date, end: date, category_ids: list[int] | None = None) -> list[CalendarEntry]:
    """Every calendar entry from local day `start` up to (not including) `end` that `user` may see, by time."""
    low, high = _local_midnight(start), _local_midnight(end)
    now = timezone.now()
    mover = services.can_publish(user)
    base = Article.objects.visible_to(user).select_related("category")
    if category_ids is not None:
        base = base.filter(category_id__in=category_ids)
    released = base.released()
    entries: list[CalendarEntry] = []
    for article in released.filter(publish_at__gte=low, publish_at__lt=high)[:MAX_PER_KIND]:
        ahead = article.publish_at > now
        entries.append(
            CalendarEntry(article, "scheduled" if ahead else "published", article.publish_at, mover and ahead, "publish_at" if ahead else "")
        )
    for article in released.filter(unpublish_at__gte=low, unpublish_at__lt=high)[:MAX_PER_KIND]:
        ahead = article.unpublish_at > now
        entries.append(
            CalendarEntry(article, "offline" if ahead else "offlined", article.unpublish_at, mover and ahead, "unpublish_at" if ahead else "")
        )
    # A submission sits on the day it asks to be published, or on the day it was submitted.
    waiting = base.filter(status=Article.Status.REVIEW).filter(
        Q(publish_at__gte=low, publish_at__lt=high) | Q(publish_at__isnull=True, updated_at__gte=low, updated_at__lt=high)
    )
    for article in waiting[:MAX_PER_KIND]:
        entries.append(CalendarEntry(article, "review", article.publish_at or article.updated_at))
    for entry in entries:
        entry.when = timezone.localtime(entry.when)
    entries.sort(key=lambda e: (e.when, e.article.pk))
    return entries


class PeriodForm(forms.Form):
    """The calendar's query string: which view, which day, which section."""

    view = forms.ChoiceField(choices=[("month", "月"), ("week", "周")], required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    category = forms.IntegerField(required=False, min_value=1)


class MoveForm(forms.Form):
    """One move: from the drag (the day changed, the time kept) or from the plain form."""

    article = forms.IntegerField(min_value=1)
    field = forms.ChoiceField(choices=[(name, name) for name in RESCHEDULABLE_FIELDS])
    when = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])


def _period(view: str, anchor: date) -> tuple[date, date, list[date]]:
    """(first day shown, day after the last, the period's own days) for a month or a week around `anchor`."""
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=7), [start + timedelta(days=i) for i in range(7)]
    first = anchor.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=7 - last.weekday())
    return start, end, [first + timedelta(days=i) for i in range(last.day)]


def _shift(view: str, anchor: date, step: int) -> date:
    if view == "week":
        return anchor + timedelta(days=7 * step)
    month = anchor.month - 1 + step
    return date(anchor.year + month // 12, month % 12 + 1, 1)


def _can_open(model_admin, request) -> bool:
    return model_admin.has_view_or_change_permission(request)


def calendar_view(model_admin, request: HttpRequest):
    if not _can_open(model_admin, request):
        raise PermissionDenied
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("日历参数有误：view 只能是 month 或 week，date 的格式是 2025-01-31，category 是栏目编号。".encode())
    view = form.cleaned_data["view"] or "month"
    today = timezone.localdate()
    anchor = form.cleaned_data["date"] or today
    tree = CategoryTree.load()
    category_id = form.cleaned_data["category"]
    if category_id is not None and category_id not in tree.nodes:
        return HttpResponseBadRequest("没有这个栏目。".encode())
    start, end, own_days = _period(view, anchor)
    category_ids = tree.descendant_ids(category_id) if category_id else None
    entries = calendar_entries(user=request.user, start=start, end=end, category_ids=category_ids)
    own = set(own_days)
    days = {start + timedelta(days=i): Day(start + timedelta(days=i), False, False) for i in range((end - start).days)}
    for day in days.values():
        day.in_period, day.today = day.day in own, day.day == today
    for entry in entries:
        days[entry.when.date()].entries.append(entry)
    ordered = list(days.values())
    query = {"view": view, **({"category": category_id} if category_id else {})}
    title = f"{anchor.year}年{anchor.month}月" if view == "month" else f"{own_days[0]:%Y-%m-%d} 至 {own_days[-1]:%Y-%m-%d}"
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "编辑日历",
        "period_title": title,
        "view": view,
        "weeks": [ordered[i : i + 7] for i in range(0, len(ordered), 7)],
        "weekdays": WEEKDAYS,
        "kinds": KIND_LABELS,
        "entry_count": len(entries),
        "categories": [(pk, tree.path_name(pk)) for pk in tree.nodes],
        "category_id": category_id,
        "query": query,
        "previous": _shift(view, anchor, -1).isoformat(),
        "next": _shift(view, anchor, 1).isoformat(),
        "today": today.isoformat(),
        "anchor": anchor.isoformat(),
        "can_move": services.can_publish(request.user),
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "editorial/calendar.html", context)


def reschedule_view(model_admin, request: HttpRequest):
    """POST one move; back to the calendar page it came from with a message."""
    if request.method != "POST":
        return HttpResponseBadRequest("改期需要从编辑日历提交。".encode(), status=405)
    if not services.can_publish(request.user):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("admin:news_article_calendar")
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("改期的时间格式有误，请按 2025-01-31 09:00 的格式选择日期和时间。".encode())
    article = get_object_or_404(model_admin.get_queryset(request), pk=form.cleaned_data["article"])
    try:
        services.article_reschedule(
            article=article, user=request.user, field=form.cleaned_data["field"], when=form.cleaned_data["when"]
        )
    except WorkflowError as exc:
        messages.error(request, f"「{article.title}」未能改期：{exc}")
    else:
        what = "发布时间" if form.cleaned_data["field"] == "publish_at" else "下线时间"
        when = timezone.localtime(form.cleaned_data["when"]).strftime("%Y-%m-%d %H:%M")
        messages.success(request, f"「{article.title}」的{what}已改为 {when}。")
    return HttpResponseRedirect(back)


def calendar_urls(model_admin) -> list:
    """The calendar's two URLs under the article admin (before its `<object_id>/` catch-all)."""
    view = model_admin.admin_site.admin_view
    return [
        path("calendar/", view(lambda request: calendar_view(model_admin, request)), name="news_article_calendar"),
        path(
            "calendar/reschedule/",
            view(lambda request: reschedule_view(model_admin, request)),
            name="news_article_reschedule",
        ),
    ]
