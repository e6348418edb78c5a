"""Every write to the search index: sync on editorial changes, full rebuilds, dictionary edits.

The index holds every published article, also those scheduled for later: scheduled
ones are filtered out at query time by their publish time (the document key), so they
become findable when their time comes without any job. Results are then read through
Article.objects.published(), the one definition of public, so an article that stopped
being public is never shown even before its index entry is gone.

Editorial services announce changes through xinwen.news.changes; `article_index_sync`
runs after their commit (subscribed in SearchConfig.ready()).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone as dj_timezone
from django.db import connection, connections, transaction

from xinwen.cache import CacheUnavailable

from xinwen.hanzi.segment import Segmenter, normalise, text_pieces
from xinwen.news.models import Article
from xinwen.search.backends import get_backend
from xinwen.search.dictionary import current_segmenter
from xinwen.search.documents import build_document
from xinwen.search.models import SearchDocument, SearchTerm
from xinwen.search.query import Form, Term

__all__ = [
    "indexable_articles",
    "search_index_articles",
    "article_index_sync",
    "articles_index_sync",
    "category_index_sync",
    "RebuildResult",
    "search_rebuild",
    "search_term_save",
    "search_term_delete",
    "index_generation",
    "AUTO_REINDEX_LIMIT",
]

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# From how many articles indexing cuts with rjieba (its dictionary built in this process,
# about 50 MB, ten times faster) instead of the shared mapped table: a save never loads it.
BULK_FROM = 20
# A dictionary edit reindexes the articles that contain the term right away up to this
# many; beyond it the admin is told to run `xinwen reindex` (search keeps finding them).
AUTO_REINDEX_LIMIT = 500
_GENERATION_KEY = "search:generation"


def indexable_articles():
    """Published articles, including those scheduled to appear later, unless their unpublish time has passed.

    One whose unpublish time lies ahead stays indexed; results pass Article.objects.published()
    at query time, so it is never shown after that time even before `xinwen reindex` drops it.
    """
    return Article.objects.released().filter(publish_at__isnull=False).exclude(unpublish_at__lte=dj_timezone.now())


def index_generation() -> int:
    """Changes on every index write, so cached result lists of an older index are not reused."""
    return cache.get_or_set(_GENERATION_KEY, 1, None)


def _bump_generation() -> None:
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(_GENERATION_KEY, 2, None)
    except CacheUnavailable:  # Redis is down: nothing is cached meanwhile, and results cached before expire soon
        pass


def search_index_articles(*, article_ids: Iterable[int], segmenter: Segmenter | None = None) -> int:
    """Bring these articles' index entries up to date: (re)index the indexable ones, remove the rest.

    Returns how many were indexed. Safe to run again at any time.
    """
    ids = sorted(set(article_ids))
    if not ids:
        return 0
    segmenter = segmenter or current_segmenter()
    if len(ids) > BULK_FROM:
        segmenter.load_rjieba()  # an import's batch or a category's articles: worth the dictionary
    backend = get_backend()
    indexed = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        articles = list(indexable_articles().filter(pk__in=batch).select_related("category"))
        documents = [build_document(article, segmenter) for article in articles]
        with transaction.atomic():
            backend.write(documents)
            backend.delete(set(batch) - {article.pk for article in articles})
        indexed += len(documents)
    _bump_generation()
    return indexed


def article_index_sync(*, article_id: int, action: str) -> None:
    """Subscriber of xinwen.news.changes: every action (publish, schedule, edit, unpublish, delete...) re-syncs."""
    search_index_articles(article_ids=[article_id])
    log.debug("search index synced for article %s after %s", article_id, action)


def articles_index_sync(*, notices: list[dict]) -> None:
    """The same for a batch of notices (an import's, see news.changes.batched): one read and one write for all."""
    search_index_articles(article_ids=[notice["article_id"] for notice in notices])
    log.debug("search index synced for %d articles after a batch", len(notices))


def category_index_sync(*, category_id: int, action: str) -> None:
    """A renamed category changes the text of its articles (the category name is indexed)."""
    ids = list(SearchDocument.objects.filter(category_id=category_id).values_list("article_id", flat=True))
    search_index_articles(article_ids=ids)


@dataclass
class RebuildResult:
    indexed: int
    removed: int
    dry_run: bool = False


def search_rebuild(
    *, dry_run: bool = False, progress: Callable[[int, int], None] | None = None, batch_size: int = BATCH_SIZE
) -> RebuildResult:
    """Reindex every indexable article and drop entries of articles that are no longer indexable.

    Search keeps working during the rebuild: entries are replaced batch by batch, never
    cleared first. `progress(done, total)` is called after each batch is written.
    """
    wanted = list(indexable_articles().order_by("pk").values_list("pk", flat=True))
    stale = set(SearchDocument.objects.values_list("article_id", flat=True)) - set(wanted)
    total = len(wanted)
    if dry_run:
        return RebuildResult(indexed=total, removed=len(stale), dry_run=True)
    segmenter = current_segmenter().load_rjieba()
    backend = get_backend()
    done = 0

    def written(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    written(0)
    writes = _Writes(backend)
    try:
        for start in range(0, total, batch_size):
            batch = wanted[start : start + batch_size]
            articles = indexable_articles().filter(pk__in=batch).select_related("category")
            rows = backend.rows([build_document(article, segmenter) for article in articles])
            if count := writes.put(rows, len(batch)):
                written(count)
        if count := writes.wait():
            written(count)
    finally:
        writes.close()
    backend.delete(stale)
    backend.optimise()
    _bump_generation()
    return RebuildResult(indexed=total, removed=len(stale))


def _write_batch(backend, rows: list) -> None:
    with transaction.atomic():
        backend.write_rows(rows)


class _Writes:
    """A rebuild's batches written on a thread of their own while the next batch is built.

    Building documents and their rows (segmentation, conversion, PostgreSQL's tsvector
    literals) is Python, done by the caller; writing them is mostly SQLite's FTS5 triggers,
    which run with the GIL released, or PostgreSQL's own process. Overlapped, a rebuild takes
    about as long as the longer of the two instead of their sum, as long as the writer thread
    does no Python work of its own. One batch is written at a time, in order, each in its own
    transaction as before. Inside a transaction, or on an in-memory SQLite database, a second
    connection could not see or share the caller's data: there every batch is written in the
    caller's thread.
    """

    def __init__(self, backend):
        self.backend = backend
        threaded = not connection.in_atomic_block and not (connection.vendor == "sqlite" and connection.is_in_memory_db())
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="xinwen-reindex") if threaded else None
        self.pending: tuple[Future, int] | None = None

    def put(self, rows: list, count: int) -> int:
        """Write `rows` (backend.rows() of a batch of `count` articles); returns how many articles finished writing meanwhile."""
        finished = self.wait()
        if self.executor is None:
            _write_batch(self.backend, rows)
            return finished + count
        self.pending = (self.executor.submit(_write_batch, self.backend, rows), count)
        return finished

    def wait(self) -> int:
        """Wait for the batch being written (its error is raised here); returns its article count, 0 without one."""
        if self.pending is None:
            return 0
        (future, count), self.pending = self.pending, None
        future.result()
        return count

    def close(self) -> None:
        if self.executor is None:
            return
        try:
            if self.pending is not None:
                self.pending[0].exception()  # after an error here, let the write in flight end first
        finally:
            self.executor.submit(connections.close_all).result()  # the writer thread's own connection
            self.executor.shutdown()


def _articles_containing(text: str) -> list[int]:
    """Indexed articles whose text contains `text` (up to AUTO_REINDEX_LIMIT + 1 of them)."""
    found = text_pieces(normalise(text))
    if not found:
        return []
    term = Term(tuple(found))
    keys = get_backend().candidates((Form((term,)),), low=-(2**62), high=2**62, limit=AUTO_REINDEX_LIMIT + 1)
    return list(SearchDocument.objects.filter(key__in=keys).values_list("article_id", flat=True))


@dataclass
class DictionaryChange:
    affected: int  # articles containing the term (AUTO_REINDEX_LIMIT + 1 means "more")
    reindexed: bool  # their index entries are being rebuilt after the commit


def _after_dictionary_change(texts: list[str]) -> DictionaryChange:
    ids: set[int] = set()
    for text in texts:
        ids.update(_articles_containing(text))
    if len(ids) > AUTO_REINDEX_LIMIT:
        log.warning("search dictionary changed (%s): more than %d articles contain it, run `xinwen reindex`", texts, AUTO_REINDEX_LIMIT)
        return DictionaryChange(affected=len(ids), reindexed=False)
    # After the commit, so that the new dictionary version is what the segmenter reads.
    transaction.on_commit(lambda: search_index_articles(article_ids=ids))
    return DictionaryChange(affected=len(ids), reindexed=True)


@transaction.atomic
def search_term_save(*, term: SearchTerm, user, previous: str | None = None) -> DictionaryChange:
    """Save a dictionary term and reindex the articles that contain it (or its previous spelling)."""
    from xinwen.news.services import audit_record

    created = term.pk is None
    term.term = term.term.strip()
    term.save()
    action = "create" if created else "change"
    audit_record(user=user, action=action, obj=term, detail={"previous": previous} if previous and previous != term.term else {})
    return _after_dictionary_change([t for t in {term.term, previous} if t])


@transaction.atomic
def search_term_delete(*, term: SearchTerm, user) -> DictionaryChange:
    from xinwen.news.services import audit_record

    audit_record(user=user, action="delete", obj=term, detail={"term": term.term})
    text = term.term
    term.delete()
    return _after_dictionary_change([text])
