"""Read-only dictionary files that every process maps instead of loading: the pinyin and segmentation tables.

A dictionary loaded as Python objects (pypinyin's, jieba's) costs every worker tens of MB,
and every lookup writes to the objects it touches (their reference counts), so a forked
worker copies the pages it reads. A table file mapped read-only costs nothing until read;
its pages are the kernel's file cache, shared by every process that maps it, and never copied.

A file is `MAGIC`, a JSON header (whatever its builder needs: names, totals, where each
table starts) and hash tables of string keys: `slots` u32 offsets (0: empty), crc32 of the
key's UTF-8 and linear probing, then the entries: key length (u8), kind (u8), payload length
(u8), the key, the payload. Each file is built by a child process that imports the library
whose data it holds (`python -m MODULE PATH`), so that library and its garbage leave with
the child; `Table.open_or_build` builds a missing or damaged file, once per library version, and removes the files of other versions.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

__all__ = ["Table", "entry", "with_starts", "hash_table", "write", "folder"]

MAGIC = b"XWTABLE1"
log = logging.getLogger("xinwen.hanzi")

_HEAD = struct.Struct("<8sII")  # magic, the builder's format number, length of the JSON header
_SLOT = struct.Struct("<I")
_ENTRY = struct.Struct("<BBB")  # key bytes, kind, payload bytes


def _slots(count: int) -> int:
    size = 8
    while size < count * 2:  # at most half full: short probes
        size *= 2
    return size


def entry(key: str, kind: int, payload: bytes) -> bytes:
    raw = key.encode()
    if len(raw) > 255 or len(payload) > 255:
        raise ValueError(f"an entry too long for the table: {key}")
    return _ENTRY.pack(len(raw), kind, len(payload)) + raw + payload


def with_starts(entries: dict[str, bytes], kind: int) -> dict[str, bytes]:
    """`entries` and, as `kind` entries without payload, every shorter start of their keys that is not a key itself.

    Lets a reader extend a match one character at a time and stop where nothing can follow.
    """
    starts = {key[:end] for key in entries for end in range(1, len(key))}
    return {**entries, **{start: entry(start, kind, b"") for start in sorted(starts) if start not in entries}}


def hash_table(entries: dict[str, bytes], start: int) -> tuple[bytes, int]:
    """(the table's bytes, its number of slots) for `entries` (key → `entry()`), placed at `start` in the file."""
    size = _slots(len(entries))
    slots = [0] * size
    body = bytearray()
    base = start + size * _SLOT.size
    for key, item in entries.items():
        at = zlib.crc32(key.encode()) & (size - 1)
        while slots[at]:
            at = (at + 1) & (size - 1)
        slots[at] = base + len(body)
        body += item
    return struct.pack(f"<{size}I", *slots) + bytes(body), size


def write(path: Path, form: int, header: dict, tables: dict[str, dict[str, bytes]]) -> None:
    """Write `header` and `tables` (name → entries) to `path`, whole or not at all."""
    # The tables' offsets are in the header, whose length depends on them: fix its width first.
    header = {**header, "tables": {name: [10**10, 10**10] for name in tables}}
    size = _HEAD.size + len(json.dumps(header, ensure_ascii=False).encode())
    parts, at = [], size
    for name, entries in tables.items():
        data, slots = hash_table(entries, at)
        header["tables"][name] = [at, slots]
        parts.append(data)
        at += len(data)
    head = json.dumps(header, ensure_ascii=False).encode().ljust(size - _HEAD.size)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(_HEAD.pack(MAGIC, form, len(head)) + head + b"".join(parts))
    os.replace(partial, path)  # another process may be reading or building it too


def _build(builder: str, path: Path) -> None:
    subprocess.run([sys.executable, "-m", builder, str(path)], check=True, timeout=600, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)  # fmt: skip


def folder() -> Path:
    """Where tables live: `XINWEN_TABLES` if set, else `VAR_DIR/cache` on a site, else a folder of this user's in the temp dir."""
    if os.environ.get("XINWEN_TABLES"):
        return Path(os.environ["XINWEN_TABLES"])
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        var_dir = getattr(settings, "VAR_DIR", None)
    except ImproperlyConfigured:  # the library used outside a site
        var_dir = None
    if var_dir:
        return Path(var_dir) / "cache"
    return Path(tempfile.gettempdir()) / f"xinwen-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _remove_others(path: Path) -> None:
    """Remove the tables of other versions of `path`'s kind (`pinyin-*.table` beside `pinyin-0.55.0-1.table`).

    They are left behind when a library or the table format is upgraded (pinyin 3.5 MB, jieba 13 MB).
    A process still mapping one keeps its pages (the file goes, its inode stays until unmapped).
    A partial file goes too once an hour old: its builder was killed while writing it.
    """
    kind = path.name.split("-", 1)[0]
    # "Now" as the file system has it (the table just written): a folder on another host, or
    # a process whose clock is not the file system's, must not take a fresh partial for old.
    hour_ago = path.stat().st_mtime - 3600
    for other in [*path.parent.glob(f"{kind}-*.table"), *path.parent.glob(f".{kind}-*.table.*")]:
        try:
            if other.name != path.name and (not other.name.startswith(".") or other.stat().st_mtime < hour_ago):
                other.unlink()
                log.info("removed %s, a table of another version", other)
        except OSError:  # another process removed it first, or the folder is read-only
            pass


class Table:
    """A table file, mapped read-only."""

    def __init__(self, path: Path, form: int):
        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        magic, found, size = _HEAD.unpack_from(self._map, 0)
        if magic != MAGIC or found != form:
            raise ValueError(f"{path} is not a table of format {form}")
        self.header: dict = json.loads(self._map[_HEAD.size : _HEAD.size + size])
        self._tables: dict[str, tuple[int, int]] = {name: tuple(place) for name, place in self.header["tables"].items()}

    @classmethod
    def open_or_build(cls, path: Path, form: int, builder: str) -> Table:
        """The table at `path`; built first by `python -m builder path` if missing or not whole (a disk that filled up).

        Where `path` cannot be written (a read-only VAR_DIR, a full disk), the table is built
        in a folder of this process's own in the temp dir instead, and a warning says so.
        """
        try:
            return cls(path, form)
        except (OSError, ValueError, struct.error):
            pass
        try:
            _build(builder, path)
            table = cls(path, form)
        except (OSError, ValueError, struct.error, subprocess.SubprocessError) as exc:
            own = Path(tempfile.mkdtemp(prefix="xinwen-table-")) / path.name
            log.warning("could not build %s (%s): using a copy of this process's own in %s", path, exc, own.parent)
            _build(builder, own)
            return cls(own, form)
        _remove_others(path)
        return table

    def find(self, table: str, key: str) -> tuple[int, bytes] | None:
        """(kind, payload) of `key` in `table`, or None."""
        start, size = self._tables[table]
        raw = key.encode()
        at = zlib.crc32(raw) & (size - 1)
        data = self._map
        while True:
            (offset,) = _SLOT.unpack_from(data, start + at * 4)
            if not offset:
                return None
            length, kind, count = _ENTRY.unpack_from(data, offset)
            if length == len(raw) and data[offset + 3 : offset + 3 + length] == raw:
                return kind, data[offset + 3 + length : offset + 3 + length + count]
            at = (at + 1) & (size - 1)
