"""Reads for feeds, sitemaps and the API. Every one starts from Article.objects.published()."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from xinwen.news.models import Article, Category, SiteSettings
from xinwen.news.selectors import category_descendant_ids, in_sections
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
        articles = in_sections(articles, category_descendant_ids(category))  # 同时发布到 as its list shows them
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


def _per_list(value) -> dict[int, object] | None:
    """category id → value(its list's articles), when 站点设置 lets articles be 同时发布到 other sections.

    A list then also shows articles filed elsewhere, and one article may be listed in a
    section and its parent: only a query per list counts it once (a site has tens of
    sections). None when cross-listing is off: the roll-up of each article's own section is exact.
    """
    if not SiteSettings.current().cross_listing:
        return None
    tree = CategoryTree.load()
    found = {pk: value(in_sections(Article.objects.published(), tree.descendant_ids(pk))) for pk in tree.nodes}
    return {pk: v for pk, v in found.items() if v}


def category_lastmods() -> dict[int, datetime]:
    """category id → last change of a public article in its subtree (what its list page shows)."""
    lists = _per_list(article_lastmod)
    return lists if lists is not None else _roll_up(_by_category(Max(LASTMOD)), max)


def category_public_counts() -> dict[int, int]:
    """category id → number of public articles in its subtree (what its list page counts)."""
    lists = _per_list(lambda articles: articles.count())
    return lists if lists is not None else _roll_up(_by_category(Count("id")), lambda a, b: a + b)


def categories_with_own_articles() -> QuerySet[Category]:
    ids = Article.objects.published().order_by().values("category_id").distinct()
    return Category.objects.filter(pk__in=ids).order_by("order", "id")
