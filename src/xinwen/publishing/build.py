"""Rendering pages into a tree: one process or every core, with precompressed twins and manifest entries.

A full build forks `jobs` children (worker_pool) that each render chunks of the URL list
through the live views (render.Renderer) into the new release. Every child reads the
snapshot the parent read the URL list from (Snapshot), so the bytes of every page depend
only on that one committed state, whichever process rendered it. A new release is read by
nobody until the switch, so its files are written plainly and synced once at the end; an
incremental publish rewrites the live tree in small batches, each synced before its renames.
Each written file's manifest entry is computed from the bytes in memory, so signing never
reads the tree again.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.db import connection, connections
from tqdm import tqdm

from xinwen.assets import fingerprinted, static_sources
from xinwen.publishing import files, manifest
from xinwen.publishing.errors import PublishError
from xinwen.publishing.pages import NOT_FOUND_URL
from xinwen.publishing.render import Renderer, file_for_url

__all__ = ["render_into", "render_linked", "page_links", "worker_pool", "can_fork", "Snapshot", "SnapshotMoved", "copy_static", "copy_media"]

def render_into(
    root: Path, urls: list[str], *, durable: bool, progress: bool = False, pool=None, snapshot: Snapshot | None = None
) -> tuple[dict[str, list[str]], dict[str, dict], list[str]]:
    """Render `urls` into `root`; returns (url → tags of the pages written, file → manifest entry, urls now gone).

    With a `pool` (worker_pool) the pages are shared out among its processes, each reading
    `snapshot`: the state the caller read its URL list from.
    """
    if pool is not None and len(urls) > _CHUNK:
        return _render_parallel(root, urls, progress=progress, pool=pool, snapshot=snapshot)
    renderer = Renderer()
    pages, entries, gone = {}, {}, []
    batch: list[tuple[str, bytes]] = []
    flushes = 0
    for url in tqdm(urls, desc="发布页面", unit="页", disable=not progress, mininterval=0.5):
        rendered = _render_one(renderer, url, gone)
        if rendered is None:
            continue
        rel, body, tags = rendered
        pages[url] = tags
        if not durable:
            entries.update(_write_plain(root, rel, body))
            continue
        batch.append((rel, body))
        if len(batch) >= min(_FIRST_BATCH << flushes, _BATCH):
            entries.update(files.write_many(root, batch))
            batch, flushes = [], flushes + 1
    if batch:
        entries.update(files.write_many(root, batch))
    return pages, entries, gone


# Links whose target must be a file of the tree: pages of every script (home, article, list,
# tag and topic pages, a list's numbered pages). Dynamic paths (search results, the pinyin
# view, the beacon) are answered by the app behind nginx.
_HREF = re.compile(rb'href="(/[^"#]*)"')
_TREE_PAGE = re.compile(r"/(?:zh-[a-z]+/)?(?:(?:article/\d+|category/[^/?]+|tag/[^/?]+|topic/[^/?]+)/(?:\?page=\d+)?)?")


def page_links(body: bytes) -> set[str]:
    """The links of an HTML page to pages that the published tree holds as files."""
    return {link for raw in _HREF.findall(body) if _TREE_PAGE.fullmatch(link := unquote(raw.decode("utf-8", "replace")))}


def render_linked(root: Path, urls: list[str], *, missing: Callable[[str], bool]) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Render `urls` and put in place, in one synced batch, those that are pages and link to nothing `missing`.

    Links among `urls` themselves count as present: they go in place together. Returns
    (url → tags, file → manifest entry) of the pages written; the rest are left to the caller.
    """
    renderer = Renderer()
    rendered = [(url, got) for url in urls if (got := _render_one(renderer, url, [])) is not None]
    together = {url for url, _got in rendered}
    pages, batch = {}, []
    for url, (rel, body, tags) in rendered:
        if any(link not in together and missing(link) for link in page_links(body)):
            continue
        pages[url] = tags
        batch.append((rel, body))
    return pages, files.write_many(root, batch) if batch else {}


# Pages in place per sync in an incremental publish: the first few alone (the changed
# article's own page in four scripts comes first, and the editor waits for it), then more
# at a time, since one sync of many files costs about what one fsync of one file does.
_FIRST_BATCH = 4
_BATCH = 64


def _render_one(renderer: Renderer, url: str, gone: list) -> tuple[str, bytes, list[str]] | None:
    """(file, bytes, cache tags) of one public page; None (and `url` in `gone`) when it is no page any more."""
    try:
        page = renderer.render(url, error_page=url == NOT_FOUND_URL)
    except Exception as exc:  # a broken page must stop the build, naming the page
        raise PublishError(f"{url} 渲染失败：{exc.__class__.__name__}: {exc}") from exc
    expected = 404 if url == NOT_FOUND_URL else 200
    if page.status != expected:
        if page.status in (301, 302, 404, 410):  # gone since the list was made: not a page
            gone.append(url)
            return None
        raise PublishError(f"{url} 返回 {page.status}，应为 {expected}。")
    rel = "404.html" if url == NOT_FOUND_URL else file_for_url(url)
    return rel, page.body, sorted(page.tags)


