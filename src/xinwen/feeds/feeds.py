"""RSS 2.0 and Atom feeds of the news center and of each category, in the reader's script.

Built on django.contrib.syndication. Each feed carries the full summary and the full
body (RSS content:encoded, Atom content), publish and update times, the author, the
category path, and the article's media: RSS allows one enclosure, the video when there is
one, else the cover; Atom carries both. A video article's content starts with its player
and a 图集's ends with its pictures and captions (feeds/media.py). Feeds exist under every
script prefix (/zh-tw/feeds/rss.xml): the middleware picks the script, this module converts.
"""

from __future__ import annotations

import copy
import os
from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape, format_html
from django.utils.translation import gettext

from xinwen.news import pagetags
from xinwen.news import selectors as news_selectors
from xinwen.feeds import links, media, selectors
from xinwen.feeds.reader import Reader
from xinwen.news.models import Article, Category, Topic
from xinwen.news.uploads import SAFE_MEDIA_TYPES

__all__ = ["NewsRssFeed", "NewsAtomFeed", "CategoryRssFeed", "CategoryAtomFeed"]


class _StableDate:
    """An empty feed's date is fixed, not "now": the same content gives the same bytes.

    Django dates a feed without items at the current time, which changed its ETag on every
    request and made the static build differ from one run to the next.
    """

    EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)

    def latest_post_date(self):
        if any(item.get("updateddate") or item.get("pubdate") for item in self.items):
            return super().latest_post_date()
        return self.EMPTY_FEED_DATE


class RssWithContent(_StableDate, Rss201rev2Feed):
    """RSS 2.0 plus content:encoded, the de-facto element for an item's full HTML."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(_StableDate, Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class NewsFeed(Feed):
    """The whole news center. Subclasses pick the format and, optionally, a category."""

    feed_type = RssWithContent
    format = "rss"

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request; the reader's script is per request, so each
        # request works on its own shallow copy instead of sharing state between threads.
        bound = copy.copy(self)
        bound.request = request
        bound.reader = Reader.of(request)
        bound.language = bound.reader.variant.lang  # BCP 47: <language> in RSS, xml:lang in Atom
        bound.configured_name = news_selectors.site_name()  # 站点设置, read once per feed
        pagetags.tag(request, pagetags.FEEDS)  # any change to a public article drops every feed
        return Feed.__call__(bound, request, *args, **kwargs)

    def page_url(self, path: str) -> str:
        """A page of the site, absolute, in the feed's script."""
        return links.absolute(self.request, links.variant_path(path, self.reader.variant.code))

    # --- the feed ----------------------------------------------------------------------

    def get_object(self, request, *args, **kwargs):
        return None

    def site_name(self) -> str:
        return self.reader.text(self.configured_name)

    def title(self, obj):
        return f"{self.site_name()} · {gettext('News center')}"

    def link(self, obj):
        return self.page_url(links.path_of("news:home"))

    def description(self, obj):
        return self.title(obj)

    def feed_url(self, obj):
        return links.absolute(self.request, self.request.path)

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def author_name(self, obj):
        # Atom requires an author for every entry: the organisation stands in where an article has none.
        return self.site_name()

    def feed_copyright(self, obj):
        return f"© {self.site_name()}"

    def ttl(self, obj):
        return "30" if self.format == "rss" else None

    def items(self, obj):
        # The category path of every entry: three levels cover a news center's tree without extra queries.
        articles = selectors.feed_articles(category=obj).select_related("category__parent__parent")
        return self.with_pictures(articles[: selectors.FEED_LENGTH])

    def with_pictures(self, articles) -> list[Article]:
        """The entries with their 图集 pictures and the pictures' sizes: two queries for the whole feed.

        And one more for their titles, authors and bodies as converted ahead when saved
        (hanzi.render), where the reader's script needs them: not a row read per body.
        """
        articles = list(articles.prefetch_related("gallery_images"))
        self.picture_sets = media.gallery_sets(articles)
        self.reader.prefetch(articles)
        return articles

    # --- each entry ----------------------------------------------------------------------

    def item_title(self, item: Article):
        title = self.reader.text(item.title, item.source_script)
        # RSS readers treat titles as HTML (see Django ticket #6533); Atom titles are plain text.
        return escape(title) if self.format == "rss" else title

    def item_description(self, item: Article):
        """The whole summary, never cut short (the body follows in content)."""
        text = item.summary or item.description(length=400)
        return escape(self.reader.text(text, item.source_script))

    def item_link(self, item: Article):
        if item.external_url:  # 外链文章: the entry leads to the other site, as the lists do
            return item.external_url
        return self.page_url(links.path_of("news:article", pk=item.pk))

    def item_guid(self, item: Article):
        return self.page_url(links.path_of("news:article", pk=item.pk))

    def item_guid_is_permalink(self, item):
        return not item.external_url  # an external entry's guid is our id for it, its link the other site

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        # A scheduled article goes live after its last save: the later of the two is when it changed for readers.
        return max(item.updated_at, item.publish_at)

    def item_author_name(self, item: Article):
        return self.reader.text(item.author, item.source_script) if item.author else None

    def item_categories(self, item: Article):
        return [self.reader.text(node.name) for node in item.category.ancestors(include_self=True)]

    def item_enclosures(self, item: Article):
        enclosures = []
        video = media.article_video(self.request, item)
        if video is not None:
            enclosures.append(Enclosure(video.url, str(video.size), video.type))
        if item.cover and not (enclosures and self.format == "rss"):  # RSS: one enclosure per item
            mime_type = SAFE_MEDIA_TYPES.get(os.path.splitext(item.cover.name)[1].lower(), "application/octet-stream")
            enclosures.append(Enclosure(links.absolute(self.request, item.cover.url), str(media.file_size(item.cover)), mime_type))
        return enclosures

    def item_copyright(self, item):
        return None

    def item_extra_kwargs(self, item: Article):
        if item.external_url:
            # Not ours to republish in full: the summary and where to read it, marked as 外链.
            return {"content": format_html(
                '<p>{}{}</p><p><a href="{}">{}</a></p>',
                self.reader.text("【外链】", item.source_script),
                self.reader.text(item.summary or item.title, item.source_script),
                item.external_url,
                self.reader.text(f"阅读原文（{item.source_name or '外部网站'}）", item.source_script),
            )}
        body = links.absolute_html(self.reader.html(item.body, item.source_script, ahead=True), links.origin(self.request))
        pictures = media.article_gallery(self.request, self.reader, item, images=item.gallery_images.all(), sets=self.picture_sets)
        before, after = media.media_html(self.reader, item, media.article_video(self.request, item), pictures)
        return {"content": before + body + after}


