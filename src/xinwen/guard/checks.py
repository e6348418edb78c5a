"""The lexicon check the write path runs before 提交审核 and 发布, and the matcher it uses.

One matcher holds the built-in lexicon and every enabled lexicon of the back office.
Each process keeps the one it built and rebuilds it when the lexicons' stamp (last
change, number of words) moves, so an edit in the back office applies to the next check
in every worker without a restart.
"""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from xinwen.guard.lexicon import builtin_entries
from xinwen.guard.matcher import BLOCK, Entry, Matcher, stuffing_hits
from xinwen.guard.models import Lexicon, LexiconWord
from xinwen.news.content_checks import FieldText, Finding

__all__ = ["current_matcher", "lexicon_check", "text_findings"]

_lock = threading.Lock()
_cached: tuple[object, Matcher] | None = None
# Fields a hijacker stuffs with _-joined keywords: the one-line ones (a body may list file names).
_LINE_FIELDS = {"标题", "副标题", "摘要", "来源", "作者", "责任编辑"}


def _stamp():
    return tuple(Lexicon.objects.filter(enabled=True).aggregate(changed=Max("updated_at"), words=Count("words")).values())


def current_matcher() -> Matcher:
    """The matcher for the built-in lexicon plus the enabled back-office lexicons, as they are now."""
    global _cached
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        entries = builtin_entries()
        for word, category, action, name in LexiconWord.objects.filter(lexicon__enabled=True).values_list(
            "word", "lexicon__category", "lexicon__action", "lexicon__name"
        ):
            entries.append(Entry(word, category, action, name))
        matcher = Matcher(entries)
        _cached = (stamp, matcher)
    return matcher


def text_findings(field: str, text: str, *, matcher: Matcher | None = None) -> list[Finding]:
    """What the lexicons (and the keyword-stuffing shape) find in one text."""
    matcher = matcher or current_matcher()
    hits = matcher.find(text)
    if field in _LINE_FIELDS or field.startswith("图片") or field.startswith("附件"):
        hits += stuffing_hits(text, category="广告/黑帽SEO", action=BLOCK)
    return [Finding(field, h.word, h.category, h.action, h.start, h.end, h.text, h.entry.lexicon) for h in hits]


def lexicon_check(texts: list[FieldText]) -> list[Finding]:
    matcher = current_matcher()
    return [finding for item in texts for finding in text_findings(item.field, item.text, matcher=matcher)]
