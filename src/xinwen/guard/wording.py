"""The 错别字 and 严重表述错误 checks the write path runs: the confusion set and the people list.

The confusion set is a file shipped with xinwen (lexicons/typos.txt); the people list is
kept in the back office (人名职务), and each process rebuilds its checker when the list's
stamp (last change, number of rows) moves, like the lexicon matcher.
"""

from __future__ import annotations

import threading

from django.db.models import Count, Max
from django.utils import timezone

from xinwen.guard.matcher import CONFIRM
from xinwen.guard.models import Person
from xinwen.guard.people import PeopleChecker, Post
from xinwen.guard.typos import MISSTATEMENT, TypoFinder, builtin_confusions
from xinwen.news.content_checks import FieldText, Finding

__all__ = ["typo_check", "people_check", "current_people", "typo_finder"]

_lock = threading.Lock()
_people: tuple[object, PeopleChecker] | None = None
_typos: list[TypoFinder] = []


def typo_finder() -> TypoFinder:
    if not _typos:
        _typos.append(TypoFinder(builtin_confusions()))
    return _typos[0]


def typo_check(texts: list[FieldText], *, category=None, **_context) -> list[Finding]:
    finder = typo_finder()
    return [
        Finding(item.field, f"应为「{hit.confusion.right}」", hit.confusion.category, hit.confusion.action, hit.start, hit.end, hit.text, "错别字词表")
        for item in texts
        for hit in finder.find(item.text)
    ]


def current_people() -> PeopleChecker:
    """The checker for the people list as it is now."""
    global _people
    stamp = tuple(Person.objects.aggregate(changed=Max("updated_at"), rows=Count("id")).values())
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
    if not checker.size:
        return []
    day = timezone.localdate()
    return [
        Finding(item.field, problem.message, MISSTATEMENT, CONFIRM, problem.start, problem.end, problem.text, "人名职务")
        for item in texts
        for problem in checker.find(item.text, day)
    ]
