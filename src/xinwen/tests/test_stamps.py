"""Generation stamps: read once per request, and a change is seen by the next request."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from xinwen import stamps
from xinwen.conftest import make_article


@pytest.fixture
def reads(monkeypatch):
    """The stamps read from the store (files, or Redis), by name, and the number of reads (Redis round trips)."""
    counted: Counter = Counter()
    real = stamps._read_many

    def counting(names):
        counted["(reads)"] += 1
        counted.update(names)
        return real(names)

    monkeypatch.setattr(stamps, "_read_many", counting)
    return counted


@pytest.mark.parametrize("path", ["/", "/zh-tw/", "/article/{id}/", "/zh-hk/article/{id}/", "/category/company/"])
def test_a_page_reads_each_stamp_once(client, tree, reads, settings, path):
    settings.PAGE_CACHE = False
    article = make_article(category=tree["company"], title="集团召开年度工作会议")
    assert client.get(path.format(id=article.pk)).status_code == 200  # this worker now keeps them
    reads.clear()
    response = client.get(path.format(id=article.pk))
    assert response.status_code == 200
    # The tree, the settings and the glossary are asked for about twenty times by one page:
    # one read of the three, in one round trip where the stamps are in Redis.
    assert set(reads) >= {"categories", "site-settings", "glossary"}, reads
    assert max(reads.values()) == 1, reads  # "(reads)" among them: one batch


def test_a_bump_within_the_request_is_seen_by_its_next_read(db):
    with stamps.one_reading():
        before = stamps.read("probe")
        assert stamps.read("probe") == before
        stamps.bump("probe")
        after = stamps.read("probe")
        assert after is not None and after != before


def test_another_workers_bump_is_seen_by_the_next_request_not_midway(db):
    def elsewhere():
        stamps.bump("probe")  # another thread: a worker serving another request, or an editor's save

    stamps.read("probe")
    with stamps.one_reading():
        first = stamps.read("probe")
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
        assert stamps.read("probe") == first  # one consistent set of stamps for the whole page
    with stamps.one_reading():
        assert stamps.read("probe") != first


def test_outside_a_request_every_read_looks_again(db):
    first = stamps.read("probe")
    elsewhere = threading.Thread(target=stamps.bump, args=("probe",))
    elsewhere.start()
    elsewhere.join()
    assert stamps.read("probe") != first


def test_a_stamp_missing_from_the_store_is_set_on_the_batched_read(db, settings):
    stamps.kept("probe-a", lambda: 1)
    stamps.kept("probe-b", lambda: 2)
    if stamps._shared():
        from django.core.cache import cache

        cache.delete_many([stamps._KEY.format("probe-a"), stamps._KEY.format("probe-b")])
    else:
        for name in ("probe-a", "probe-b"):
            stamps._path(name).unlink()
    with stamps.one_reading():
        first = stamps.read("probe-a")
        assert first is not None and stamps.read("probe-b") is not None
    with stamps.one_reading():
        assert stamps.read("probe-a") == first