# --- using every core for a full build ---------------------------------------------------

_CHUNK = 200  # pages per task: small enough to balance the cores, large enough to amortise


@dataclass(frozen=True)
class Snapshot:
    """What a worker must read: PostgreSQL's exported snapshot, or (SQLite) a check of the state it sees.

    PostgreSQL hands the parent's snapshot to every worker (SET TRANSACTION SNAPSHOT), so all
    pages show exactly what the URL list was read from. SQLite cannot share a snapshot between
    processes: each worker holds one read transaction and compares `check()` in it with
    `expected`; a commit that slipped in before a worker began makes the build start again.
    """

    postgres_id: str | None = None
    check: Callable[[], str] | None = None
    expected: str | None = None


class SnapshotMoved(PublishError):
    """A worker's read transaction began after a commit the parent's did not see (SQLite only)."""


def can_fork() -> bool:
    """Children read the committed database: inside a transaction (tests) they would not see its writes."""
    if not hasattr(os, "fork"):
        return False
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            return False
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            return False
    return True


@contextlib.contextmanager
def worker_pool(jobs: int):
    """`jobs` forked processes, or None when one process must do (jobs 1, or a database children cannot share).

    Forked before the caller opens its snapshot transaction, with every connection closed:
    a child that inherited the parent's socket would interleave with it, and closing it
    there would end the parent's transaction.
    """
    if jobs < 2 or not can_fork():
        yield None
        return
    connections.close_all()
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_child_init)
    try:
        yield pool
        pool.close()  # children leave their read transactions on the way out (_child_init)
        pool.join()
    finally:
        pool.terminate()


_child = {"renderer": None, "snapshot": None}


def _child_init() -> None:
    connections.close_all()
    multiprocessing.util.Finalize(None, _child_exit, exitpriority=10)


def _child_exit() -> None:
    # Closing ends the read transaction (the server rolls it back); nothing was written in it.
    _child["snapshot"] = None
    connections.close_all()


def _child_begin(snapshot: Snapshot | None) -> None:
    """Enter `snapshot` once per child: every chunk it renders reads the same state."""
    if _child["snapshot"] == snapshot:
        return
    _child_exit()
    if snapshot is not None:
        connection.ensure_connection()
        if connection.vendor == "postgresql" and snapshot.postgres_id:
            connection.set_autocommit(False)  # psycopg opens the transaction at the first statement
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot.postgres_id])
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("BEGIN DEFERRED")
        if snapshot.check is not None and snapshot.check() != snapshot.expected:
            _child_exit()
            raise SnapshotMoved("发布期间数据库有新的提交，重新开始。")
    _child["snapshot"] = snapshot
    _child["renderer"] = Renderer()


def _child_render(task: tuple[Path, Snapshot | None, list[str]]) -> tuple[dict, dict, list]:
    root, snapshot, urls = task
    _child_begin(snapshot)
    pages, entries, gone = {}, {}, []
    for url in urls:
        rendered = _render_one(_child["renderer"], url, gone)
        if rendered is not None:
            rel, body, pages[url] = rendered
            entries.update(_write_plain(root, rel, body))
    return pages, entries, gone


def _render_parallel(root: Path, urls: list[str], *, progress: bool, pool, snapshot: Snapshot | None):
    """The same pages rendered by the pool's processes; each page's bytes do not depend on which one."""
    chunks = [urls[i : i + _CHUNK] for i in range(0, len(urls), _CHUNK)]
    pages, entries, gone = {}, {}, []
    with tqdm(total=len(urls), desc="发布页面", unit="页", disable=not progress, mininterval=0.5) as bar:
        for chunk, (p, e, g) in zip(chunks, pool.imap(_child_render, [(root, snapshot, c) for c in chunks])):
            pages.update(p)
            entries.update(e)
            gone += g
            bar.update(len(chunk))
    return pages, entries, gone


def _write_plain(root: Path, rel: str, data: bytes) -> dict[str, dict]:
    # A new release is read by nobody until the switch; one sync at the end makes it durable.
    out = {}
    for name, payload in files.with_twins(rel, data):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        out[name] = manifest.bytes_entry(payload)
    return out


def copy_static(root: Path) -> list[str]:
    """Static assets as collectstatic would gather them (first finder wins), under their plain and fingerprinted names, with twins."""
    written = {}
    for rel, (storage, path) in static_sources().items():
        with storage.open(path) as handle:
            data = handle.read()
        written.update(_write_plain(root, f"static/{rel}", data))
        if (hashed := fingerprinted(rel, data)) != rel:  # the name pages link to (xinwen/assets.py)
            written.update(_write_plain(root, f"static/{hashed}", data))
    return written


def copy_media(root: Path) -> dict[str, dict]:
    media = Path(settings.MEDIA_ROOT)
    written = {}
    if not media.is_dir():
        return written
    for source in sorted(p for p in media.rglob("*") if p.is_file() and not p.name.startswith(".")):
        rel = "media/" + source.relative_to(media).as_posix()
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / rel)
        written[rel] = manifest.file_entry(root / rel)
    return written
