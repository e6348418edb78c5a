"""Generation stamps: read once per request, and a change is seen by the next request."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from xinwen import stamps
from xinwen.conftest import make_article


@pytest.fixture
def reads(monkeypatch):
    """Every read that reaches the store (a file's stat, or a Redis GET), by stamp name."""
    counted: Counter = Counter()
    real = stamps._read

    def counting(name):
        counted[name] += 1
        return real(name)

    monkeypatch.setattr(stamps, "_read", counting)
    return counted


@pytest.mark.parametrize("path", ["/", "/zh-tw/", "/article/{id}/", "/zh-hk/article/{id}/", "/category/company/"])
def test_a_page_reads_each_stamp_once(client, tree, reads, settings, path):
    settings.PAGE_CACHE = False
    article = make_article(category=tree["company"], title="集团召开年度工作会议")
    response = client.get(path.format(id=article.pk))
    assert response.status_code == 200
    # The tree, the settings and the glossary are asked for about twenty times by one page.
    assert set(reads) >= {"categories", "site-settings"}, reads
    assert max(reads.values()) == 1, reads


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


def test_outside_a_request_every_read_looks_again(db, reads):
    stamps.read("probe")
    stamps.read("probe")
    assert reads["probe"] == 2
