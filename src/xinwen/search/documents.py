"""What search stores for an article: its fields folded to Simplified, segmented, and ordered by publish time.

Pure functions over text and a `Segmenter`; the Django layer (services) feeds them
articles and writes the result.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from xinwen.hanzi.segment import Segmenter, normalise, pieces

__all__ = [
    "KEY_SHIFT",
    "LEAD_WORDS",
    "SEPARATOR",
    "Field",
    "Document",
    "key_for",
    "key_bound",
    "key_time",
    "html_text",
    "build_field",
    "build_document",
]

# key = (publish time in epoch seconds << 30) + article id: unique per article (ids below 2**30),
# newest first is descending key order, and a time range is a key range.
KEY_SHIFT = 30
_ID_MASK = (1 << KEY_SHIFT) - 1
# A token no query can produce (Unicode private use), between texts of one field so that a
# phrase never matches across the end of the subtitle and the start of the summary.
SEPARATOR = "\ue000"
_TAG = re.compile(r"<[^>]*>")
# Ranking reads the body's opening words only: news puts the subject first, and reading a
# few hundred bytes per candidate instead of the whole body keeps queries fast.
LEAD_WORDS = 200


def key_for(article_id: int, publish_at: datetime) -> int:
    epoch = max(int(publish_at.timestamp()), 0)
    return (epoch << KEY_SHIFT) | (article_id & _ID_MASK)


def key_bound(moment: datetime, *, upper: bool) -> int:
    """The smallest (or largest, with upper) key of anything published in that second."""
    epoch = max(int(moment.timestamp()), 0)
    return (epoch << KEY_SHIFT) | (_ID_MASK if upper else 0)


def key_time(key: int) -> datetime:
    return datetime.fromtimestamp(key >> KEY_SHIFT, tz=timezone.utc)


def html_text(markup: str) -> str:
    """Plain text of sanitised body HTML; tags become spaces so table cells and paragraphs stay apart."""
    return " ".join(html.unescape(_TAG.sub(" ", markup or "")).split())


@lru_cache(maxsize=200_000)
def _stored(word: str) -> str:
    return " ".join(pieces(word)) or word  # SEPARATOR is not a letter: it stays itself


@dataclass
class Field:
    """One indexed field: its words in order (a SEPARATOR word between its texts), and sub-words."""

    words: list[str] = field(default_factory=list)  # case-folded: "集团", "5g", "a股"
    subwords_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # only words that have some

    @property
    def stored(self) -> str:
        """The stored form: words separated by "|", the pieces of a word by spaces ("集 团|5g|a 股")."""
        return "|".join(map(_stored, self.words))

    @property
    def subwords(self) -> str:
        return " ".join(sub for word in self.words if word in self.subwords_of for sub in self.subwords_of[word])

    @property
    def length(self) -> int:
        return len(self.words) - self.words.count(SEPARATOR)

    def lead(self, words: int) -> str:
        """The stored form of the first `words` words."""
        return "|".join(map(_stored, self.words[:words]))


def build_field(texts: list[tuple[str, str | None]], segmenter: Segmenter) -> Field:
    """Segment (text, source script) pairs into one field; a None script is detected per text."""
    words: list[str] = []
    for text, source in texts:
        found = segmenter.words(normalise(text, source=source))
        if found:
            if words:
                words.append(SEPARATOR)
            words.extend(found)
    subwords = {word: subs for word in set(words) if (subs := segmenter.subwords(word))}
    return Field(words, subwords)


@dataclass
class Document:
    article_id: int
    key: int
    category_id: int
    title: Field
    extra: Field
    meta: Field
    body: Field

    def row(self) -> dict:
        """The SearchDocument column values."""
        return {
            "article_id": self.article_id,
            "key": self.key,
            "category_id": self.category_id,
            "title": self.title.stored,
            "extra": self.extra.stored,
            "meta": self.meta.stored,
            "body": self.body.stored,
            "lead": self.body.lead(LEAD_WORDS),
            "title_sub": self.title.subwords,
            "text_sub": " ".join(s for s in (self.extra.subwords, self.meta.subwords, self.body.subwords) if s),
            "title_len": self.title.length,
            "extra_len": self.extra.length,
            "meta_len": self.meta.length,
            "body_len": self.body.length,
        }


def build_document(article, segmenter: Segmenter) -> Document:
    """The document of an article (with its category loaded) that has a publish time."""
    script = article.source_script or None
    return Document(
        article_id=article.pk,
        key=key_for(article.pk, article.publish_at),
        category_id=article.category_id,
        title=build_field([(article.title, script)], segmenter),
        extra=build_field([(article.subtitle, script), (article.summary, script)], segmenter),
        # Names and sources are short: their own script is detected rather than the body's assumed.
        meta=build_field([(article.source_name, None), (article.author, None), (article.category.name, None)], segmenter),
        body=build_field([(html_text(article.body), script)], segmenter),
    )
