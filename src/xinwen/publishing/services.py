"""Publishing: full builds into a new release, incremental rewrites in place, rollback.

`site_publish` renders every public URL (pages.public_urls) into a fresh release, adds
static assets and media, signs the manifest and switches the live symlink. After that,
`site_publish_changed` (the publishing worker after a change notice, or `xinwen publish --changed`)
compares what each page was built from with the database now and rewrites exactly the
files that show what changed: the tags of news.purges.article_purge_tags, the same set the
page cache drops. A change of category, glossary or site settings shows on every page and
makes a full build instead, switched in atomically like the first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from xinwen.hanzi.selectors import glossary_version
from xinwen.news import pagetags
from xinwen.news.models import Article, Category, SiteSettings
from xinwen.news.purges import NOWHERE, article_purge_tags
from xinwen.news.selectors import Placement, link_ids, placement_flags
from xinwen.news.statistics import article_statistics_refresh
from xinwen.news.tree import CategoryTree
from xinwen.publishing import build, files, manifest
from xinwen.publishing.errors import PublishError
from xinwen.publishing.pages import NOT_FOUND_URL, article_urls, public_urls
from xinwen.publishing.render import file_for_url

__all__ = [
    "Report",
    "site_publish",
    "site_publish_changed",
    "release_rollback",
    "next_change_time",
]

log = logging.getLogger(__name__)
DEFAULT_KEEP = 5


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
    rows = Article.objects.values_list(
        "pk", "category_id", "publish_at", "pinned", "updated_at", "headline", "focus", "recommended", "cover"
    )
    tags, also_in = link_ids(Article.tags.through, "tag_id"), link_ids(Article.also_in.through, "category_id")
    return {
        str(pk): [
            cat, pk in released, at.isoformat() if at else None, pinned, pk in public, upd.isoformat(),
            placement_flags(*flags), list(tags.get(pk, ())), list(also_in.get(pk, ())),
        ]
        for pk, cat, at, pinned, upd, *flags in rows
    }  # fmt: skip


def _placement(state: list) -> Placement:
    # [category, released, publish_at, pinned, public, updated, home-page flags, tag ids, further
    # sections]; a release indexed before flags, tags or further sections existed has none.
    def part(index, default):
        return state[index] if len(state) > index else default

    return Placement(*state[:4], part(6, ""), tuple(part(7, ())), tuple(part(8, ())))


def _site_fingerprint() -> str:
    """What every page shows: the category tree (navigation), the glossary (conversion), the site settings.

    And the page tags' vocabulary, which the release's page index is written in.
    """
    cats = list(Category.objects.order_by("pk").values_list("pk", "name", "slug", "parent_id", "order"))
    site = list(SiteSettings.objects.values_list("updated_at", flat=True))  # 站点设置: name and footer
    return hashlib.sha256(json.dumps([cats, repr(glossary_version()), site, pagetags.VERSION], default=str).encode()).hexdigest()


def _index_path(release: Path) -> Path:
    return release.with_name(release.name + files.RELEASE_RECORDS[0])


def _index_load(release: Path) -> dict:
    try:
        return json.loads(_index_path(release).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _index_save(release: Path, index: dict) -> None:
    files.write_atomic(_index_path(release), json.dumps(index, sort_keys=True, ensure_ascii=False).encode())
    files.write_atomic(_site_path(release), index["site"].encode())


def _site_path(release: Path) -> Path:
    """The site fingerprint a release was built with, apart from its page index (megabytes at 10,000 articles)."""
    return release.with_name(release.name + files.RELEASE_RECORDS[1])


def _site_of(release: Path) -> str | None:
    """The fingerprint `release` was built with; from its page index for a release made before the separate file."""
    try:
        return _site_path(release).read_text().strip() or None
    except FileNotFoundError:
        return _index_load(release).get("site")


@contextlib.contextmanager
def _one_snapshot(*, export: bool = False):
    """Every query of one run reads the same committed state; yields PostgreSQL's snapshot id when `export`.

    Editors keep saving while pages render; without one snapshot the list of URLs could
    predate an article that the home page, rendered a moment later, already links to.
    PostgreSQL: a read-only REPEATABLE READ transaction, whose snapshot the build's worker
    processes import. SQLite (WAL): a deferred read transaction, which never blocks writers.
    Inside a caller's transaction (tests) that transaction already gives one view.
    """
    if connection.in_atomic_block:
        yield None
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                snapshot_id = None
                if export:
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot_id = cursor.fetchone()[0]
            yield snapshot_id
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield None
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        yield None


def _build_state(states: dict | None = None, fingerprint: str | None = None) -> str:
    """A digest of what the pages are built from, for a worker to compare with the parent's (SQLite)."""
    states = _article_states() if states is None else states
    fingerprint = _site_fingerprint() if fingerprint is None else fingerprint
    return hashlib.sha256(json.dumps([states, fingerprint], sort_keys=True).encode()).hexdigest()


