"""Reads for feeds, sitemaps and the API. Every one starts from Article.objects.published()."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from xinwen.news.models import Article, Category
from xinwen.news.selectors import category_descendant_ids
from xinwen.news.tree import CategoryTree

__all__ = [
    "feed_articles",
    "latest_news",
    "category_articles_for_sitemap",
    "article_lastmod",
    "category_lastmods",
    "category_public_counts",
    "categories_with_own_articles",
]

FEED_LENGTH = 30
NEWS_WINDOW = timedelta(days=2)  # Google News sitemaps list only the articles of the last two days

# When a reader could last have seen a page change: an edit, or a scheduled article going live.
LASTMOD = Greatest("updated_at", "publish_at")


def feed_articles(*, category: Category | None = None) -> QuerySet[Article]:
    """Newest first (pinning is a home-page matter, not a feed's), the category's subtree included."""
    articles = Article.objects.published()
    if category is not None:
        articles = articles.filter(category_id__in=category_descendant_ids(category))
    return articles.order_by("-publish_at", "-id")


def latest_news(*, now: datetime | None = None) -> QuerySet[Article]:
    now = now or timezone.now()
    return (
        Article.objects.published(now=now)
        .filter(publish_at__gte=now - NEWS_WINDOW, external_url="")  # a 外链文章 is the other site's page
        .only("id", "title", "publish_at", "updated_at", "source_script")
        .order_by("-publish_at", "-id")
    )


def category_articles_for_sitemap(category_id: int) -> QuerySet[Article]:
    """The articles filed directly in a category, in a stable order so sitemap pages keep their URLs."""
    return (
        Article.objects.published()
        .filter(category_id=category_id, external_url="")  # a 外链文章 is the other site's page
        .only("id", "updated_at", "publish_at")
        .order_by("id")
    )


def article_lastmod(articles: QuerySet[Article]) -> datetime | None:
    return articles.order_by().aggregate(latest=Max(LASTMOD))["latest"]


def _by_category(aggregate) -> dict[int, object]:
    return dict(
        Article.objects.published()
        .order_by()
        .values("category_id")
        .annotate(value=aggregate)
        .values_list("category_id", "value")
    )


def _roll_up(values: dict[int, object], combine) -> dict[int, object]:
    """Each category's value combined with those of everything below it (the tree is small)."""
    return CategoryTree.load().roll_up(values, combine)


def category_lastmods() -> dict[int, datetime]:
    """category id → last change of a public article in its subtree (what its list page shows)."""
    return _roll_up(_by_category(Max(LASTMOD)), max)


def category_public_counts() -> dict[int, int]:
    """category id → number of public articles in its subtree."""
    return _roll_up(_by_category(Count("id")), lambda a, b: a + b)


def categories_with_own_articles() -> QuerySet[Category]:
    ids = Article.objects.published().order_by().values("category_id").distinct()
    return Category.objects.filter(pk__in=ids).order_by("order", "id")
