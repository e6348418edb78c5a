"""Rendering pages into a tree: one process or every core, with precompressed twins and manifest entries.

A full build forks `jobs` children that each render chunks of the URL list through the
live views (render.Renderer) into the new release; every page's bytes depend only on the
database, so the result is the same whichever process rendered it. Each written file's
manifest entry is computed from the bytes in memory, so signing never reads the tree again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from tqdm import tqdm

from xinwen.publishing import files, manifest
from xinwen.publishing.errors import PublishError
from xinwen.publishing.pages import NOT_FOUND_URL
from xinwen.publishing.render import Renderer, file_for_url

__all__ = ["render_into", "copy_static", "copy_media"]

_STATIC_IGNORE = ["CVS", ".*", "*~"]


def render_into(root: Path, urls: list[str], *, durable: bool, progress: bool = False, jobs: int = 1) -> tuple[dict[str, list[str]], dict[str, dict], list[str]]:
    """Render `urls` into `root`; returns (url → tags of the pages written, file → manifest entry, urls now gone)."""
    if jobs > 1 and len(urls) > _CHUNK and _can_fork():
        return _render_parallel(root, urls, progress=progress, jobs=jobs)
    renderer = Renderer()
    pages, entries, gone = {}, {}, []
    for url in tqdm(urls, desc="发布页面", unit="页", disable=not progress, mininterval=0.5):
        _render_one(renderer, root, url, durable, pages, entries, gone)
    return pages, entries, gone


def _render_one(renderer: Renderer, root: Path, url: str, durable: bool, pages: dict, entries: dict, gone: list) -> None:
    try:
        page = renderer.render(url, error_page=url == NOT_FOUND_URL)
    except Exception as exc:  # a broken page must stop the build, naming the page
        raise PublishError(f"{url} 渲染失败：{exc.__class__.__name__}: {exc}") from exc
    expected = 404 if url == NOT_FOUND_URL else 200
    if page.status != expected:
        if page.status in (301, 302, 404, 410):  # gone since the list was made: not a page
            gone.append(url)
            return
        raise PublishError(f"{url} 返回 {page.status}，应为 {expected}。")
    rel = "404.html" if url == NOT_FOUND_URL else file_for_url(url)
    if durable:
        written = files.write_with_twins(root, rel, page.body)
        entries.update({name: manifest.file_entry(root / name) for name in written})
    else:
        entries.update(_write_plain(root, rel, page.body))
    pages[url] = sorted(page.tags)


# --- using every core for a full build ---------------------------------------------------

_CHUNK = 200  # pages per task: small enough to balance the cores, large enough to amortise
_child_root: Path | None = None


def _can_fork() -> bool:
    """Children read the committed database: inside a transaction (tests) they would not see its writes."""
    if not hasattr(os, "fork"):
        return False
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            return False
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            return False
    return True


def _child_render(urls: list[str]) -> tuple[dict, dict, list]:
    renderer = Renderer()
    pages, entries, gone = {}, {}, []
    for url in urls:
        _render_one(renderer, _child_root, url, False, pages, entries, gone)
    return pages, entries, gone


def _render_parallel(root: Path, urls: list[str], *, progress: bool, jobs: int):
    """The same pages rendered by `jobs` forked processes; each page's bytes do not depend on which one."""
    global _child_root
    _child_root = root
    connections.close_all()  # each child opens its own connection; a shared socket would interleave
    chunks = [urls[i : i + _CHUNK] for i in range(0, len(urls), _CHUNK)]
    pages, entries, gone = {}, {}, []
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=connections.close_all) as pool, tqdm(
        total=len(urls), desc="发布页面", unit="页", disable=not progress, mininterval=0.5
    ) as bar:
        for chunk, (p, e, g) in zip(chunks, pool.imap(_child_render, chunks)):
            pages.update(p)
            entries.update(e)
            gone += g
            bar.update(len(chunk))
    return pages, entries, gone


def _write_plain(root: Path, rel: str, data: bytes) -> dict[str, dict]:
    # A new release is read by nobody until the switch; one sync at the end makes it durable.
    out = {}
    targets = {rel: data, **({rel + ext: packed for ext, packed in files.twins(data).items()} if files.compressible(rel) else {})}
    for name, payload in targets.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        out[name] = {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
    return out


def copy_static(root: Path) -> list[str]:
    """Static assets as collectstatic would gather them (first finder wins), with twins."""
    written, seen = {}, set()
    for finder in finders.get_finders():
        for path, storage in finder.list(_STATIC_IGNORE):
            prefix = getattr(storage, "prefix", None)
            rel = "/".join(p for p in (prefix, path.replace(os.sep, "/")) if p)
            if rel in seen:
                continue
            seen.add(rel)
            with storage.open(path) as handle:
                written.update(_write_plain(root, f"static/{rel}", handle.read()))
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
