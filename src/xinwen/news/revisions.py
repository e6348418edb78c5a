"""Which article fields are versioned (django-reversion), registered by the write path's app.

Only the editorial content is versioned. Status, publish time and the view count are
left out on purpose: rolling back text must never unpublish an article or reset the
count of its readers (reversion's own revert would restore those columns to defaults).
"""

from __future__ import annotations

import reversion

from xinwen.news.models import Article

__all__ = ["CONTENT_FIELDS", "register_models"]

CONTENT_FIELDS = (
    "title",
    "subtitle",
    "summary",
    "body",
    "cover",
    "category",
    "source_name",
    "source_url",
    "author",
    "editor",
    "pinned",
)


def register_models() -> None:
    if not reversion.is_registered(Article):
        reversion.register(Article, fields=CONTENT_FIELDS)
