"""Reads for the statistics: the editors' dashboard, the article chart, CSV rows and 热门文章.

Daily figures come from DailyViews (local days); totals "all time" are Article.view_count,
which includes counts imported from a legacy site. Counts still buffered in Redis reach
both at the next flush (every few seconds).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from xinwen.cache import cache_available
from xinwen.news import pagetags
from xinwen.news.tree import CategoryTree
from xinwen.news.models import Article, Category
from xinwen.stats.models import DailyViews

__all__ = [
    "TopArticle",
    "CategoryViews",
    "views_per_day",
    "views_between",
    "top_articles",
    "views_per_category",
    "article_views_summary",
    "daily_rows",
    "popular_articles",
    "popular_forget",
    "total_views",
]

POPULAR_CACHE_SECONDS = 300


@dataclass(frozen=True)
class TopArticle:
    article: Article
    views: int


@dataclass(frozen=True)
class CategoryViews:
    category_id: int
    name: str  # the full path: 新闻中心 > 公司新闻
    views: int


def views_per_day(*, first: date, last: date, article_id: int | None = None) -> list[tuple[date, int]]:
    """Every day from first to last with its views (zero where none), oldest first."""
    rows = DailyViews.objects.filter(day__range=(first, last))
    if article_id is not None:
        rows = rows.filter(article_id=article_id)
    by_day = dict(rows.values("day").annotate(total=Sum("views")).values_list("day", "total"))
    return [(first + timedelta(days=n), int(by_day.get(first + timedelta(days=n), 0))) for n in range((last - first).days + 1)]


def views_between(*, first: date, last: date, article_id: int | None = None) -> int:
    rows = DailyViews.objects.filter(day__range=(first, last))
    if article_id is not None:
        rows = rows.filter(article_id=article_id)
    return int(rows.aggregate(total=Sum("views"))["total"] or 0)


def total_views() -> int:
    """All views ever, imported base counts included."""
    return int(Article.objects.aggregate(total=Sum("view_count"))["total"] or 0)


def _articles(ids) -> dict[int, Article]:
    fields = ("id", "title", "status", "publish_at", "view_count", "category_id", "source_script")
    return {a.pk: a for a in Article.objects.filter(pk__in=list(ids)).only(*fields)}


def top_articles(*, since: date | None, until: date | None = None, limit: int = 10) -> list[TopArticle]:
    """Most viewed articles from `since` to `until` (today), or of all time when since is None."""
    if since is None:
        ranked = Article.objects.only("id", "title", "status", "publish_at", "view_count", "category_id", "source_script")
        return [TopArticle(a, a.view_count) for a in ranked.order_by("-view_count", "-publish_at", "-id")[:limit] if a.view_count]
    until = until or timezone.localdate()
    rows = list(
        DailyViews.objects.filter(day__range=(since, until))
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[:limit]
    )
    articles = _articles(row["article_id"] for row in rows)
    return [TopArticle(articles[row["article_id"]], int(row["total"])) for row in rows if row["article_id"] in articles]


def _category_names() -> dict[int, str]:
    """id → full path name for every category, from one query."""
    return CategoryTree.load().path_names()


def views_per_category(*, first: date, last: date) -> list[CategoryViews]:
    """Views per category (the article's current one) in the period, most viewed first."""
    rows = (
        DailyViews.objects.filter(day__range=(first, last))
        .values("article__category_id")
        .annotate(total=Sum("views"))
        .order_by("-total")
    )
    names = _category_names()
    return [
        CategoryViews(row["article__category_id"], names.get(row["article__category_id"], "?"), int(row["total"]))
        for row in rows
    ]


def article_views_summary(article: Article, *, days: int = 30, today: date | None = None) -> dict:
    """What the article's admin page shows: recent days, and how its total is made up."""
    today = today or timezone.localdate()
    counted = views_between(first=date.min, last=today, article_id=article.pk)
    fresh = Article.objects.filter(pk=article.pk).values_list("view_count", flat=True).first() or 0
    return {
        "series": views_per_day(first=today - timedelta(days=days - 1), last=today, article_id=article.pk),
        "total": fresh,
        "counted": counted,
        # What the article had before xinwen counted (imported from the legacy site).
        "base": max(fresh - counted, 0),
        "last_7_days": views_between(first=today - timedelta(days=6), last=today, article_id=article.pk),
    }


def daily_rows(*, first: date, last: date, article_id: int | None = None) -> Iterator[tuple[date, int, str, str, int]]:
    """(day, article id, title, category path, views) for the CSV export, oldest day first."""
    rows = DailyViews.objects.filter(day__range=(first, last)).order_by("day", "article_id")
    if article_id is not None:
        rows = rows.filter(article_id=article_id)
    names = _category_names()
    values = rows.values_list("day", "article_id", "article__title", "article__category_id", "views")
    for day, pk, title, category_id, views in values.iterator(chunk_size=2000):
        yield day, pk, title, names.get(category_id, ""), views


def _popular_key(days: int, limit: int) -> str:
    # "popular2": the entries are (id, recent views) pairs; a ranking cached as bare ids is never read.
    return f"stats:popular2:{timezone.localdate().isoformat()}:{days}:{limit}"


def popular_forget(*, limit: int = 10, days: int = 7) -> None:
    """Drop the cached ranking, so that the next home page ranks afresh."""
    cache.delete(_popular_key(days, limit))


def _popular_ranking(*, days: int, limit: int) -> list[tuple[int, int | None]]:
    """(article id, views in the last `days`) best first; None where the all-time count filled the list."""
    today = timezone.localdate()
    key = _popular_key(days, limit)
    ranking = cache.get(key)
    if ranking is None:
        recent = (
            DailyViews.objects.filter(day__gte=today - timedelta(days=days - 1), article__in=Article.objects.published())
            .values("article_id")
            .annotate(total=Sum("views"))
            .order_by("-total", "-article_id")
            .values_list("article_id", "total")[: limit * 2]
        )
        ranking = [(pk, int(total)) for pk, total in recent]
        if len(ranking) < limit * 2:
            # A young site (or one just imported) has few recent views: fill with the all-time ranking.
            # Never with unread articles: a list of "0 views" is not a ranking.
            ranked = (
                Article.objects.published()
                .filter(view_count__gt=0)
                .exclude(pk__in=[pk for pk, _ in ranking])
                .order_by("-view_count", "-publish_at", "-id")
            )
            ranking += [(pk, None) for pk in ranked.values_list("pk", flat=True)[: limit * 2 - len(ranking)]]
        cache.set(key, ranking, POPULAR_CACHE_SECONDS)
    return [(pk, recent) for pk, recent in ranking]


def popular_on_page(request, limit: int = 10) -> list[Article]:
    """热门文章 for a page (stats/_popular.html): the ranking, and a page lifetime no longer than the ranking's.

    The ranking follows reading, which no purge tracks, so a stored page showing it expires
    with it (news.pagetags).
    """
    if request is not None:
        pagetags.expire_in(request, POPULAR_CACHE_SECONDS)
    return popular_articles(limit=limit)


def popular_articles(*, limit: int = 10, days: int = 7) -> list[Article]:
    """热门文章: published articles most viewed in the last `days`, then by all-time views (never unread ones).

    Each article carries the count it was ranked by: `recent_views` (views in the last
    `days`), or None when it was ranked by its all-time `view_count`, so the block can
    print the number that put it there.

    The ranking is cached for a few minutes; which of its articles are still public is
    checked on every call, so an unpublished article leaves the list at once. While the
    shared cache is down the block is left out: ranking on every page view would put the
    load of every reader on the database at the moment it has lost its cache.
    """
    if not cache_available(cache):
        return []
    ranking = _popular_ranking(days=days, limit=limit)
    if not ranking:
        return []
    fields = ("id", "title", "publish_at", "view_count", "category_id", "source_script", "pinned")
    found = {a.pk: a for a in Article.objects.published().filter(pk__in=[pk for pk, _ in ranking]).only(*fields)}
    chosen = []
    for pk, recent in ranking:
        if pk in found:
            found[pk].recent_views = recent
            chosen.append(found[pk])
    return chosen[:limit]
