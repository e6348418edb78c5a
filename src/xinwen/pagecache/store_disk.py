"""The default store: files under VAR_DIR/pagecache, shared by every worker on the host.

Layout: entries/<2 hex>/<hash> holds one entry blob; tags.sqlite3 (SQLite, WAL) holds
the links (tag, entry hash): which entries show a tag; memo/<name> holds small JSON
notes for the invalidation service; `epoch` changes on every purge. Every entry file is
written to a temporary name and renamed into place, so a reader sees a whole entry or none.

The links were an empty file per tag and entry (tags/<tag>/<hash>): about eight new
files for each article page stored, each an inode to allocate, which cost more than
rendering the page on a slow disk (0.2-0.7 ms each here). One SQLite transaction writes
them all (about 0.07 ms). A link outlives its entry (an invalidation deletes only the
entries, never the links a concurrent store may just have written); a sweep deletes the
links of entries that are gone once they are LINK_GRACE_SECONDS old. A store left by an
older version (a tags/ folder) is emptied once, since its links are not in the index.

Each process keeps the busiest entries parsed in memory. A hit trusts such a copy without
looking at its file while the purge generation is the one it was checked under: 8 bytes of
a memory-mapped file (`generation`) that every purge overwrites before deleting anything,
so reading it costs no system call. After a purge each copy is checked against its file
(a stat) once. Content changes only through a purge (a new version of a page is rendered
after the purge that dropped the old one), and an expired copy is always checked.

The store has a size cap (PAGE_CACHE_MAX_MB). An entry file's mtime is set to the
entry's expiry, so one sort of the files by mtime puts the expired entries first and
then those due soonest (with one TTL for every page: the oldest). A sweep walks the
entries, deletes what has expired and, past the cap, the soonest due until the store is
under 90% of it, with their tag files. Hits never sweep. A process sweeps every
SWEEP_SECONDS, and at once when the bytes stored (the last sweep's total plus every
process's puts since, counted in the link index by the transaction that writes a put's
links) pass the cap. A sweep reads every entry's metadata: done after a fixed number of
puts, as before, it cost a crawler walking a long archive more system time than storing
the pages did (0.7 ms a page at 4,000 entries, growing with the store).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import mmap
import os
import secrets
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from xinwen.pagecache.entry import Entry, EntryError, entry_dumps, entry_loads

__all__ = ["DiskStore"]

# Parsed entries kept per process: at most about 30 KB each (three encodings), so at most ~8 MB.
RECENT_ENTRIES = 256
GENERATION_BYTES = 8
GENERATION_RECHECK_SECONDS = 1.0
SWEEP_SECONDS = 300
SWEEP_TARGET = 0.9  # a sweep past the cap leaves room for this share of it
TEMP_GRACE_SECONDS = 600  # a temporary file older than this was left by a crashed writer
# A link younger than this may belong to an entry still being written: sweeps leave it.
LINK_GRACE_SECONDS = 60
_LINKS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS links (tag TEXT NOT NULL, name TEXT NOT NULL, created REAL NOT NULL,"
    " PRIMARY KEY (tag, name)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS links_name ON links (name)",
    # The bytes stored since the last sweep measured them, by every process (one row).
    "CREATE TABLE IF NOT EXISTS stored (one INTEGER PRIMARY KEY CHECK (one = 1), bytes INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO stored (one, bytes) VALUES (1, 0)",
)


@functools.lru_cache(maxsize=1024)  # the busy pages' keys; made-up URLs take bounded room
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
        self._last_sweep = float("-inf")
        self.entries = self.root / "entries"
        self._entries_path = str(self.entries)  # the hit path joins strings: pathlib costs more than the read
        self._recent: dict[str, tuple[tuple, Entry, bytes | None]] = {}
        self._generation_file = self.root / "generation"
        self._generation_map: mmap.mmap | None = None
        self._generation_inode = 0
        self._generation_checked = float("-inf")
        self._lock = threading.Lock()
        self.index = self.root / "tags.sqlite3"
        self._legacy_tags = self.root / "tags"
        self._local = threading.local()  # one SQLite connection per thread (and per process: see _db)
        self.memos = self.root / "memo"
        self._epoch_file = self.root / "epoch"

    # --- reads (the hit path) ---------------------------------------------------------

    def get(self, key: str) -> Entry | None:
        name = key_hash(key)
        recent = self._recent.get(name)
        # Read before the file is looked at: a purge that starts after this changes it, and
        # the copy is checked against the file again on its next hit.
        generation = self._generation()
        if recent is not None and generation is not None and recent[2] == generation and recent[1].expires > time.time():
            return recent[1]  # no purge since the copy was checked: nothing it shows has changed
        path = f"{self._entries_path}/{name[:2]}/{name}"
        try:
            stat = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            if recent is not None:
                with self._lock:
                    self._recent.pop(name, None)
            return None
        # A purge deletes the file and a new version is a new file (rename): a copy whose
        # file is unchanged is still the page. A stat costs a fraction of reading and parsing it.
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if recent is not None and recent[0] == stamp:
            entry = recent[1]
        else:
            try:
                with open(path, "rb") as handle:
                    entry = entry_loads(handle.read())
            except (FileNotFoundError, NotADirectoryError, EntryError):
                return None
        with self._lock:
            self._recent[name] = (stamp, entry, generation)
            if len(self._recent) > RECENT_ENTRIES:
                self._recent.pop(next(iter(self._recent)))  # the oldest kept
        return entry

    def _generation(self) -> bytes | None:
        """The purge generation every process shares: 8 bytes of a memory-mapped file, read without a system call.

        Every purge writes new random bytes into it (`_bump_epoch`) before it deletes
        anything. Once a second the file is looked up again: a folder deleted by hand and
        made again is a new file, mapped anew. None when it cannot be mapped (and until
        the next look): every hit then checks the entry's file.
        """
        now = time.monotonic()
        if now >= self._generation_checked + GENERATION_RECHECK_SECONDS:
            self._generation_checked = now
            self._map_generation()
        mapped = self._generation_map
        return None if mapped is None else mapped[:GENERATION_BYTES]

    def _map_generation(self) -> None:
        try:
            if self._generation_map is not None and os.stat(self._generation_file).st_ino == self._generation_inode:
                return
        except OSError:
            pass
        self._generation_map = None  # until mapped again: every hit checks its file
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._generation_file, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if os.fstat(fd).st_size < GENERATION_BYTES:
                    os.ftruncate(fd, GENERATION_BYTES)
                # Shared, so it survives the server's fork and every process sees each write.
                mapped = mmap.mmap(fd, GENERATION_BYTES, mmap.MAP_SHARED)
                self._generation_inode = os.fstat(fd).st_ino
            finally:
                os.close(fd)
        except (OSError, ValueError):
            return
        self._generation_map = mapped

    def epoch(self) -> str:
        try:
            return self._epoch_file.read_text()
        except FileNotFoundError:
            return ""

    # --- writes -------------------------------------------------------------------------

    def put(self, entry: Entry, *, epoch: str) -> bool:
        """Store `entry` unless a purge happened since `epoch` was read (before the page was rendered)."""
        name = key_hash(entry.key)
        # The links first: an invalidation from now on finds this entry once it is written.
        now = time.time()
        blob = entry_dumps(entry)
        with self._transaction() as db:
            links = [(_safe(tag), name, now) for tag in entry.tags]
            db.executemany("INSERT OR REPLACE INTO links (tag, name, created) VALUES (?, ?, ?)", links)
            db.execute("UPDATE stored SET bytes = bytes + ?", (len(blob),))
            (stored,) = db.execute("SELECT bytes FROM stored").fetchone()
        path = self.entries / name[:2] / name
        self._write(path, blob, mtime=entry.expires)
        if name in self._recent:  # this process's copy is checked against the new file on its next hit
            with self._lock:
                self._recent.pop(name, None)
        # A purge that ran while the page was rendering (or while it was being written)
        # may have missed this entry: it would show content from before the change.
        if self.epoch() != epoch:
            path.unlink(missing_ok=True)
            return False
        if (self.max_bytes is not None and stored > self.max_bytes) or time.monotonic() - self._last_sweep > SWEEP_SECONDS:
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
        live = {name for _, _, _, name in files}
        for mtime, size, path, name in files:
            if mtime > now and (target is None or total <= target):
                break
            _unlink(path)
            live.discard(name)
            total -= size
        self._forget_links(live, before=now - LINK_GRACE_SECONDS, total=total)
        self._last_sweep = time.monotonic()
        return total

    def _forget_links(self, live: set[str], *, before: float, total: int) -> None:
        """Delete the links, written before `before`, of entries not in `live` (dropped, invalidated, expired).

        `total`, the bytes the sweep found, is what the next puts count on from.
        """
        with self._transaction() as db:
            db.execute("UPDATE stored SET bytes = ?", (total,))
            db.execute("CREATE TEMP TABLE IF NOT EXISTS live (name TEXT PRIMARY KEY) WITHOUT ROWID")
            db.executemany("INSERT OR IGNORE INTO temp.live (name) VALUES (?)", ((name,) for name in live))
            db.execute("DELETE FROM links WHERE created < ? AND name NOT IN (SELECT name FROM temp.live)", (before,))
            db.execute("DELETE FROM temp.live")

    def invalidate(self, tags) -> set[str]:
        """Drop every entry carrying any of `tags`; returns the hashes of the dropped entries.

        Only entries are deleted: a store racing with this one may have written its links
        already and its entry not yet; deleting its links would leave a page no later purge
        finds. Links of gone entries are the sweep's (LINK_GRACE_SECONDS).
        """
        self._bump_epoch()
        tags = [_safe(tag) for tag in tags]
        names: set[str] = set()
        db = self._db()
        for start in range(0, len(tags), 500):
            chunk = tags[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            names.update(row[0] for row in db.execute(f"SELECT name FROM links WHERE tag IN ({marks})", chunk))
        dropped = set()
        for name in names:
            try:
                os.unlink(f"{self._entries_path}/{name[:2]}/{name}")
                dropped.add(name)
            except FileNotFoundError:  # already dropped through another tag, or expired and gone
                pass
        return dropped

    def links(self) -> set[tuple[str, str]]:
        """Every (tag, entry hash) link (for tests and the clear command, not for requests)."""
        return set(self._db().execute("SELECT tag, name FROM links"))

    def purge_all(self) -> None:
        self._bump_epoch()
        self._remove_folders(self.entries)  # an older version's tags/ folder goes in _db()
        with self._transaction() as db:
            db.execute("DELETE FROM links")
            db.execute("UPDATE stored SET bytes = 0")

    def _remove_folders(self, *folders: Path) -> None:
        for folder in folders:
            # Rename first: new entries can be written at once while the old tree is deleted.
            trash = self.root / f".trash-{secrets.token_hex(6)}"
            try:
                folder.rename(trash)
            except FileNotFoundError:  # not there, or another process got to it first
                continue
            shutil.rmtree(trash, ignore_errors=True)

    # --- the link index ---------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        """This thread's connection to the link index, opened (and the index made) on first use.

        Kept per thread and per process id: a connection must never cross a fork (the
        server loads the site before forking its workers).
        """
        local = self._local
        if getattr(local, "pid", None) == os.getpid():
            return local.db
        self.root.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.index, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # the page cache can be rebuilt: no fsync per store
        # Each request thread of each worker holds one of these connections, and it mostly writes
        # a few rows: 128 KiB of SQLite's page cache instead of its default 2 MiB.
        db.execute("PRAGMA cache_size=-128")
        for statement in _LINKS_SCHEMA:
            db.execute(statement)
        local.db, local.pid = db, os.getpid()
        if self._legacy_tags.is_dir():  # an older version's links: its entries cannot be purged by tag
            self._bump_epoch()
            self._remove_folders(self.entries, self._legacy_tags)
        return db

    @contextlib.contextmanager
    def _transaction(self):
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

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
        # New random bytes, not a count: two purges at once can never leave the old value.
        self._generation_checked = float("-inf")  # looked up now: a purge must reach the file every process maps
        if self._generation() is not None:
            self._generation_map[:GENERATION_BYTES] = secrets.token_bytes(GENERATION_BYTES)

    def _write(self, path: Path, data: bytes, *, mtime: float | None = None) -> None:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            handle = open(temp, "wb")
        except FileNotFoundError:  # the folder's first file
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(temp, "wb")
        with handle:
            handle.write(data)
        if mtime is not None:
            os.utime(temp, (time.time(), mtime))
        os.replace(temp, path)


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):
        pass
