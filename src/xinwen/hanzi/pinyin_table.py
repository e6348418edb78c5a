"""pypinyin's readings from one read-only table file, so that serving never loads pypinyin.

pypinyin holds its dictionaries as Python objects: about 33 MB in every process that reads
one character, and every lookup writes to the objects it touches (their reference counts),
so a forked worker copies the pages it reads. The table holds the same data (every reading
of each of pypinyin's 41,923 characters, the readings of its 47,111 phrases and every string
a phrase begins with) in a file of about 3.5 MB that each process maps read-only: its pages
are the kernel's file cache, shared by every worker and never copied.

`pinyin()` and `lazy_pinyin()` give exactly what pypinyin's functions of those names give
for the styles used here (TONE, NORMAL), with or without heteronyms, and the error modes
"default", "ignore" or a callable: the same split into Han and other runs, the same forward
maximum match over the phrases, the same treatment of characters without a reading
(`hanzi/tests/test_pinyin_table.py` compares them on every phrase and character).

The table (`hanzi/mapped.py`) is built from the installed pypinyin by a child process
(`python -m xinwen.hanzi.pinyin_table PATH`, about a second), once per pypinyin version,
under `VAR_DIR/cache/`; a process that reads it never imports pypinyin.
"""

from __future__ import annotations

import importlib.metadata
import re
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from xinwen.hanzi import mapped

__all__ = ["Readings", "table", "pinyin", "lazy_pinyin", "build", "TONE", "NORMAL"]

TONE, NORMAL = "tone", "normal"
FORMAT = 2
_PHRASE, _PREFIX = 1, 0  # a key that is a phrase (or a character), or only the start of one

Errors = str | Callable[[str], object]


def _codes(codes: list[int]) -> bytes:
    return struct.pack(f"<{len(codes)}H", *codes)


def build(path: Path) -> None:
    """Write the table for the installed pypinyin to `path` (imports pypinyin: run it in a child process)."""
    from pypinyin import constants
    from pypinyin.style import convert as convert_style

    syllables: dict[str, int] = {}

    def code(reading: str) -> int:
        return syllables.setdefault(reading, len(syllables))

    chars = {
        chr(number): mapped.entry(chr(number), _PHRASE, _codes([code(r) for r in value.split(",")]))
        for number, value in sorted(constants.PINYIN_DICT.items())
    }
    words: dict[str, bytes] = {}
    for phrase, items in sorted(constants.PHRASES_DICT.items()):
        # Each character's readings after their number: [2, zhāo, cháo, 1, yáng] for 朝阳.
        codes = [c for item in items for c in (len(item), *map(code, item))]
        words[phrase] = mapped.entry(phrase, _PHRASE, _codes(codes))
    if len(syllables) >= 1 << 16:
        raise ValueError("more distinct readings than the table can number")
    ordered = sorted(syllables, key=syllables.__getitem__)
    header = {
        "pypinyin": importlib.metadata.version("pypinyin"),
        "hans": constants.RE_HANS.pattern,
        "tone": ordered,
        "normal": [convert_style(s, constants.Style.NORMAL, True, default=s) for s in ordered],
    }
    mapped.write(path, FORMAT, header, {"chars": chars, "words": mapped.with_starts(words, _PREFIX)})


