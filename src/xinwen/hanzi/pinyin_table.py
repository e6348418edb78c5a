"""pypinyin's readings from one read-only table file, so that serving never loads pypinyin.

pypinyin holds its dictionaries as Python objects: about 33 MB in every process that reads
one character, and every lookup writes to the objects it touches (their reference counts),
so a forked worker copies the pages it reads. The table holds the same data (every reading
of each of pypinyin's 41,923 characters, the readings of its 47,111 phrases and every string
a phrase begins with) in a file of about 3 MB that each process maps read-only: its pages
are the kernel's file cache, shared by every worker and never copied.

`pinyin()` and `lazy_pinyin()` give exactly what pypinyin's functions of those names give
for the styles used here (TONE, NORMAL), with or without heteronyms, and the error modes
"default", "ignore" or a callable: the same split into Han and other runs, the same forward
maximum match over the phrases, the same treatment of characters without a reading
(`hanzi/tests/test_pinyin_table.py` compares them on every phrase and character).

The table is built from the installed pypinyin by a child process (`python -m
xinwen.hanzi.pinyin_table PATH`, about a second), once per pypinyin version, under
`VAR_DIR/cache/`; a process that reads it never imports pypinyin.
"""

from __future__ import annotations

import importlib.metadata
import json
import mmap
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

__all__ = ["Table", "table", "pinyin", "lazy_pinyin", "build", "TONE", "NORMAL"]

TONE, NORMAL = "tone", "normal"
FORMAT = 1
MAGIC = b"XWPINYIN"
_HEAD = struct.Struct("<8sII")  # magic, format, length of the JSON header after it
_SLOT = struct.Struct("<I")
_ENTRY = struct.Struct("<BBB")  # key bytes, phrase (1) or prefix only (0), u16 codes
_PHRASE, _PREFIX = 1, 0

Errors = str | Callable[[str], object]


def _slots(count: int) -> int:
    size = 8
    while size < count * 2:  # at most half full: short probes
        size *= 2
    return size


def _hash_table(entries: dict[bytes, bytes], start: int) -> bytes:
    """Open addressing (crc32, linear probing): `slots` u32 offsets of entries from the file's start, then the entries."""
    size = _slots(len(entries))
    slots = [0] * size
    body = bytearray()
    base = start + size * _SLOT.size
    for key, entry in entries.items():
        at = zlib.crc32(key) & (size - 1)
        while slots[at]:
            at = (at + 1) & (size - 1)
        slots[at] = base + len(body)
        body += entry
    return b"".join(_SLOT.pack(s) for s in slots) + bytes(body)


def build(path: Path) -> None:
    """Write the table for the installed pypinyin to `path` (imports pypinyin: run it in a child process)."""
    from pypinyin import constants
    from pypinyin.style import convert as convert_style

    syllables: dict[str, int] = {}

    def code(reading: str) -> int:
        return syllables.setdefault(reading, len(syllables))

    def entry(key: bytes, kind: int, codes: list[int]) -> bytes:
        if len(codes) > 255:
            raise ValueError(f"too many readings for one entry: {key.decode()}")
        return _ENTRY.pack(len(key), kind, len(codes)) + key + struct.pack(f"<{len(codes)}H", *codes)

    chars = {
        chr(number).encode(): entry(chr(number).encode(), _PHRASE, [code(r) for r in value.split(",")])
        for number, value in sorted(constants.PINYIN_DICT.items())
    }
    words: dict[bytes, bytes] = {}
    prefixes: set[str] = set()
    for phrase, items in sorted(constants.PHRASES_DICT.items()):
        # Each character's readings after their number: [2, zhāo, cháo, 1, yáng] for 朝阳.
        codes = [c for item in items for c in (len(item), *map(code, item))]
        words[phrase.encode()] = entry(phrase.encode(), _PHRASE, codes)
        prefixes.update(phrase[:end] for end in range(1, len(phrase)))
    for prefix in sorted(prefixes):
        words.setdefault(prefix.encode(), entry(prefix.encode(), _PREFIX, []))
    if len(syllables) >= 1 << 16:
        raise ValueError("more distinct readings than the table can number")
    ordered = sorted(syllables, key=syllables.__getitem__)
    header = {
        "pypinyin": importlib.metadata.version("pypinyin"),
        "hans": constants.RE_HANS.pattern,
        "tone": ordered,
        "normal": [convert_style(s, constants.Style.NORMAL, True, default=s) for s in ordered],
        "chars": [0, _slots(len(chars))],
        "words": [0, _slots(len(words))],
    }
    # The tables' offsets depend on the header's length, which holds them: fix the width first.
    header["chars"][0] = header["words"][0] = 10**9
    head_size = _HEAD.size + len(json.dumps(header, ensure_ascii=False).encode())
    header["chars"][0] = head_size
    chars_table = _hash_table(chars, head_size)
    header["words"][0] = head_size + len(chars_table)
    words_table = _hash_table(words, header["words"][0])
    head = json.dumps(header, ensure_ascii=False).encode().ljust(head_size - _HEAD.size)
    data = _HEAD.pack(MAGIC, FORMAT, len(head)) + head + chars_table + words_table
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    os.replace(partial, path)  # whole or absent: another process may be reading or building it too


