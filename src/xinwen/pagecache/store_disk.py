"""The default store: files under VAR_DIR/pagecache, shared by every worker on the host.

Layout: entries/<2 hex>/<hash> holds one entry blob; tags/<tag>/<hash> is an empty
file saying that entry shows that tag; memo/<name> holds small JSON notes for the
invalidation service; `epoch` changes on every purge. Every file is written to a
temporary name and renamed into place, so a reader sees a whole entry or none.

The store has a size cap (PAGE_CACHE_MAX_MB). An entry file's mtime is set to the
entry's expiry, so one sort of the files by mtime puts the expired entries first and
then those due soonest (with one TTL for every page: the oldest). A sweep walks the
entries, deletes what has expired and, past the cap, the soonest due until the store is
under 90% of it, with their tag files. Hits never sweep; a process sweeps after every
SWEEP_PUTS of its puts, every SWEEP_SECONDS, or at once when the total it knows of (the
last sweep's plus its own puts since) passes the cap.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import threading
import time
from pathlib import Path

from xinwen.pagecache.entry import Entry, EntryError, entry_dumps, entry_header, entry_loads

__all__ = ["DiskStore"]

# Parsed entries kept per process: about 30 KB each (three encodings), so at most ~8 MB.
RECENT_ENTRIES = 256
SWEEP_PUTS = 200
SWEEP_SECONDS = 300
SWEEP_TARGET = 0.9  # a sweep past the cap leaves room for this share of it
TEMP_GRACE_SECONDS = 600  # a temporary file older than this was left by a crashed writer


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def _safe(tag: str) -> str:
    # Tags are ours ("article:12", "list:3"); anything else would be a bug, never a path.
    if not tag or "/" in tag or tag.startswith(".") or "\x00" in tag:
        raise ValueError(f"invalid page-cache tag: {tag!r}")
    return tag


class DiskStore:
    def __init__(self, root: str | os.PathLike, *, max_bytes: int | None = None):
        self.root = Path(root)
        self.max_bytes = max_bytes or None
        self._known_bytes = 0  # the last sweep's total plus this process's puts since
        self._puts_since_sweep = 0
        self._last_sweep = float("-inf")
        self.entries = self.root / "entries"
        self._entries_path = str(self.entries)  # the hit path joins strings: pathlib costs more than the read
        self._recent: dict[str, tuple[tuple, Entry]] = {}
        self._lock = threading.Lock()
        self.tags = self.root / "tags"
        self.memos = self.root / "memo"
        self._epoch_file = self.root / "epoch"

    # --- reads (the hit path) ---------------------------------------------------------

    def get(self, key: str) -> Entry | None:
        name = key_hash(key)
        path = f"{self._entries_path}/{name[:2]}/{name}"
        try:
            stat = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            if name in self._recent:
                with self._lock:
                    self._recent.pop(name, None)
            return None
        # The busiest pages stay parsed in memory, checked against the file on every hit: a
        # purge deletes the file and a new version is a new file (rename), so a stale copy is
        # never served. A stat costs a fraction of reading and parsing the entry.
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        recent = self._recent.get(name)
        if recent is not None and recent[0] == stamp:
            return recent[1]
        try:
            with open(path, "rb") as handle:
                entry = entry_loads(handle.read())
        except (FileNotFoundError, NotADirectoryError, EntryError):
            return None
        with self._lock:
            self._recent[name] = (stamp, entry)
            if len(self._recent) > RECENT_ENTRIES:
                self._recent.pop(next(iter(self._recent)))  # the oldest kept
        return entry

    def epoch(self) -> str:
        try:
            return self._epoch_file.read_text()
        except FileNotFoundError:
            return ""

    # --- writes -------------------------------------------------------------------------

    def put(self, entry: Entry, *, epoch: str) -> bool:
        """Store `entry` unless a purge happened since `epoch` was read (before the page was rendered)."""
        name = key_hash(entry.key)
        for tag in entry.tags:
            folder = self.tags / _safe(tag)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).touch()
        path = self.entries / name[:2] / name
        blob = entry_dumps(entry)
        self._write(path, blob, mtime=entry.expires)
        # A purge that ran while the page was rendering (or while it was being written)
        # may have missed this entry: it would show content from before the change.
        if self.epoch() != epoch:
            path.unlink(missing_ok=True)
            return False
        self._known_bytes += len(blob)
        self._puts_since_sweep += 1
        if (
            (self.max_bytes is not None and self._known_bytes > self.max_bytes)
            or self._puts_since_sweep >= SWEEP_PUTS
            or time.monotonic() - self._last_sweep > SWEEP_SECONDS
        ):
            self.sweep()
        return True

    def sweep(self, *, now: float | None = None) -> int:
        """Delete expired entries and, past the cap, the soonest due; returns the bytes kept."""
        now = time.time() if now is None else now
        files = []
        try:
            folders = list(os.scandir(self.entries))
        except FileNotFoundError:
            folders = []
        for folder in folders:
            try:
                items = list(os.scandir(folder.path))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for item in items:
                try:
                    stat = item.stat()
                except FileNotFoundError:
                    continue
                if item.name.startswith("."):
                    if stat.st_mtime < now - TEMP_GRACE_SECONDS:  # never renamed into place
                        _unlink(item.path)
                    continue
                files.append((stat.st_mtime, stat.st_size, item.path, item.name))
        total = sum(size for _, size, _, _ in files)
        target = None if self.max_bytes is None else self.max_bytes * SWEEP_TARGET
        files.sort()
        for mtime, size, path, name in files:
            if mtime > now and (target is None or total <= target):
                break
            self._drop(path, name)
            total -= size
        self._known_bytes, self._puts_since_sweep, self._last_sweep = total, 0, time.monotonic()
        return total

    def _drop(self, path: str, name: str) -> None:
        """Delete one entry file and the tag files that point at it (its tags are in its header)."""
        try:
            with open(path, "rb") as handle:
                tags = entry_header(handle)["t"]
        except (OSError, EntryError, KeyError, TypeError):
            tags = []
        _unlink(path)
        for tag in tags:
            if isinstance(tag, str):
                try:
                    _unlink(self.tags / _safe(tag) / name)
                except ValueError:
                    pass

    def invalidate(self, tags) -> set[str]:
        """Drop every entry carrying any of `tags`; returns the hashes of the dropped entries."""
        self._bump_epoch()
        dropped = set()
        for tag in tags:
            folder = self.tags / _safe(tag)
            try:
                names = os.listdir(folder)
            except FileNotFoundError:
                continue
            for name in names:
                try:
                    (self.entries / name[:2] / name).unlink()
                    dropped.add(name)
                except FileNotFoundError:  # already dropped through another tag, or expired and gone
                    pass
                (folder / name).unlink(missing_ok=True)
        return dropped

    def purge_all(self) -> None:
        self._bump_epoch()
        for folder in (self.entries, self.tags):
            if folder.exists():
                # Rename first: new entries can be written at once while the old tree is deleted.
                trash = self.root / f".trash-{secrets.token_hex(6)}"
                folder.rename(trash)
                shutil.rmtree(trash, ignore_errors=True)

    def keys(self) -> set[str]:
        """Every stored key (reads each entry: for tests and the clear command, not for requests)."""
        found = set()
        if not self.entries.exists():
            return found
        for path in self.entries.glob("*/*"):
            try:
                found.add(entry_loads(path.read_bytes()).key)
            except (OSError, EntryError):
                pass
        return found

    def memo_get(self, name: str):
        try:
            return json.loads((self.memos / _safe(name)).read_text())
        except FileNotFoundError:
            return None

    def memo_set(self, name: str, value) -> None:
        path = self.memos / _safe(name)
        if value is None:
            path.unlink(missing_ok=True)
        else:
            self._write(path, json.dumps(value).encode())

    def _bump_epoch(self) -> None:
        self._write(self._epoch_file, secrets.token_hex(8).encode())

    def _write(self, path: Path, data: bytes, *, mtime: float | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        with open(temp, "wb") as handle:
            handle.write(data)
        if mtime is not None:
            os.utime(temp, (time.time(), mtime))
        os.replace(temp, path)


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):
        pass
