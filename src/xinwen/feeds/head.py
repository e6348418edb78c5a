"""The head of article pages: structured data and social tags of an article, in the reader's script."""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from xinwen.feeds import links, media, structured
from xinwen.feeds.reader import Reader


def _images(request, article, gallery=()) -> list[str]:
    """The cover (else the body's first picture), then every picture of a 图集, as absolute URLs."""
    images = []
    if article.cover:
        images.append(links.absolute(request, article.cover.url))
    elif (in_body := structured.first_image(article.body)) and in_body.startswith(("/", "http")):
        images.append(links.absolute(request, in_body))
    return images + [p.url for p in gallery if p.url not in images]


def _site_name(site_name) -> str:
    # The page's own (news.context_processors: 站点设置, loaded once per page), else the configured one.
    return str(site_name or settings.SITE_NAME)


def article_structured_data(request, article, canonical, *, gallery=(), site_name=""):
    """<script type="application/ld+json"> blocks: NewsArticle, and the BreadcrumbList of the visible breadcrumb.

    `gallery`: the 图集's rows the article view has already (no second query here);
    `site_name`: the page's site name (站点设置).
    """
    reader = Reader.of(request)
    source = article.source_script
    trail = article.category.ancestors(include_self=True)
    gallery = media.article_gallery(request, reader, article, images=gallery or [])
    news = structured.news_article(
        headline=reader.text(article.title, source),
        description=reader.text(article.description(length=200), source),
        url=canonical,
        published=article.publish_at or article.created_at,
        modified=article.updated_at,
        authors=structured.split_authors(reader.text(article.author, source)),
        publisher=reader.text(_site_name(site_name)),
        logo=links.absolute(request, static("news/favicon.svg")),
        images=_images(request, article, gallery),
        language=reader.variant.lang,
        section=reader.text(article.category.name),
    )
    if (video := media.article_video(request, article)) is not None:
        news["video"] = media.video_object(
            name=news["headline"], description=news["description"], uploaded=news["datePublished"], video=video, thumbnails=news.get("image", [])
        )
    # The same trail as news/_breadcrumb.html: 首页 > 新闻中心 > category, in the page's script.
    home = links.absolute(request, links.variant_path(links.path_of("news:home"), reader.variant.code))
    crumbs = [(gettext("Home"), home)] + [
        (
            reader.text(node.name),
            links.absolute(
                request, links.variant_path(links.path_of("news:category", slug=node.slug), reader.variant.code)
            ),
        )
        for node in trail
    ]
    return mark_safe(
        structured.json_ld_script(news) + "\n" + structured.json_ld_script(structured.breadcrumb_list(crumbs))
    )


def article_social(request, article, *, site_name=""):
    """Values for Open Graph and Twitter card tags."""
    reader = Reader.of(request)
    images = _images(request, article)
    locale = structured.OG_LOCALES[reader.variant.code]
    return {
        "site_name": reader.text(_site_name(site_name)),
        "title": reader.text(article.title, article.source_script),
        "description": reader.text(article.description(), article.source_script),
        "image": images[0] if images else "",
        "locale": locale,
        "locale_alternates": sorted(set(structured.OG_LOCALES.values()) - {locale}),
        "section": reader.text(article.category.name),
        "published": structured.iso(article.publish_at) if article.publish_at else "",
        "modified": structured.iso(max(article.updated_at, article.publish_at or article.updated_at)),
        "card": "summary_large_image" if images else "summary",
    }