class Table:
    """The table in one file, mapped read-only."""

    def __init__(self, path: Path):
        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        magic, form, size = _HEAD.unpack_from(self._map, 0)
        if magic != MAGIC or form != FORMAT:
            raise ValueError(f"{path} is not a pinyin table of format {FORMAT}")
        header = json.loads(self._map[_HEAD.size : _HEAD.size + size])
        self.version: str = header["pypinyin"]
        self.hans = re.compile(header["hans"])
        self._styles = {TONE: header["tone"], NORMAL: header["normal"]}
        self._normal = dict(zip(header["tone"], header["normal"]))
        self._chars, self._words = tuple(header["chars"]), tuple(header["words"])

    def _find(self, table: tuple[int, int], key: str) -> tuple[int, tuple[int, ...]] | None:
        start, size = table
        raw = key.encode()
        at = zlib.crc32(raw) & (size - 1)
        data = self._map
        while True:
            (offset,) = _SLOT.unpack_from(data, start + at * 4)
            if not offset:
                return None
            length, kind, count = _ENTRY.unpack_from(data, offset)
            if length == len(raw) and data[offset + 3 : offset + 3 + length] == raw:
                return kind, struct.unpack_from(f"<{count}H", data, offset + 3 + length)
            at = (at + 1) & (size - 1)

    def char(self, char: str, style: str = TONE) -> list[str] | None:
        """Every reading of one character, pypinyin's first first; None if it has none."""
        found = self._find(self._chars, char)
        if found is None:
            return None
        names = self._styles[style]
        return [names[c] for c in found[1]]

    def phrase(self, text: str, style: str = TONE) -> list[list[str]] | None:
        """The readings of each character of a dictionary phrase (the phrase's own first); None if `text` is not one."""
        found = self._find(self._words, text)
        if found is None or found[0] != _PHRASE:
            return None
        names, codes, items, at = self._styles[style], found[1], [], 0
        while at < len(codes):
            items.append([names[c] for c in codes[at + 1 : at + 1 + codes[at]]])
            at += 1 + codes[at]
        return items

    def cut(self, run: str) -> list[str]:
        """A run of Han characters cut into words as pypinyin's `mmseg.seg` cuts it (longest phrase first, from the left)."""
        words, remain = [], run
        while remain:
            valid, end = 0, 0
            while end < len(remain):
                found = self._find(self._words, remain[: end + 1])
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
_table: Table | None = None


def _folder() -> Path:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        var_dir = getattr(settings, "VAR_DIR", None)
    except ImproperlyConfigured:  # the library used outside a site
        var_dir = None
    if var_dir:
        return Path(var_dir) / "cache"
    return Path(tempfile.gettempdir()) / f"xinwen-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def table_path() -> Path:
    return _folder() / f"pinyin-{importlib.metadata.version('pypinyin')}-{FORMAT}.table"


def table() -> Table:
    """This process's table, built first if this pypinyin has none yet."""
    global _table
    found = _table
    if found is not None:
        return found
    with _lock:
        if _table is None:
            path = table_path()
            try:
                _table = Table(path)
            except (OSError, ValueError, struct.error):  # none yet, or not whole (a disk that filled up)
                # Built by a child process: pypinyin's dictionaries and their garbage leave with it.
                subprocess.run([sys.executable, "-m", "xinwen.hanzi.pinyin_table", str(path)], check=True, timeout=300)
                _table = Table(path)
        return _table


if __name__ == "__main__":
    build(Path(sys.argv[1]))