# --- full build, rollback ---------------------------------------------------------------


def site_publish(*, target: Path, keep: int = DEFAULT_KEEP, progress: bool = False, jobs: int = 1) -> Report:
    """Build every public file into a new release, sign it, switch `target` to it, keep `keep` releases.

    `jobs` > 1 renders with that many processes (outside a transaction; see build.py).
    """
    target = Path(target).absolute()
    if keep < 1:
        raise PublishError("--keep 至少为 1：当前发布本身总要保留。")
    if target.exists() and not target.is_symlink():
        raise PublishError(f"{target} 已存在且不是发布生成的链接：请换一个目录，或先移走它。")
    with files.locked(target):
        release = files.new_release(target)
        article_statistics_refresh()  # tens of thousands of list pages: let the planner pick their indexes
        try:
            for attempt in range(_ATTEMPTS):
                try:
                    pages, entries, states, fingerprint = _build(release, progress=progress, jobs=jobs if attempt < _ATTEMPTS - 1 else 1)
                    break
                except build.SnapshotMoved:
                    log.info("a commit landed while the build's workers started; building again")
                    shutil.rmtree(release)
                    release.mkdir()
            entries.update(build.copy_static(release))
            entries.update(build.copy_media(release))
            manifest.manifest_write(release, entries)
            os.sync()
        except BaseException:
            shutil.rmtree(release, ignore_errors=True)
            raise
        _index_save(release, {"pages": pages, "articles": states, "site": fingerprint})
        files.switch_to(target, release)
        files.prune(target, keep)
    log.info("published %s pages, %s files into %s", len(pages), len(entries), release)
    return Report(release=release, written=sorted(entries), pages=len(pages))


# SQLite only: how often a parallel build may start again after a commit raced its workers'
# read transactions; the last attempt renders in this process, in one transaction.
_ATTEMPTS = 3


def _build(release: Path, *, progress: bool, jobs: int):
    """Render every public page into `release`, all of them from one snapshot of the database.

    The URL list, the index of what pages were built from and every rendered page read the
    same committed state, in this process and in each worker: an article committed while
    the build runs is either on every page that should show it, or on none (the next
    `publish --changed` adds it).
    """
    with build.worker_pool(jobs) as pool, _one_snapshot(export=pool is not None) as snapshot_id:
        states, fingerprint = _article_states(), _site_fingerprint()
        urls = public_urls()
        snapshot = None
        if pool is not None:
            shared = connection.vendor == "postgresql" and snapshot_id
            snapshot = (
                build.Snapshot(postgres_id=snapshot_id)
                if shared
                else build.Snapshot(check=_build_state, expected=_build_state(states, fingerprint))
            )
        pages, entries, _gone = build.render_into(release, urls, durable=False, progress=progress, pool=pool, snapshot=snapshot)
    return pages, entries, states, fingerprint


def release_rollback(*, target: Path) -> Path:
    """Switch `target` back to the release before the current one; returns it."""
    target = Path(target).absolute()
    with files.locked(target):
        current = files.current_release(target)
        if current is None:
            raise PublishError(f"{target} 不是发布目录（没有指向发布版本的链接）。")
        older = [r for r in files.releases(target) if r.name < current.name]
        if not older:
            raise PublishError("没有更早的发布版本可以回退。")
        files.switch_to(target, older[-1])
    return older[-1]


# --- incremental -------------------------------------------------------------------------


def _changed_ids(old: dict[str, list], new: dict[str, list]) -> list[str]:
    return [pk for pk in old.keys() | new.keys() if old.get(pk) != new.get(pk)]


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


# The articles named by change notices whose own pages go first (publish_changed's `first`).
FIRST_ARTICLES = 8