class Readings:
    """pypinyin's dictionaries, read from the mapped table."""

    def __init__(self, table: mapped.Table):
        self._table = table
        header = table.header
        self.version: str = header["pypinyin"]
        self.hans = re.compile(header["hans"])
        self._tone: list[str] = header["tone"]
        self._normal = dict(zip(header["tone"], header["normal"]))

    def _codes(self, payload: bytes) -> tuple[int, ...]:
        return struct.unpack(f"<{len(payload) // 2}H", payload)

    def char(self, char: str) -> list[str] | None:
        """Every reading of one character, pypinyin's first first; None if it has none."""
        found = self._table.find("chars", char)
        if found is None:
            return None
        return [self._tone[c] for c in self._codes(found[1])]

    def phrase(self, text: str) -> list[list[str]] | None:
        """The readings of each character of a dictionary phrase (the phrase's own first); None if `text` is not one."""
        found = self._table.find("words", text)
        if found is None or found[0] != _PHRASE:
            return None
        names, codes, items, at = self._tone, self._codes(found[1]), [], 0
        while at < len(codes):
            items.append([names[c] for c in codes[at + 1 : at + 1 + codes[at]]])
            at += 1 + codes[at]
        return items

    def cut(self, run: str) -> list[str]:
        """A run of Han characters cut into words as pypinyin's `mmseg.seg` cuts it (longest phrase first, from the left)."""
        find = self._table.find
        words, remain = [], run
        while remain:
            valid, end = 0, 0
            while end < len(remain):
                found = find("words", remain[: end + 1])
                if found is None:
                    break
                end += 1
                if found[0] == _PHRASE:
                    valid = end
            else:  # all that is left is the start of some phrase
                if not valid:
                    words.extend(remain)  # and none of it is a phrase: character by character
                    break
            if valid:
                words.append(remain[:valid])
                remain = remain[valid:]
            else:
                words.append(remain[0])
                remain = remain[1:]
        return words

    def normal(self, text: str) -> str:
        """A reading without its tone mark (ü as v), as pypinyin's NORMAL style writes it."""
        return self._normal.get(text, text)


def _runs(pattern: re.Pattern, text: str) -> list[str]:
    """`text` cut into runs of characters with a reading and runs of others, as pypinyin's simple_seg does."""
    runs: list[str] = []
    kinds: list[bool] = []
    for char in text:
        kind = bool(pattern.match(char))
        if runs and kinds[-1] == kind:
            runs[-1] += char
        else:
            runs.append(char)
            kinds.append(kind)
    return runs or [""]


def _no_reading(chars: str, errors: Errors, heteronym: bool) -> list[list[str]]:
    if callable(errors):
        found = errors(chars)
    elif errors == "default":
        found = chars
    elif errors == "ignore":
        found = None
    else:
        raise ValueError(f"errors={errors!r} is not supported here")
    if not found:
        return []
    if isinstance(found, list):
        if isinstance(found[0], list):
            return found if heteronym else [[x[0]] for x in found]
        return [[item] for item in found]
    return [[found]]


def _distinct(items: list[list[str]]) -> list[list[str]]:
    out = []
    for item in items:
        kept: list[str] = []
        for reading in item:
            if reading and reading not in kept:
                kept.append(reading)
        out.append(kept or [""])
    return out


def pinyin(text: str, style: str = TONE, heteronym: bool = False, errors: Errors = "default") -> list[list[str]]:
    """pypinyin.pinyin(text, style, heteronym, errors), read from the table."""
    found = table()
    result: list[list[str]] = []
    for run in _runs(found.hans, text):
        if not found.hans.match(run):
            result.extend(_distinct(_no_reading(run, errors, heteronym)))
            continue
        for word in found.cut(run):
            items = found.phrase(word)
            if items is None:
                items = []
                for char in word:
                    every = found.char(char)
                    items.extend([every] if every is not None else _no_reading(char, errors, heteronym))
            if style == NORMAL:
                items = [[found.normal(r) for r in item] for item in items]
            if not heteronym:
                items = [[item[0]] for item in items]
            result.extend(_distinct(items))
    return result


def lazy_pinyin(text: str, style: str = NORMAL, errors: Errors = "default") -> list[str]:
    """pypinyin.lazy_pinyin(text, style, errors), read from the table."""
    return [reading for item in pinyin(text, style=style, errors=errors) for reading in item]


_lock = threading.Lock()
_table: Readings | None = None


def table_path() -> Path:
    return mapped.folder() / f"pinyin-{importlib.metadata.version('pypinyin')}-{FORMAT}.table"


def table() -> Readings:
    """This process's readings, the table built first if this pypinyin has none yet."""
    global _table
    found = _table
    if found is not None:
        return found
    with _lock:
        if _table is None:
            _table = Readings(mapped.Table.open_or_build(table_path(), FORMAT, "xinwen.hanzi.pinyin_table"))
        return _table


if __name__ == "__main__":
    build(Path(sys.argv[1]))
