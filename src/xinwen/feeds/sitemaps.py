"""Sitemaps for search engines: every public URL with its script-variant alternates (hreflang)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from xinwen.hanzi.context_processors import alternate_paths
from xinwen.hanzi.variants import DEFAULT_VARIANT, VARIANTS
from xinwen.news.models import Article, Category

__all__ = ["SITEMAPS"]


class VariantSitemap(Sitemap):
    """Adds an xhtml:link alternate per script variant (plus x-default) to every URL."""

    protocol = None  # taken from the request

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            origin, path = _split(url["location"])
            paths = alternate_paths(path)
            url["alternates"] = [
                {"lang_code": VARIANTS[code].lang, "location": origin + variant_path} for code, variant_path in paths.items()
            ] + [{"lang_code": "x-default", "location": origin + paths[DEFAULT_VARIANT.code]}]
        return urls


def _split(location: str) -> tuple[str, str]:
    scheme, _, rest = location.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host}", "/" + path


class HomeSitemap(VariantSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["news:home"]

    def location(self, item):
        return reverse(item)


class CategorySitemap(VariantSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.order_by("pk")


class ArticleSitemap(VariantSitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 10000

    def items(self):
        return Article.objects.published().only("id", "updated_at").order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"home": HomeSitemap, "categories": CategorySitemap, "articles": ArticleSitemap}
