"""Finding listed words in text, however they were disguised: a pure Aho-Corasick matcher.

Text is folded the way search folds it (`hanzi.segment.fold`: NFKC, full-width →
half-width, case, Traditional → Simplified, one character at a time) and, on top of
that, look-alike letters from other alphabets become the Latin letter they imitate,
and every character that is not a letter or a digit (spaces, punctuation, symbols,
zero-width and other format characters, combining marks) is dropped. So 色 情, 色-情,
色\u200b情, 色★情 and 色情 all read 色情; a hit still names its place in the original text.

Dropping separators joins neighbouring words, so a word that begins or ends with a
Latin letter (or digit) only counts where the character beyond that edge is not another
Latin letter (or digit): "a v" is av, "java video" is not. Chinese words have no such edge; the lexicon lists words that no
innocent sentence contains across a comma.

Folding is a `str.translate` over a table that fills itself character by character;
only text with a hit pays for the per-character map back to the original offsets.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from xinwen.hanzi.segment import bmp_fold_table
from xinwen.hanzi.segment import fold as search_fold

__all__ = ["BLOCK", "CONFIRM", "NOTE", "ALLOW", "Entry", "Hit", "Matcher", "fold_key", "stuffing_hits", "STUFFING_WORD"]

# Letters that look like Latin ones (Cyrillic, Greek) and digits written for letters: a
# spammer's 6et365 or Сайт must read as the Latin word the lexicon lists.
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ɡ": "g", "ո": "n", "ս": "u",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "γ": "y", "ω": "w", "ѵ": "v",
    "0": "o", "1": "l",
}  # fmt: skip
# Categories of characters that carry no letter: separators (Z*), punctuation (P*),
# symbols (S*), controls and format characters such as U+200B (Cc, Cf), combining marks (M*).
_DROPPED = ("Z", "P", "S", "C", "M")


def _kept(folded: str) -> str | None:
    """A search-folded character as the matcher compares it, or None when it is dropped."""
    folded = _HOMOGLYPHS.get(folded, folded)
    return folded if unicodedata.category(folded)[0] not in _DROPPED and folded != "_" else None


class _FoldTable(dict):
    """code point → folded character, or None to drop it; filled on first sight of each character."""

    def __missing__(self, code: int):
        char = chr(code)
        # Lone surrogates (Cs) never reach the folding: OpenCC cannot encode them.
        value = _kept(search_fold(char)) if unicodedata.category(char) != "Cs" else None
        self[code] = value
        return value


_TABLE = _FoldTable()
_BMP: list[str | None] = []


def _bmp_table() -> list[str | None]:
    """The whole Basic Multilingual Plane folded, as a list: `str.translate` reads a list faster than a dict.

    Built once per process on first use (about 0.1 s, from hanzi's table of the folded BMP);
    characters beyond the BMP (rare: mathematical letters, rare Han) take the
    dictionary path.
    """
    if not _BMP:
        for code, folded in enumerate(bmp_fold_table()):
            if not 0xD800 <= code <= 0xDFFF:  # the lone surrogates (Cs) stay None
                _TABLE[code] = _kept(folded)
        _BMP.extend(_TABLE[code] for code in range(0x10000))
    return _BMP


_DROPPED_RE: list[re.Pattern] = []


def _dropped_pattern() -> re.Pattern:
    """A character class of every BMP character folding drops, as ranges: finding them runs in C."""
    if not _DROPPED_RE:
        table, ranges, code = _bmp_table(), [], 0
        while code < 0x10000:
            if table[code] is None:
                end = code
                while end + 1 < 0x10000 and table[end + 1] is None:
                    end += 1
                ranges.append(re.escape(chr(code)) + ("-" + re.escape(chr(end)) if end > code else ""))
                code = end + 1
            else:
                code += 1
        _DROPPED_RE.append(re.compile("[" + "".join(ranges) + "]"))
    return _DROPPED_RE[0]


def _offsets(text: str):
    """key index → index in `text`: only texts with a hit pay for it, and only for their dropped characters."""
    if max(text) > "\uffff":
        kept = [i for i, char in enumerate(text) if _TABLE[ord(char)] is not None]
        return kept.__getitem__
    dropped = [match.start() for match in _dropped_pattern().finditer(text)]

    def original(index: int) -> int:
        position = index
        while True:  # index plus the dropped characters up to the answer; a few rounds at most
            moved = index + bisect_right(dropped, position)
            if moved == position:
                return position
            position = moved

    return original


def fold_key(text: str) -> str:
    """`text` as the matcher compares it: folded, look-alikes replaced, non-letters dropped."""
    if text and max(text) > "\uffff":
        return text.translate(_TABLE)
    return text.translate(_bmp_table())


def _kind(char: str) -> str:
    """'a' for a Latin letter, '1' for a digit, '' for anything else (Chinese)."""
    if not char.isascii():
        return ""
    return "a" if char.isalpha() else "1" if char.isdigit() else ""


@dataclass(frozen=True)
class Entry:
    """A listed word and what listing it means."""

    word: str  # as the lexicon spells it
    category: str  # e.g. 色情
    action: str  # block / confirm / note, or allow: an exception that hides the words inside it
    lexicon: str = ""  # which lexicon listed it


@dataclass(frozen=True)
class Hit:
    """A listed word found in text: [start, end) are offsets in the original text."""

    entry: Entry
    start: int
    end: int
    text: str  # what the text has there, disguise and all

    @property
    def word(self) -> str:
        return self.entry.word

    @property
    def category(self) -> str:
        return self.entry.category

    @property
    def action(self) -> str:
        return self.entry.action


BLOCK, CONFIRM, NOTE, ALLOW = "block", "confirm", "note", "allow"
# Stronger actions win when two lexicons list the same word; an exception (allow) loses to any.
_RANK = {BLOCK: 3, CONFIRM: 2, NOTE: 1, ALLOW: 0}


class Matcher:
    """An automaton over the folded forms of many words; build once per lexicon version, share freely."""

    def __init__(self, entries: Iterable[Entry]):
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        by_key: dict[str, Entry] = {}
        for entry in entries:
            key = fold_key(entry.word)
            if not key:
                continue
            held = by_key.get(key)
            if held is None or _RANK.get(entry.action, 0) > _RANK.get(held.action, 0):
                by_key[key] = entry
        for key, entry in by_key.items():
            edges = (_kind(key[0]), _kind(key[-1]))
            self._automaton.add_word(key, (len(key), entry, edges))
        self.size = len(by_key)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every listed word in `text`, in order of position; overlapping words are all reported."""
        if not text or not self.size:
            return []
        key = fold_key(text)
        raw = list(self._automaton.iter(key))
        if not raw:
            return []
        spans = []
        for end, (length, entry, (first_kind, last_kind)) in raw:
            start = end - length + 1
            # A Latin word inside a longer run of letters (or digits inside digits) is another word.
            if first_kind and start > 0 and _kind(key[start - 1]) == first_kind:
                continue
            if last_kind and end + 1 < len(key) and _kind(key[end + 1]) == last_kind:
                continue
            spans.append((start, end, entry))
        # An exception (例外) covers the words inside it: 特色情景 holds 色情 but says nothing of it.
        allowed = [(start, end) for start, end, entry in spans if entry.action == ALLOW]
        original = _offsets(text)
        hits = []
        for start, end, entry in spans:
            if entry.action == ALLOW or any(a <= start and end <= b for a, b in allowed):
                continue
            first, last = original(start), original(end) + 1
            hits.append(Hit(entry, first, last, text[first:last]))
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits


# Keyword stuffing, the shape of a hijacked <title>: four or more phrases with Chinese in
# them joined by underscores ("国产精品…_欧美日韩…_久久精品…"). Organisations write
# 首页_新闻中心_集团 at most; file names with _ carry no Chinese.
STUFFING_WORD = "关键词堆砌"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def stuffing_hits(text: str, *, category: str, action: str) -> list[Hit]:
    """Runs of four or more `_`-joined phrases, most of them Chinese: a keyword-stuffed title."""
    if not text or text.count("_") < 3:
        return []
    found = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.count("_") >= 3:
            found.extend(_line_runs(line.rstrip("\r\n"), offset, category, action))
        offset += len(line)
    return found


def _line_runs(line: str, offset: int, category: str, action: str) -> list[Hit]:
    # Split once and walk the parts: linear in the line, whatever its underscores.
    runs: list[list[tuple[int, str]]] = [[]]
    position = 0
    for part in line.split("_"):
        if 2 <= len(part.strip()) <= 60:
            runs[-1].append((position, part))
        elif runs[-1]:
            runs.append([])
        position += len(part) + 1
    hits = []
    for run in runs:
        chinese = sum(1 for _start, part in run if len(_CJK.findall(part)) >= 2)
        if len(run) >= 4 and chinese >= 4 and chinese * 4 >= len(run) * 3:
            first = run[0][0]
            last = run[-1][0] + len(run[-1][1])
            entry = Entry(STUFFING_WORD, category, action, "内置词库")
            hits.append(Hit(entry, offset + first, offset + last, line[first:last]))
    return hits
