"""A full build with several processes: the same bytes as one process, every page read from one snapshot."""

import threading

import pytest
from django.db import connection

from xinwen.conftest import make_article
from xinwen.publishing import build, services
from xinwen.publishing.services import site_publish, site_publish_changed

# Worker processes read what is committed: no test transaction around these tests.
pytestmark = pytest.mark.django_db(transaction=True)

SCRIPTS = ("", "zh-hant/", "zh-tw/", "zh-hk/")
LATE_TITLE = "构建期间发布的文章"


@pytest.fixture
def small_chunks(monkeypatch):
    """The demo tree is a few hundred pages: small chunks so that both processes render some."""
    monkeypatch.setattr(build, "_CHUNK", 10)


def _files(release) -> dict[str, bytes]:
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in release.rglob("*") if p.is_file()}


def _needs_workers():
    if not build.can_fork():
        pytest.skip("a parallel build needs a database other processes can read (PostgreSQL or an SQLite file)")


def test_a_parallel_build_writes_the_same_bytes_as_one_process(news, target, small_chunks):
    _needs_workers()
    serial = _files(site_publish(target=target, jobs=1).release)
    parallel = _files(site_publish(target=target, jobs=2).release)
    assert sorted(parallel) == sorted(serial)
    assert [name for name in serial if serial[name] != parallel[name]] == []
    assert len([name for name in serial if name.endswith("/index.html")]) > 4 * build._CHUNK  # many chunks, both workers


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_committed_while_a_build_runs_is_on_every_page_or_on_none(news, target, small_chunks, monkeypatch, jobs):
    _needs_workers()
    real_urls = services.public_urls
    late = {}

    def urls_then_an_editor_publishes():
        # The build has read its URL list; an editor's publish commits before any page is rendered.
        found = real_urls()

        def publish():
            try:
                late["article"] = make_article(category=news["company"], title=LATE_TITLE, days_ago=0)
            finally:
                connection.close()

        editor = threading.Thread(target=publish)
        editor.start()
        editor.join()
        return found

    monkeypatch.setattr(services, "public_urls", urls_then_an_editor_publishes)
    tree = _files(site_publish(target=target, jobs=jobs).release)
    monkeypatch.setattr(services, "public_urls", real_urls)

    own = [f"{prefix}article/{late['article'].pk}/index.html" for prefix in SCRIPTS]
    lists = ["index.html", "category/company/index.html", "category/news/index.html", "feeds/rss.xml"]
    shown = [name for name in lists if LATE_TITLE.encode() in tree[name]]
    has_page = [name for name in own if name in tree]
    # Entirely in (its pages and every list that shows it) or entirely out: never a link to a missing page.
    assert (shown, has_page) in (([], []), (lists, own))
    if connection.vendor == "postgresql":
        assert shown == []  # every worker read the snapshot the URL list came from
    # Whatever the build left out, the next incremental publish adds.
    site_publish_changed(target=target)
    assert all((target / name).is_file() for name in own)
    assert LATE_TITLE in (target / "category/company/index.html").read_text()
