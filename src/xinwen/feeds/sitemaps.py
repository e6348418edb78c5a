"""Sitemaps for search engines: every public URL with its script-variant alternates (hreflang).

Sections: the home page, the category pages (with the last change below each), one
section of articles per category, and a Google News sitemap of the last two days.
Django's paginator splits a section at `limit` URLs: 50,000 for sitemaps.org, 1,000
news entries for Google News; the index lists every page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from xinwen.feeds import links, selectors
from xinwen.feeds.reader import Reader
from xinwen.hanzi.context_processors import alternate_paths
from xinwen.hanzi.render import GlossaryState
from xinwen.hanzi.selectors import current_glossary
from xinwen.hanzi.variants import DEFAULT_VARIANT, SIMPLIFIED, VARIANTS
from xinwen.news import selectors as news_selectors
from xinwen.news.models import Article, Category

__all__ = ["sitemap_sections", "section_sitemap", "NEWS_LANGUAGES"]

# Google News knows two Chinese publication languages: zh-cn (Simplified) and zh-tw (Traditional).
NEWS_LANGUAGES = {code: ("zh-cn" if code == SIMPLIFIED else "zh-tw") for code in VARIANTS}


class VariantSitemap(Sitemap):
    """Adds an xhtml:link alternate per script variant (plus x-default) to every URL.

    URLs use SITE_URL when it is set, like the pages' canonical links: search engines
    ignore alternates and sitemap entries that do not point at canonical URLs.
    """

    limit = 50_000
    protocol = None  # taken from SITE_URL or the request

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)

    def default_path(self, item) -> str:
        """The item's page in the default script; alternates are derived from it."""
        return self.location(item)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        site_origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            paths = alternate_paths(self.default_path(url["item"]))
            url["alternates"] = [
                {"lang_code": VARIANTS[code].lang, "location": site_origin + path} for code, path in paths.items()
            ] + [{"lang_code": "x-default", "location": site_origin + paths[DEFAULT_VARIANT.code]}]
        return urls


class HomeSitemap(VariantSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["news:home"]

    def location(self, item):
        return links.path_of(item)

    def lastmod(self, item):
        return selectors.article_lastmod(Article.objects.published())


class CategorySitemap(VariantSitemap):
    """Every category page; lastmod is the last change of a public article in its subtree."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.order_by("order", "id")

    def location(self, item: Category):
        return links.path_of("news:category", slug=item.slug)

    def lastmod(self, item: Category):
        if not hasattr(self, "_lastmods"):
            self._lastmods = selectors.category_lastmods()
        return self._lastmods.get(item.pk)

    def get_latest_lastmod(self):
        return max(selectors.category_lastmods().values(), default=None)


class CategoryArticlesSitemap(VariantSitemap):
    """The articles filed directly in one category (so no article is listed twice)."""

    changefreq = "weekly"
    priority = 0.8

    def __init__(self, category: Category):
        self.category = category

    def items(self):
        return selectors.category_articles_for_sitemap(self.category.pk)

    def location(self, item):
        return links.path_of("news:article", pk=item.pk)

    def lastmod(self, item):
        return max(item.updated_at, item.publish_at)

    def get_latest_lastmod(self):
        # One aggregate query instead of loading every article of the section.
        return selectors.article_lastmod(self.items())


class NewsSitemap(VariantSitemap):
    """Google News: the articles of the last two days, once per script, each with its publication language."""

    limit = 1_000  # Google News reads at most 1,000 <news:news> entries per sitemap
    changefreq = None
    priority = None

    def items(self):
        return [(article, variant) for article in selectors.latest_news() for variant in VARIANTS.values()]

    def default_path(self, item):
        return links.path_of("news:article", pk=item[0].pk)

    def location(self, item):
        return links.variant_path(self.default_path(item), item[1].code)

    def lastmod(self, item):
        return max(item[0].updated_at, item[0].publish_at)

    def get_latest_lastmod(self):
        return selectors.article_lastmod(selectors.latest_news())

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        glossary = GlossaryState(current_glossary)  # the site glossary, as on the pages themselves
        name = news_selectors.site_name() if urls else ""
        for url in urls:
            article, variant = url["item"]
            reader = Reader(variant, glossary)
            url["news"] = {
                "name": reader.text(name),
                "language": NEWS_LANGUAGES[variant.code],
                "publication_date": timezone.localtime(article.publish_at).isoformat(timespec="seconds"),
                "title": reader.text(article.title, article.source_script),
            }
        return urls


ARTICLES_PREFIX = "articles-"


def sitemap_sections() -> dict[str, VariantSitemap]:
    """Every section in index order; per-category sections for the categories that hold public articles."""
    sections: dict[str, VariantSitemap] = {
        "home": HomeSitemap(),
        "categories": CategorySitemap(),
        "news": NewsSitemap(),
    }
    for category in selectors.categories_with_own_articles():
        sections[ARTICLES_PREFIX + category.slug] = CategoryArticlesSitemap(category)
    return sections


def section_sitemap(name: str) -> VariantSitemap | None:
    """One section by name, without building the others."""
    fixed = {"home": HomeSitemap, "categories": CategorySitemap, "news": NewsSitemap}
    if name in fixed:
        return fixed[name]()
    if name.startswith(ARTICLES_PREFIX):
        category = Category.objects.filter(slug=name.removeprefix(ARTICLES_PREFIX)).first()
        if category is not None:
            return CategoryArticlesSitemap(category)
    return None
