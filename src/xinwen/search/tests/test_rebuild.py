"""`xinwen reindex`: batches written on a thread of their own while the next is built, the same index as one after the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from django.db import DatabaseError, connection, transaction

from xinwen.conftest import make_article
from xinwen.search import services
from xinwen.search.backends import get_backend
from xinwen.search.models import SearchDocument
from xinwen.search.query import Form, Term
from xinwen.search.services import search_rebuild

# Seven articles, each with a word of its own.
WORDS = ["氢能", "光伏", "储能", "风电", "核电", "地热", "潮汐"]


@pytest.fixture
def seven(tree):
    return [
        make_article(category=tree["company"], title=f"{word}项目第{n}期", days_ago=n + 1, body=f"<p>集团{word}项目进展顺利。</p>")
        for n, word in enumerate(WORDS)
    ]


@pytest.fixture
def writers(monkeypatch):
    """The name of the thread each batch was written on."""
    names = []
    real = services._write_batch

    def recorded(backend, documents):
        names.append(threading.current_thread().name)
        return real(backend, documents)

    monkeypatch.setattr(services, "_write_batch", recorded)
    return names


def _rows() -> list[tuple]:
    columns = [f.column for f in SearchDocument._meta.concrete_fields if f.name != "indexed_at"]
    if connection.vendor == "postgresql":
        columns += ["vec::text", "grams::text"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM search_document ORDER BY article_id")
        return cursor.fetchall()


def _found(word: str) -> int:
    keys = get_backend().candidates((Form((Term(tuple(word), is_word=True),)),), low=-(2**62), high=2**62, limit=10)
    return len(keys)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_reports_each_batch_once_written_and_indexes_what_one_pass_would(seven, writers):
    progress = []

    result = search_rebuild(batch_size=2, progress=lambda done, total: progress.append((done, total)))

    assert result.indexed == 7
    assert progress == [(0, 7), (2, 7), (4, 7), (6, 7), (7, 7)]
    assert all(_found(word) == 1 for word in WORDS)
    # A file database (PostgreSQL here; SQLite in the test below) writes on the rebuild's own
    # thread; the tests' in-memory SQLite cannot be shared by a second connection.
    threaded = connection.vendor != "sqlite"
    assert len(writers) == 4 and all(name.startswith("xinwen-reindex") == threaded for name in writers), writers
    overlapped = _rows()

    writers.clear()
    with transaction.atomic():  # inside a transaction: every batch in the caller's thread
        search_rebuild(batch_size=2)
    assert writers == [threading.current_thread().name] * 4
    assert _rows() == overlapped


@pytest.mark.django_db(transaction=True)
def test_a_failing_write_stops_the_rebuild_with_its_error_and_keeps_the_batches_written(seven, monkeypatch):
    real = services._write_batch
    calls = []

    def failing(backend, documents):
        calls.append(len(documents))
        if len(calls) == 2:
            raise DatabaseError("disk full")
        return real(backend, documents)

    monkeypatch.setattr(services, "_write_batch", failing)
    with pytest.raises(DatabaseError, match="disk full"):
        search_rebuild(batch_size=3)

    assert calls == [3, 3]  # nothing written after the failure
    assert SearchDocument.objects.count() == 3  # the first batch committed, as before
    if connection.vendor == "postgresql":  # the writer thread's connection was closed
        with connection.cursor() as cursor:
            # Client connections only: autovacuum's workers show up here too while they analyze.
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )
            assert cursor.fetchone() == (0,)


SCRIPT = """
import json, threading
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from xinwen.conftest import make_article, make_category
from xinwen.search import services
from xinwen.search.models import SearchDocument
root = make_category("新闻中心", slug="news")
company = make_category("公司新闻", slug="company", parent=root)
words = {words!r}
for n, word in enumerate(words):
    make_article(category=company, title=f"{{word}}项目第{{n}}期", days_ago=n + 1, body=f"<p>集团{{word}}项目进展顺利。</p>")
SearchDocument.objects.all().delete()
names, real = [], services._write_batch
services._write_batch = lambda backend, documents: (names.append(threading.current_thread().name), real(backend, documents))
services.search_rebuild(batch_size=2)
from xinwen.search.tests.test_rebuild import _found
print(json.dumps({{"writers": names, "found": [_found(word) for word in words], "threads": threading.active_count()}}))
"""


def test_a_rebuild_on_a_sqlite_file_writes_on_its_own_thread(tmp_path):
    """As `xinwen reindex` runs on a site: a database file in WAL mode, read and written by two connections."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(VAR_DIR=str(tmp_path), DEBUG="1", DJANGO_SETTINGS_MODULE="xinwen.settings", CACHE_PREFIX=f"rebuild-{os.getpid()}")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(words=WORDS)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert len(report["writers"]) == 4 and all(name.startswith("xinwen-reindex") for name in report["writers"])
    assert report["found"] == [1] * len(WORDS)
    assert report["threads"] == 1  # the writer thread ended with the rebuild
