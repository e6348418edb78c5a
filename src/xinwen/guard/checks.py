"""The lexicon check the write path runs before 提交审核 and 发布, and the matcher it uses.

One matcher holds the built-in lexicon and every enabled lexicon of the back office.
Each process keeps the one it built and rebuilds it when the lexicons' stamp (last
change, number of words, number of section overrides) moves, so an edit in the back
office applies to the next check in every worker without a restart.

A section may set its own action for a back-office lexicon (LexiconOverride); the
nearest section up the article's category chain that says something wins, so an
override applies to every sub-section below it unless one of them says otherwise.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from django.db.models import Count, Max

from xinwen.guard.lexicon import builtin_entries
from xinwen.guard.matcher import BLOCK, Entry, Matcher, stuffing_hits
from xinwen.guard.matcher import ALLOW
from xinwen.guard.models import Lexicon, LexiconOverride, LexiconWord
from xinwen.news.content_checks import FieldText, Finding, pinned

__all__ = ["current_matcher", "current_overrides", "lexicon_check", "text_findings", "section_chain"]

_lock = threading.Lock()
_cached: tuple[object, Matcher, dict[str, dict[int, str]]] | None = None
# Fields a hijacker stuffs with _-joined keywords: the one-line ones (a body may list file names).
_LINE_FIELDS = {"标题", "副标题", "摘要", "来源", "作者", "责任编辑"}


def _stamp():
    lexicons = Lexicon.objects.filter(enabled=True).aggregate(changed=Max("updated_at"), words=Count("words"))
    return (*lexicons.values(), LexiconOverride.objects.count())


def current_matcher() -> Matcher:
    """The matcher for the built-in lexicon plus the enabled back-office lexicons, as they are now."""
    return _current()[1]


def current_overrides() -> dict[str, dict[int, str]]:
    """lexicon name → {category id: action} for the sections that set their own."""
    return _current()[2]


def _current():
    global _cached
    stamp = pinned("guard: lexicons", _stamp)
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached
    with _lock:
        entries = builtin_entries()
        for word, category, action, name in LexiconWord.objects.filter(lexicon__enabled=True).values_list(
            "word", "lexicon__category", "lexicon__action", "lexicon__name"
        ):
            entries.append(Entry(word, category, action, name))
        matcher = Matcher(entries)
        overrides: dict[str, dict[int, str]] = {}
        for name, category_id, action in LexiconOverride.objects.values_list("lexicon__name", "category_id", "action"):
            overrides.setdefault(name, {})[category_id] = action
        _cached = (stamp, matcher, overrides)
    return _cached


def text_findings(field: str, text: str, *, matcher: Matcher | None = None) -> list[Finding]:
    """What the lexicons (and the keyword-stuffing shape) find in one text."""
    matcher = matcher or current_matcher()
    hits = matcher.find(text)
    if field in _LINE_FIELDS or field.startswith("图片") or field.startswith("附件"):
        hits += stuffing_hits(text, category="广告/黑帽SEO", action=BLOCK)
    return [Finding(field, h.word, h.category, h.action, h.start, h.end, h.text, h.entry.lexicon) for h in hits]


def lexicon_check(texts: list[FieldText], *, category=None, **_context) -> list[Finding]:
    _stamp, matcher, overrides = _current()
    findings = [finding for item in texts for finding in text_findings(item.field, item.text, matcher=matcher)]
    if not overrides or category is None:
        return findings
    chain = section_chain(category)
    adjusted = []
    for finding in findings:
        by_section = overrides.get(finding.source, {})
        action = next((by_section[pk] for pk in chain if pk in by_section), finding.action)
        if action != ALLOW:
            adjusted.append(replace(finding, action=action))
    return adjusted


def section_chain(category) -> list[int]:
    """The category's id and its ancestors', nearest first."""
    chain: list[int] = []
    while category is not None and category.pk not in chain:
        chain.append(category.pk)
        category = category.parent
    return chain
