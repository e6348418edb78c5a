"""Which article fields are versioned (django-reversion), registered by the write path's app.

Only the editorial content is versioned. Status, publish time and the view count are
left out on purpose: rolling back text must never unpublish an article or reset the
count of its readers (reversion's own revert would restore those columns to defaults).
"""

from __future__ import annotations

import reversion

from xinwen.news.models import Article

__all__ = ["CONTENT_FIELDS", "ROLLBACK_FIELDS", "register_models"]

CONTENT_FIELDS = (
    "title",
    "subtitle",
    "kind",
    "summary",
    "body",
    "cover",
    "video",
    "video_poster",
    "video_captions",
    "category",
    "source_name",
    "source_url",
    "external_url",
    "author",
    "editor",
    "pinned",
    "headline",
    "focus",
    "recommended",
)


# Versioned, so the history shows who changed them, but never restored by a rollback:
# 置顶 (and 头条, 焦点图, 推荐) and 责任编辑 are decisions about the live article, not its text.
KEPT_ON_ROLLBACK = ("pinned", "headline", "focus", "recommended", "editor")
ROLLBACK_FIELDS = tuple(name for name in CONTENT_FIELDS if name not in KEPT_ON_ROLLBACK)


def register_models() -> None:
    if not reversion.is_registered(Article):
        reversion.register(Article, fields=CONTENT_FIELDS)
