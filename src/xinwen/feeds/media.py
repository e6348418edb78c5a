"""An article's video and 图集 for machines: feeds, JSON-LD and the API describe what its page shows.

The page plays the video and shows the pictures (news/templates/news/article.html); without
this module a feed reader, an API client or a search engine saw a video article as its
text alone and a 图集 as nothing at all. Every text here is converted to the reader's
script; every piece of HTML is built with format_html, so alt text and captions are
escaped whatever they hold.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from xinwen.feeds import links
from xinwen.news.models import Article
from xinwen.news.pictures import picture_sets
from xinwen.news.uploads import SAFE_MEDIA_TYPES

__all__ = ["Video", "Picture", "file_size", "article_video", "gallery_sets", "article_gallery", "video_object", "media_html"]


@dataclass(frozen=True)
class Video:
    url: str
    type: str
    poster: str | None
    captions: str | None
    file: FieldFile

    @property
    def size(self) -> int:
        """Bytes of the file, read from storage only where it is asked for (an enclosure, the API)."""
        return file_size(self.file)


def file_size(field: FieldFile) -> int:
    try:
        return field.size
    except OSError:  # the file went missing from storage; an enclosure wants a length all the same
        return 0


@dataclass(frozen=True)
class Picture:
    """One picture of a 图集: the largest generated copy the page shows (the original when it has none)."""

    url: str
    alt: str
    caption: str
    width: int | None
    height: int | None


def article_video(request, article: Article) -> Video | None:
    if not article.video:
        return None
    return Video(
        url=links.absolute(request, article.video.url),
        type=SAFE_MEDIA_TYPES.get(os.path.splitext(article.video.name)[1].lower(), "video/mp4"),
        poster=links.absolute(request, article.video_poster.url) if article.video_poster else None,
        captions=links.absolute(request, article.video_captions.url) if article.video_captions else None,
        file=article.video,
    )


def gallery_sets(articles) -> dict:
    """The generated sizes of every 图集 picture of `articles` (GalleryImage rows prefetched), in one query."""
    return picture_sets(g.image.name for a in articles if a.kind == Article.Kind.GALLERY for g in a.gallery_images.all())


def article_gallery(request, reader, article: Article, images=None, sets=None) -> list[Picture]:
    """The pictures of a 图集 in the editor's order, texts in the reader's script; [] for any other article.

    `images`: the article's GalleryImage rows when the caller already has them (the page's view does);
    `sets`: their generated sizes, when a list of articles looked them all up at once (gallery_sets).
    """
    if article.kind != Article.Kind.GALLERY:
        return []
    images = list(article.gallery_images.all() if images is None else images)
    sets = picture_sets(g.image.name for g in images) if sets is None else sets
    pictures = []
    for image in images:
        shown = sets.get(image.image.name)
        if shown is not None:
            width, height = shown.shown
            url = shown.url(shown.widths[-1], shown.ext)
        else:
            width = height = None
            url = image.image.url
        pictures.append(
            Picture(
                url=links.absolute(request, url),
                alt=reader.text(image.alt, article.source_script),
                caption=reader.text(image.caption, article.source_script),
                width=width,
                height=height,
            )
        )
    return pictures


def video_object(*, name: str, description: str, uploaded: str, video: Video, thumbnails: list[str]) -> dict:
    """schema.org VideoObject; Google asks for a thumbnail, so the poster comes first, then the article's pictures."""
    data = {"@type": "VideoObject", "name": name, "description": description or name, "uploadDate": uploaded, "contentUrl": video.url}
    thumbnails = ([video.poster] if video.poster else []) + [t for t in thumbnails if t != video.poster]
    if thumbnails:
        data["thumbnailUrl"] = thumbnails
    return data


def media_html(reader, article: Article, video: Video | None, pictures: list[Picture]) -> tuple[SafeString, SafeString]:
    """(before the body, after it): the player and the pictures as a feed reader can show them."""
    before = after = SafeString("")
    if video is not None:
        before = format_html(
            '<figure><video controls preload="metadata" src="{}"{}><a href="{}">{}</a></video></figure>',
            video.url,
            format_html(' poster="{}"', video.poster) if video.poster else "",
            video.url,
            reader.text("下载视频"),
        )
    if pictures:
        after = format_html_join(
            "",
            '<figure><img src="{}" alt="{}"{}>{}</figure>',
            (
                (
                    p.url,
                    p.alt,
                    format_html(' width="{}" height="{}"', p.width, p.height) if p.width else "",
                    format_html("<figcaption>{}</figcaption>", p.caption) if p.caption else "",
                )
                for p in pictures
            ),
        )
    return before, after
