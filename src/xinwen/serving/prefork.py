"""What `xinwen serve` loads once, before it forks its workers, so that every worker shares it.

A forked worker shares its parent's memory pages until it writes to them. Loaded in each
worker, Django with every app, the URLconf, the parsed public templates and the OpenCC
dictionaries (native memory, never written after loading) cost every worker the whole
amount; loaded here they are paid once per machine. `gc.freeze()` then moves everything
loaded so far out of the collector's sight, so collections in a worker do not write to
(and so un-share) the parent's objects.

glibc's malloc gives each thread that allocates its own arena (up to eight per core), and
each arena keeps the memory freed in it for its own thread: under concurrent requests (wrk,
32 connections) a worker with four request threads held about 14 MB more than with one
arena for all of them. Python's interpreter lock lets one of them run at a time anyway, so
`preload` limits the arenas to one before forking (glibc only).

It also refreshes the article table's planner statistics when they describe a table of
another size (a site that grew by editing since they were taken): SQLite never does so by
itself, and with stale ones it scanned the table for an article's neighbours.

The optional dictionaries (`SERVE_PRELOAD`, both by default): `pinyin` (the pinyin table
for the `?ruby=1` pages: a read-only file mapping, shared through the kernel's file cache
wherever it is opened; here it is built, if this pypinyin has none yet, before any worker
asks for it) and `search` (the search page's segmenter: jieba's dictionary, also a mapped
table, with the site's own terms). Loaded here they are shared; with SERVE_PRELOAD=none each worker loads them on
its first page that needs them, so a worker that never serves one never holds it (a smaller
RSS for such a worker, a larger PSS for every worker that does: bench/memory.py).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os

__all__ = ["preload", "refresh_statistics", "OPTIONAL", "one_malloc_arena", "on_glibc"]

log = logging.getLogger("xinwen.serve")

PUBLIC_TEMPLATES = ("base.html", "news/article.html", "news/category.html", "news/home.html", "404.html")
OPTIONAL = ("pinyin", "search")
M_ARENA_MAX = -8  # glibc's malloc.h


def on_glibc() -> bool:
    """Whether the C library this interpreter runs on is glibc (musl and others have no M_ARENA_MAX)."""
    try:
        return "glibc" in (os.confstr("CS_GNU_LIBC_VERSION") or "")
    except (AttributeError, ValueError, OSError):  # no confstr, or no such name on this platform
        return False


def one_malloc_arena() -> bool:
    """Make every thread of this process (and of the processes it forks) allocate from one malloc arena.

    Returns False where the C library is not glibc: nothing changes there.
    """
    if not on_glibc():
        return False
    try:
        return bool(ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1))  # CDLL(None): the C library the interpreter runs on
    except (OSError, AttributeError):
        return False


def _pinyin() -> None:
    from xinwen.hanzi.pinyin import ruby_html

    ruby_html("<p>银行行长在重庆</p>")


def _search() -> None:
    from django.db import DatabaseError

    from xinwen.search.dictionary import current_segmenter

    # The segmenter with the site's terms: it maps jieba's dictionary table (built here if
    # this jieba has none yet) and adds the terms, so every worker searches with this one
    # until the site's terms change. rjieba is not loaded: a worker never needs it to search.
    try:
        current_segmenter().tokens("网站数字化转型")
    except DatabaseError as exc:  # a site not migrated yet: each worker builds it on its first search
        log.warning("search dictionary not preloaded: %s", exc)


def refresh_statistics() -> bool:
    """Refresh the article table's planner statistics when they describe a table of another size (news/statistics.py).

    True when they were refreshed. A site not migrated yet is left alone (its first migrate takes them).
    """
    from django.db import DatabaseError

    from xinwen.news.statistics import article_statistics_refresh, article_statistics_stale

    try:
        if not article_statistics_stale():
            return False
    except DatabaseError as exc:
        log.warning("planner statistics not checked: %s", exc)
        return False
    log.info("the article table's planner statistics describe a table of another size: refreshing them")
    return article_statistics_refresh()


def preload(optional: tuple[str, ...] = ()) -> None:
    """Import the site and load the shared data in this (the parent) process; then freeze it."""
    import xinwen.wsgi  # noqa: F401  every app, the middleware stack, the page cache
    from django.core.cache import caches
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver

    from xinwen.hanzi.convert import convert, detect_script, opencc_backend
    from xinwen.hanzi.variants import VARIANTS

    get_resolver().url_patterns  # noqa: B018  the URLconf, imported and compiled
    for name in PUBLIC_TEMPLATES:
        get_template(name)  # the cached loader keeps the parsed template in the parent
    for code in VARIANTS:  # every OpenCC configuration a page can ask for, from either script
        convert("发展网站", code, source="zh-hans")
        convert("發展網站", code, source="zh-hant")
    detect_script("網站")
    refresh_statistics()  # before any worker plans a query with them
    loaders = {"pinyin": _pinyin, "search": _search}
    for name in optional:
        loaders[name]()
    # Nothing opened here may be shared by the forked workers: each opens its own.
    connections.close_all()
    caches.close_all()
    gc.collect()
    gc.freeze()
    one_malloc_arena()
    loaded = "".join(f", {name}" for name in optional)
    log.info("preloaded before forking: site, templates, OpenCC (%s)%s", opencc_backend(), loaded)
