"""Article revisions for the back office: how two versions differ (what is kept: news.revisions).

Only the editorial content is versioned. Status, publish time and the view count are
left out on purpose: rolling back text must never unpublish an article or reset the
count of its readers (reversion's own revert would restore those columns to defaults).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import strip_tags
from reversion.models import Version

from xinwen.news.models import Article
from xinwen.news.revisions import CONTENT_FIELDS

__all__ = ["CONTENT_FIELDS", "article_versions", "FieldChange", "version_changes"]

def article_versions(article: Article) -> list[Version]:
    """Newest first."""
    return list(Version.objects.get_for_object(article).select_related("revision__user"))


@dataclass
class FieldChange:
    field: str
    label: str
    before: str
    after: str
    diff_html: str  # escaped, with <ins>/<del> marks; safe to render


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join(strip_tags(str(value)).split()) if isinstance(value, str) else str(value)


def _inline_diff(before: str, after: str) -> str:
    """Character-level diff (Chinese has no spaces to split words on), HTML-escaped."""
    from django.utils.html import escape

    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(before[a0:a1]))
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(before[a0:a1])}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(after[b0:b1])}</ins>")
    return "".join(out)


def version_changes(older: dict, newer: dict) -> list[FieldChange]:
    """Fields whose value differs between two field dicts (a Version.field_dict or live values)."""
    changes = []
    for name in CONTENT_FIELDS:
        attname = Article._meta.get_field(name).attname
        before, after = _text(older.get(attname)), _text(newer.get(attname))
        if before != after:
            label = str(Article._meta.get_field(name).verbose_name)
            changes.append(FieldChange(name, label, before, after, _inline_diff(before, after)))
    return changes


def live_field_dict(article: Article) -> dict:
    return {Article._meta.get_field(n).attname: getattr(article, Article._meta.get_field(n).attname) for n in CONTENT_FIELDS}
