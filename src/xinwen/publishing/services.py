"""Publishing: full builds into a new release, incremental rewrites in place, rollback.

`site_publish` renders every public URL (pages.public_urls) into a fresh release, adds
static assets and media, signs the manifest and switches the live symlink. After that,
`site_publish_changed` (the change-notice subscriber, or `xinwen publish --changed`)
compares what each page was built from with the database now and rewrites exactly the
files that show what changed: the tags of news.purges.article_purge_tags, the same set the
page cache drops. A change of category, glossary or site settings shows on every page and
makes a full build instead, switched in atomically like the first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from tqdm import tqdm

from xinwen.hanzi.selectors import glossary_version
from xinwen.news.models import Article, Category
from xinwen.news.purges import NOWHERE, article_purge_tags
from xinwen.news.selectors import Placement
from xinwen.news.tree import CategoryTree
from xinwen.publishing import files, manifest
from xinwen.publishing.errors import PublishError
from xinwen.publishing.pages import NOT_FOUND_URL, public_urls
from xinwen.publishing.render import Renderer, file_for_url

__all__ = [
    "Report",
    "site_publish",
    "site_publish_changed",
    "release_rollback",
    "article_files_update",
    "everything_update",
]

log = logging.getLogger(__name__)
DEFAULT_KEEP = 5
_STATIC_IGNORE = ["CVS", ".*", "*~"]


@dataclass
class Report:
    release: Path
    written: list[str] = field(default_factory=list)  # served files written (twins included)
    removed: list[str] = field(default_factory=list)
    pages: int = 0
    full: bool = True


# --- what the pages were built from ------------------------------------------------


def _article_states() -> dict[str, list]:
    """Per article: its placement, whether readers see it now, and its last change."""
    public = set(Article.objects.published().values_list("pk", flat=True))
    released = set(Article.objects.released().values_list("pk", flat=True))
    rows = Article.objects.values_list("pk", "category_id", "publish_at", "pinned", "updated_at")
    tags: dict[int, list[int]] = {}
    for article_id, tag_id in Article.tags.through.objects.order_by("article_id", "tag_id").values_list("article_id", "tag_id"):
        tags.setdefault(article_id, []).append(tag_id)
    return {
        str(pk): [cat, pk in released, at.isoformat() if at else None, pinned, pk in public, upd.isoformat(), tags.get(pk, [])]
        for pk, cat, at, pinned, upd in rows
    }


def _placement(state: list) -> Placement:
    # [category, released, publish_at, pinned, public, updated, tag ids]; an index from before tags has no tag ids.
    return Placement(*state[:4], tuple(state[6]) if len(state) > 6 else ())


def _site_fingerprint() -> str:
    """What every page shows: the category tree (navigation) and the glossary (conversion)."""
    cats = list(Category.objects.order_by("pk").values_list("pk", "name", "slug", "parent_id", "order"))
    return hashlib.sha256(json.dumps([cats, repr(glossary_version())], default=str).encode()).hexdigest()


def _index_path(release: Path) -> Path:
    return release.with_name(release.name + ".pages.json")


def _index_load(release: Path) -> dict:
    try:
        return json.loads(_index_path(release).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _index_save(release: Path, index: dict) -> None:
    files.write_atomic(_index_path(release), json.dumps(index, sort_keys=True, ensure_ascii=False).encode())


# --- rendering -----------------------------------------------------------------------


def _render_into(root: Path, urls: list[str], *, durable: bool, progress: bool) -> tuple[dict[str, list[str]], list[str], list[str]]:
    """Render `urls` into `root`; returns (url → tags of the pages written, files written, urls now gone)."""
    renderer = Renderer()
    pages, written, gone = {}, [], []
    for url in tqdm(urls, desc="发布页面", unit="页", disable=not progress, mininterval=0.5):
        try:
            page = renderer.render(url, error_page=url == NOT_FOUND_URL)
        except Exception as exc:  # a broken page must stop the build, naming the page
            raise PublishError(f"{url} 渲染失败：{exc.__class__.__name__}: {exc}") from exc
        expected = 404 if url == NOT_FOUND_URL else 200
        if page.status != expected:
            if page.status in (301, 302, 404, 410):  # gone since the list was made: not a page
                gone.append(url)
                continue
            raise PublishError(f"{url} 返回 {page.status}，应为 {expected}。")
        rel = "404.html" if url == NOT_FOUND_URL else file_for_url(url)
        if durable:
            written += files.write_with_twins(root, rel, page.body)
        else:
            written += _write_plain(root, rel, page.body)
        pages[url] = sorted(page.tags)
    return pages, written, gone


def _write_plain(root: Path, rel: str, data: bytes) -> list[str]:
    # A new release is read by nobody until the switch; one sync at the end makes it durable.
    out = []
    targets = {rel: data, **({rel + ext: packed for ext, packed in files.twins(data).items()} if files.compressible(rel) else {})}
    for name, payload in targets.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        out.append(name)
    return out


def _copy_static(root: Path) -> list[str]:
    """Static assets as collectstatic would gather them (first finder wins), with twins."""
    written, seen = [], set()
    for finder in finders.get_finders():
        for path, storage in finder.list(_STATIC_IGNORE):
            prefix = getattr(storage, "prefix", None)
            rel = "/".join(p for p in (prefix, path.replace(os.sep, "/")) if p)
            if rel in seen:
                continue
            seen.add(rel)
            with storage.open(path) as handle:
                written += _write_plain(root, f"static/{rel}", handle.read())
    return written


def _copy_media(root: Path) -> list[str]:
    media = Path(settings.MEDIA_ROOT)
    written = []
    if not media.is_dir():
        return written
    for source in sorted(p for p in media.rglob("*") if p.is_file() and not p.name.startswith(".")):
        rel = "media/" + source.relative_to(media).as_posix()
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / rel)
        written.append(rel)
    return written


def _sign(root: Path) -> None:
    manifest.manifest_write(root, {rel: manifest.file_entry(root / rel) for rel in manifest.tree_files(root)})


# --- full build, rollback ---------------------------------------------------------------


def site_publish(*, target: Path, keep: int = DEFAULT_KEEP, progress: bool = False) -> Report:
    """Build every public file into a new release, sign it, switch `target` to it, keep `keep` releases."""
    target = Path(target).absolute()
    if keep < 1:
        raise PublishError("--keep 至少为 1：当前发布本身总要保留。")
    release = files.new_release(target)
    try:
        states, fingerprint = _article_states(), _site_fingerprint()
        urls = public_urls()
        pages, written, _gone = _render_into(release, urls, durable=False, progress=progress)
        written += _copy_static(release)
        written += _copy_media(release)
        _sign(release)
        os.sync()
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    _index_save(release, {"pages": pages, "articles": states, "site": fingerprint})
    files.switch_to(target, release)
    files.prune(target, keep)
    log.info("published %s pages, %s files into %s", len(pages), len(written), release)
    return Report(release=release, written=written, pages=len(pages))


def release_rollback(*, target: Path) -> Path:
    """Switch `target` back to the release before the current one; returns it."""
    target = Path(target).absolute()
    current = files.current_release(target)
    if current is None:
        raise PublishError(f"{target} 不是发布目录（没有指向发布版本的链接）。")
    older = [r for r in files.releases(target) if r.name < current.name]
    if not older:
        raise PublishError("没有更早的发布版本可以回退。")
    files.switch_to(target, older[-1])
    return older[-1]


# --- incremental -------------------------------------------------------------------------


def _changed_tags(old: dict[str, list], new: dict[str, list]) -> set[str]:
    tags: set[str] = set()
    tree = CategoryTree.load()
    for pk in old.keys() | new.keys():
        before, after = old.get(pk), new.get(pk)
        if before == after:
            continue
        place_before = _placement(before) if before else NOWHERE
        place_after = _placement(after) if after else None
        if before and after and before[4] != after[4]:
            place_before = None  # became public or stopped being public at its time: lists move
        tags |= article_purge_tags(article_id=int(pk), old=place_before, new=place_after, tree=tree)
    return tags


def site_publish_changed(*, target: Path, progress: bool = False) -> Report:
    """Rewrite in the live release exactly the files that show what changed since it was built."""
    target = Path(target).absolute()
    release = files.current_release(target)
    index = _index_load(release) if release else {}
    if not index or index.get("site") != _site_fingerprint():
        return site_publish(target=target, progress=progress)
    states = _article_states()
    tags = _changed_tags(index["articles"], states)
    known = index["pages"]
    current = public_urls()
    current_set = set(current)
    affected = [u for u in current if u not in known or set(known[u]) & tags]
    pages, written, gone = _render_into(release, affected, durable=True, progress=progress)
    removed = []
    for url in [u for u in known if u not in current_set] + gone:
        rel = "404.html" if url == NOT_FOUND_URL else file_for_url(url)
        removed += files.remove_file(release, rel)
        known.pop(url, None)
    known.update(pages)
    _resign(release, written, removed)
    _index_save(release, {"pages": known, "articles": states, "site": index["site"]})
    log.info("publish --changed: %s pages rewritten, %s files removed", len(pages), len(removed))
    return Report(release=release, written=written, removed=removed, pages=len(pages), full=False)


def _resign(release: Path, written: list[str], removed: list[str]) -> None:
    entries = manifest.manifest_read(release, manifest.load_public_key())
    for rel in written:
        entries[rel] = manifest.file_entry(release / rel)
    for rel in removed:
        entries.pop(rel, None)
    manifest.manifest_write(release, entries)


# --- change-notice subscribers -----------------------------------------------------------


def _publish_dir() -> Path | None:
    value = getattr(settings, "PUBLISH_DIR", None)
    return Path(value) if value else None


def article_files_update(*, article_id: int, action: str = "") -> None:
    """Rewrite the files that show article `article_id` (with PUBLISH_DIR set)."""
    target = _publish_dir()
    if target is not None:
        site_publish_changed(target=target)


def everything_update(**_change) -> None:
    """A category, glossary or site change shows on every page: a new full release."""
    target = _publish_dir()
    if target is not None:
        site_publish(target=target)
