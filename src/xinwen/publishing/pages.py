"""Which URLs make up the public site: every page in every script, feeds, sitemaps, robots.txt.

The list is built from the same selectors the views use (`Article.objects.published()`
underneath), so the static tree holds exactly what a reader of the live site can reach.
The 网站地图 page and the search page without a query (its shell: the form) are files too;
search results, the pinyin (ruby) view of an article, the view beacon and the API stay
dynamic: nginx proxies them to an edge process. Pinyin is left out of the tree on
purpose: its readings cost ~50 ms a page, which would triple a full build for a page few
readers open. So is the share panel's QR code (news/share.py), fetched only when a reader
opens 分享: at 10,000 articles its 40,000 files took a quarter of a full build's CPU.
"""

from __future__ import annotations

import math

from xinwen.feeds.sitemaps import sitemap_sections
from xinwen.hanzi.variants import VARIANTS
from xinwen.news import selectors
from xinwen.news.models import Article, Category, Tag
from xinwen.news.views import PER_PAGE

__all__ = ["NOT_FOUND_URL", "public_urls", "article_urls", "category_urls", "tag_urls", "topic_urls", "script_prefixes"]

# Rendered once for the 404 page (nginx: error_page 404 /404.html); no route matches it.
NOT_FOUND_URL = "/404-not-found/"


def script_prefixes() -> list[str]:
    """"/" for the default script, then "/zh-hant/" and the others."""
    return [f"/{v.prefix}/" if v.prefix else "/" for v in VARIANTS.values()]


def article_urls(article_id: int) -> list[str]:
    """An article's page in every script."""
    return [f"{prefix}article/{article_id}/" for prefix in script_prefixes()]


def category_urls(category: Category) -> list[str]:
    """Every page of a category's list, and its feeds, in every script."""
    count = selectors.category_article_ids(category).count()
    pages = max(1, math.ceil(count / PER_PAGE))
    urls = []
    for prefix in script_prefixes():
        base = f"{prefix}category/{category.slug}/"
        urls.append(base)
        urls += [f"{base}?page={n}" for n in range(2, pages + 1)]
        urls += [f"{prefix}feeds/{category.slug}/rss.xml", f"{prefix}feeds/{category.slug}/atom.xml"]
    return urls


def tag_urls(tag: Tag) -> list[str]:
    """Every page of a 标签's list in every script; a tag no published article carries has no page."""
    count = selectors.tag_article_ids(tag).count()
    if not count:
        return []
    pages = math.ceil(count / PER_PAGE)
    urls = []
    for prefix in script_prefixes():
        base = f"{prefix}tag/{tag.slug}/"
        urls += [base, *(f"{base}?page={n}" for n in range(2, pages + 1))]
    return urls


def topic_urls(topic) -> list[str]:
    """Every page of a 专题 and its feed, in every script."""
    pages = max(1, math.ceil(selectors.topic_article_ids(topic).count() / PER_PAGE))
    urls = []
    for prefix in script_prefixes():
        base = f"{prefix}topic/{topic.slug}/"
        urls += [base, *(f"{base}?page={n}" for n in range(2, pages + 1)), f"{prefix}feeds/topic/{topic.slug}/rss.xml"]
    return urls


def _sitemap_urls() -> list[str]:
    urls = ["/sitemap.xml"]
    for name, section in sitemap_sections().items():
        paginator = section.paginator
        if paginator.count == 0:
            continue
        urls += [f"/sitemap-{name}.xml" if n == 1 else f"/sitemap-{name}.xml?p={n}" for n in paginator.page_range]
    return urls


def public_urls() -> list[str]:
    """Every public URL of the site, in a stable order (the build's order and its progress bar)."""
    urls = ["/robots.txt", NOT_FOUND_URL, *_sitemap_urls()]
    for prefix in script_prefixes():
        urls += [prefix, f"{prefix}sitemap/", f"{prefix}search/", f"{prefix}feeds/rss.xml", f"{prefix}feeds/atom.xml"]
    for category in Category.objects.order_by("pk"):
        urls += category_urls(category)
    for topic in selectors.public_topics().order_by("pk"):
        urls += topic_urls(topic)
    for tag in Tag.objects.order_by("pk"):
        urls += tag_urls(tag)
    # A 外链文章's own URL is a redirect (the live site's 301); lists link straight out, so it has no file.
    for pk in Article.objects.published().filter(external_url="").order_by("pk").values_list("pk", flat=True):
        urls += article_urls(pk)
    return urls