class NewsRssFeed(NewsFeed):
    pass


class NewsAtomFeed(NewsFeed):
    feed_type = AtomWithContent
    format = "atom"


class CategoryFeed(NewsFeed):
    """One category and everything below it."""

    def get_object(self, request, slug: str):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj: Category):
        return f"{self.reader.text(obj.name)} · {self.site_name()}"

    def description(self, obj: Category):
        return self.reader.text(obj.description) if obj.description else self.title(obj)

    def link(self, obj: Category):
        return self.page_url(links.path_of("news:category", slug=obj.slug))

    def categories(self, obj: Category):
        return [self.reader.text(node.name) for node in obj.ancestors(include_self=True)]


class CategoryRssFeed(CategoryFeed):
    pass


class CategoryAtomFeed(CategoryFeed):
    feed_type = AtomWithContent
    format = "atom"


class TopicRssFeed(NewsFeed):
    """A 专题's articles (hand-picked and by tag), newest first; the topic page's own feed."""

    def get_object(self, request, slug: str):
        return get_object_or_404(news_selectors.public_topics(), slug=slug)

    def title(self, obj: Topic):
        return f"{self.reader.text(obj.title)} · {self.site_name()}"

    def description(self, obj: Topic):
        return self.reader.text(obj.intro) if obj.intro else self.title(obj)

    def link(self, obj: Topic):
        return self.page_url(links.path_of("news:topic", slug=obj.slug))

    def items(self, obj: Topic):
        ids = news_selectors.topic_article_ids(obj)
        articles = Article.objects.published().filter(pk__in=ids).select_related("category__parent__parent")
        return self.with_pictures(articles.order_by("-publish_at", "-id")[: selectors.FEED_LENGTH])
