"""错别字 and misspelt political terms: a confusion set with context rules, pure functions.

The list (lexicons/typos.txt) pairs a wrong form with the right one. Heavy language
models are not available, so a form that also occurs in correct sentences is listed
only with a rule that tells the two apart: `后接` (the wrong form counts only before one
of these words: 渡过 before 假期 is 度过, 渡过难关 is right), `前接` (only after one of
these), `除外` (longer right forms that contain it: 按装机容量 holds 按装).

Text is compared folded one character at a time (`hanzi.segment.fold`, offsets kept), so
a Traditional manuscript is held to the same list; separators are not dropped here:
a typo is two characters side by side, never a disguise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from xinwen.guard.lexicon import ACTIONS, LexiconFormatError
from xinwen.guard.matcher import CONFIRM, NOTE
from xinwen.hanzi.segment import bmp_fold_table, fold


_BMP: list[str] = []


def _folded(text: str) -> str:
    """`fold(text)` through a table of the whole Basic Multilingual Plane, built once per process.

    str.translate reads a list in C; beyond the BMP (IndexError) characters stay as they are.
    """
    if not _BMP:
        _BMP.extend(bmp_fold_table())
    return text.translate(_BMP)


__all__ = ["TYPO", "MISSTATEMENT", "Confusion", "TypoHit", "parse_confusions", "builtin_confusions", "TypoFinder"]

TYPO, MISSTATEMENT = "错别字", "严重表述错误"
_SECTION = re.compile(r"^\[\s*(?P<category>\S+)\s+(?P<action>\S+)\s*\]$")
_LINE = re.compile(r"^(?P<wrong>\S+)\s*→\s*(?P<right>\S+)(?P<rules>(?:\s{2,}|\t).*)?$")
_RULE = re.compile(r"(后接|前接|除外)[:：]\s*(\S+)")


@dataclass(frozen=True)
class Confusion:
    """A wrong form, the right one, and when the wrong form counts."""

    wrong: str
    right: str
    category: str = TYPO
    action: str = NOTE
    before: tuple[str, ...] = ()  # 后接: counts only when followed by one of these
    after: tuple[str, ...] = ()  # 前接: counts only when preceded by one of these
    unless: tuple[str, ...] = ()  # 除外: right forms that contain the wrong one


@dataclass(frozen=True)
class TypoHit:
    confusion: Confusion
    start: int
    end: int
    text: str


def parse_confusions(text: str) -> list[Confusion]:
    """The entries of a confusion-set text; raises LexiconFormatError with the line number."""
    category, action = TYPO, NOTE
    found: list[Confusion] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        section = _SECTION.match(line.strip())
        if section:
            category, action = section["category"], ACTIONS.get(section["action"], "")
            if category not in (TYPO, MISSTATEMENT) or action not in (NOTE, CONFIRM):
                raise LexiconFormatError(f"第 {number} 行：分类应为{TYPO}或{MISSTATEMENT}，处理应为仅提示或需要确认。")
            continue
        match = _LINE.match(line.strip())
        if not match:
            raise LexiconFormatError(f"第 {number} 行「{line[:30]}」应写成「错误写法 → 正确写法」。")
        rules: dict[str, tuple[str, ...]] = {}
        for name, values in _RULE.findall(match["rules"] or ""):
            rules[name] = tuple(fold(v) for v in values.split("|") if v)
        wrong = fold(match["wrong"])
        if any(wrong not in u for u in rules.get("除外", ())):
            raise LexiconFormatError(f"第 {number} 行：除外的写法必须包含「{match['wrong']}」。")
        found.append(
            Confusion(wrong, match["right"], category, action, rules.get("后接", ()), rules.get("前接", ()), rules.get("除外", ()))
        )
    return found


@lru_cache(maxsize=1)
def builtin_confusions() -> tuple[Confusion, ...]:
    text = resources.files("xinwen.guard").joinpath("lexicons/typos.txt").read_text(encoding="utf-8")
    return tuple(parse_confusions(text))


class TypoFinder:
    """One automaton over the wrong forms; `find` applies each form's context rules."""

    def __init__(self, confusions: Iterable[Confusion]):
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for confusion in confusions:
            self._automaton.add_word(confusion.wrong, confusion)
            self.size += 1
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[TypoHit]:
        if not text or not self.size:
            return []
        key = _folded(text)
        hits = []
        for last, confusion in self._automaton.iter(key):
            start, end = last - len(confusion.wrong) + 1, last + 1
            if _counts(key, start, end, confusion):
                hits.append(TypoHit(confusion, start, end, text[start:end]))
        return hits


def _counts(key: str, start: int, end: int, confusion: Confusion) -> bool:
    if confusion.before:
        follows = end + 1 if key.startswith("了", end) else end  # 渡过了春节 reads as 渡过春节
        if not any(key.startswith(word, follows) for word in confusion.before):
            return False
    if confusion.after and not any(key.endswith(word, 0, start) for word in confusion.after):
        return False
    for right in confusion.unless:
        offset = right.find(confusion.wrong)
        while offset >= 0:
            if key.startswith(right, start - offset) and start - offset >= 0:
                return False
            offset = right.find(confusion.wrong, offset + 1)
    return True
