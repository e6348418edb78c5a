"""The 错别字 and 严重表述错误 checks the write path runs: the confusion set and the people list.

The confusion set is a file shipped with xinwen (lexicons/typos.txt); the people list is
kept in the back office (人名职务), and each process rebuilds its checker when the list's
stamp (last change, number of rows) moves, like the lexicon matcher. A section may set its
own action for either check (CheckOverride, 栏目检查设置): 禁止发布, 需要确认, 仅提示 or 不检查,
for itself and every sub-section; the nearest section up the chain that says something wins.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from django.db.models import Count, Max
from django.utils import timezone

from xinwen.guard.checks import section_chain
from xinwen.guard.matcher import ALLOW, CONFIRM
from xinwen.guard.models import CheckOverride, Person
from xinwen.guard.people import PeopleChecker, Post
from xinwen.guard.typos import MISSTATEMENT, TypoFinder, builtin_confusions
from xinwen.news.content_checks import FieldText, Finding, pinned

__all__ = ["typo_check", "people_check", "current_people", "typo_finder", "current_check_overrides", "section_action"]

_lock = threading.Lock()
_people: tuple[object, PeopleChecker] | None = None
_typos: list[TypoFinder] = []
_overrides: tuple[object, dict[str, dict[int, str]]] | None = None


def _overrides_stamp() -> tuple:
    return tuple(CheckOverride.objects.aggregate(changed=Max("updated_at"), rows=Count("id")).values())


def _people_stamp() -> tuple:
    return tuple(Person.objects.aggregate(changed=Max("updated_at"), rows=Count("id")).values())


def current_check_overrides() -> dict[str, dict[int, str]]:
    """kind ("typos", "people") → {category id: action} for the sections that set their own (栏目检查设置)."""
    global _overrides
    stamp = pinned("guard: check overrides", _overrides_stamp)
    cached = _overrides
    if cached is not None and cached[0] == stamp:
        return cached[1]
    table: dict[str, dict[int, str]] = {}
    for kind, category_id, action in CheckOverride.objects.values_list("kind", "category_id", "action"):
        table.setdefault(kind, {})[category_id] = action
    _overrides = (stamp, table)
    return table


def section_action(kind: str, category) -> str | None:
    """The action the nearest section up `category`'s chain sets for the check `kind`; None when none does."""
    by_section = current_check_overrides().get(kind) if category is not None else None
    if not by_section:
        return None
    return next((by_section[pk] for pk in section_chain(category) if pk in by_section), None)


def _in_section(findings: list[Finding], action: str | None) -> list[Finding]:
    if action is None:
        return findings
    if action == ALLOW:
        return []
    return [replace(finding, action=action) for finding in findings]


def typo_finder() -> TypoFinder:
    if not _typos:
        _typos.append(TypoFinder(builtin_confusions()))
    return _typos[0]


def typo_check(texts: list[FieldText], *, category=None, **_context) -> list[Finding]:
    action = section_action("typos", category)
    if action == ALLOW:
        return []
    finder = typo_finder()
    found = [
        Finding(item.field, f"应为「{hit.confusion.right}」", hit.confusion.category, hit.confusion.action, hit.start, hit.end, hit.text, "错别字词表")
        for item in texts
        for hit in finder.find(item.text)
    ]
    return _in_section(found, action)


def current_people() -> PeopleChecker:
    """The checker for the people list as it is now."""
    global _people
    stamp = pinned("guard: people", _people_stamp)
    cached = _people
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        rows = Person.objects.values_list("name", "title", "valid_from", "valid_to")
        checker = PeopleChecker(Post(*row) for row in rows)
        _people = (stamp, checker)
    return checker


def people_check(texts: list[FieldText], *, category=None, **_context) -> list[Finding]:
    checker = current_people()
    action = section_action("people", category) if checker.size else ALLOW
    if action == ALLOW:
        return []
    day = timezone.localdate()
    found = [
        Finding(item.field, problem.message, MISSTATEMENT, CONFIRM, problem.start, problem.end, problem.text, "人名职务")
        for item in texts
        for problem in checker.find(item.text, day)
    ]
    return _in_section(found, action)