def site_publish_changed(
    *, target: Path, progress: bool = False, refresh: list[str] | tuple = (), first: list[int] | tuple = ()
) -> Report:
    """Rewrite in the live release exactly the files that show what changed since it was built.

    Catches up with everything since the last run, so it also publishes scheduled articles
    whose time has come and removes those whose unpublish time has passed. `refresh` names
    pages to render again even if no article changed (热门文章 on the home pages).
    Order keeps every link whole for a reader who fetches pages meanwhile: new pages first,
    then the pages that link to them, and only then are pages no longer public removed.
    `first` names articles the change notices were about (the publishing worker): their own
    pages are put in place before anything else is read (see _first_pages).
    """
    target = Path(target).absolute()
    with files.locked(target):
        release = files.current_release(target)
        if release is None or _site_of(release) != _site_fingerprint():
            return site_publish(target=target, progress=progress)
        with _one_snapshot():
            early = _first_pages(release, first)
            index = _index_load(release)
            if index:
                return _publish_changed(release, index, progress, refresh, early)
        return site_publish(target=target, progress=progress)  # the page index is unreadable


def _first_pages(release: Path, first) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Put in place at once the pages of the articles in `first` that link to no page missing from the tree.

    An edited article's own page is what its editor opens to check the change; working out
    everything else the change touches reads every article's state, the list of every URL
    and the page index first (about 0.7 s at 10,000 articles). A page that links to a page
    not yet in the tree (an article published in the same run, say) waits for the ordered
    run, which writes new pages before the pages that link to them.
    """
    wanted = list(dict.fromkeys(int(pk) for pk in first[:FIRST_ARTICLES]))
    # An article taken down or turned into a 外链文章 has no page to write; the ordered run removes it.
    public = set(Article.objects.published().filter(pk__in=wanted, external_url="").values_list("pk", flat=True)) if wanted else set()
    urls = [url for pk in wanted if pk in public for url in article_urls(pk)]
    if not urls:
        return {}, {}

    def missing(url: str) -> bool:
        return not (release / file_for_url(url)).exists()

    return build.render_linked(release, urls, missing=missing)


def _publish_changed(release: Path, index: dict, progress: bool, refresh, early=({}, {})) -> Report:
    early_pages, early_entries = early
    states = _article_states()
    tags = _changed_tags(index["articles"], states)
    known = index["pages"]
    current = public_urls()
    current_set = set(current)
    fresh = [u for u in current if u not in known and u not in early_pages]
    again = [u for u in current if u in known and u not in early_pages and (set(known[u]) & tags or u in refresh)]
    # Existing pages in any order keep links whole. The changed articles' own pages go
    # first: they are what the editor opens to check the change; the lists, feeds and
    # sitemaps, and the pages of the articles around it (previous/next, 相关文章), follow.
    own = {url for pk in _changed_ids(index["articles"], states) for url in article_urls(int(pk))}
    again.sort(key=lambda u: 0 if u in own else 1 if "/article/" in u else 2)
    pages, entries, gone = build.render_into(release, fresh + again, durable=True, progress=progress)
    pages.update(early_pages)
    entries.update(early_entries)
    removed = []
    for url in [u for u in known if u not in current_set] + gone:
        rel = "404.html" if url == NOT_FOUND_URL else file_for_url(url)
        removed += files.remove_file(release, rel)
        known.pop(url, None)
    known.update(pages)
    if entries or removed:
        _resign(release, entries, removed)
    _index_save(release, {"pages": known, "articles": states, "site": index["site"]})
    log.info("publish --changed: %s pages rewritten, %s files removed", len(pages), len(removed))
    return Report(release=release, written=sorted(entries), removed=removed, pages=len(pages), full=False)


def _resign(release: Path, written: dict[str, dict], removed: list[str]) -> None:
    entries = manifest.manifest_read(release, manifest.load_public_key(), own=True)
    entries.update(written)
    for rel in removed:
        entries.pop(rel, None)
    manifest.manifest_write(release, entries)


def next_change_time() -> float | None:
    """When pages next change by time alone (Unix time): a scheduled publish or unpublish time, or None."""
    now = timezone.now()
    found = Article.objects.released().aggregate(
        going_live=Min("publish_at", filter=Q(publish_at__gt=now)),
        going_offline=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    times = [t for t in found.values() if t is not None]
    return min(times).timestamp() if times else None
