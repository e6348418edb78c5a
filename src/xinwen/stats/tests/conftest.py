"""Fixtures for the stats tests: each counting store, a published article, browser-shaped beacons.

Redis tests use XINWEN_TEST_REDIS_URL, else REDIS_URL; without either they are skipped
(CI sets one). Every Redis test works under its own key prefix and deletes it afterwards,
so runs sharing a Redis database do not see each other's counts.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from urllib.parse import quote

import pytest
from django.db import connection

from xinwen.conftest import make_article
from xinwen.stats import salts, selectors, services
from xinwen.stats.store_redis import RedisStore

READER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
OTHER_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
BROWSER_HEADERS = {
    "HTTP_USER_AGENT": READER_UA,
    "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
    "HTTP_SEC_FETCH_SITE": "same-origin",
    "HTTP_SEC_FETCH_MODE": "cors",
    "HTTP_SEC_FETCH_DEST": "empty",
}
FORM = "application/x-www-form-urlencoded;charset=UTF-8"


def redis_test_url() -> str:
    return os.environ.get("XINWEN_TEST_REDIS_URL") or os.environ.get("REDIS_URL", "")


def beacon(client, article_id, *, body: str | None = None, content_type: str = FORM, **headers):
    """POST a beacon the way beacon.js does; keyword arguments override the browser's headers."""
    return client.post(
        "/stats/view/",
        f"article={article_id}" if body is None else body,
        content_type=content_type,
        **{**BROWSER_HEADERS, **headers},
    )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Accounts for admin tests are made, not attacked: a cheap hasher saves seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_state(monkeypatch):
    """Per-process caches would otherwise carry one test's secrets and ranking into the next.

    (Rate-limit counters need no clearing: they are keyed by the day's secret, new in every
    test. Django's cache is not cleared as a whole: with Redis that would empty a database
    other test processes may be using.) Housekeeping, which beacons trigger now and then,
    runs only when a test calls it.
    """
    salts.forget_cached()
    services._stores.clear()
    selectors.popular_forget()
    monkeypatch.setattr(services, "_last_housekeeping", float("inf"))
    yield
    salts.forget_cached()
    services._stores.clear()
    selectors.popular_forget()


def _redis_or_skip() -> str:
    url = redis_test_url()
    if not url and os.environ.get("XINWEN_REQUIRE_REDIS") == "1":
        pytest.fail("XINWEN_REQUIRE_REDIS=1 but no Redis is configured: set XINWEN_TEST_REDIS_URL or REDIS_URL")
    if not url:
        pytest.skip("no Redis for this run: set XINWEN_TEST_REDIS_URL (or REDIS_URL) to test counting in Redis")
    return url


@pytest.fixture
def redis_store(settings) -> RedisStore:
    """Count in Redis, under a key prefix of this test's own."""
    settings.REDIS_URL = _redis_or_skip()
    settings.STATS_REDIS_PREFIX = f"xinwen-test-{secrets.token_hex(4)}:stats:"
    store = services.counting_store()
    store.client.ping()
    yield store
    store.keys_delete()


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each counting store in turn: the database (atomic UPDATE) and Redis (INCR + flush)."""
    if request.param == "redis":
        return request.getfixturevalue("redis_store")
    settings.REDIS_URL = ""
    return services.counting_store()


@pytest.fixture
def article(tree):
    """A published article with the legacy page's imported count."""
    return make_article(category=tree["company"], title="深化国资央企与上海市合作座谈会在沪举行", view_count=275)


def current_views(article) -> int:
    """The count a reader sees once buffered views are flushed."""
    services.views_flush()
    article.refresh_from_db()
    return article.view_count


# --- one real database shared by several OS processes ---------------------------------


@pytest.fixture(scope="session")
def shared_database(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, str]:
    """Environment variables that point child processes at the test database, migrated and empty.

    PostgreSQL: the test database itself (tests clean up what they commit). SQLite: its
    in-memory test database cannot be shared between processes, so it is copied to a file.
    Tests using this must be marked django_db, or pytest-django sets up no test database.
    """
    name = str(connection.settings_dict["NAME"])
    test_name = connection.creation._get_test_db_name() if connection.vendor == "sqlite" else None
    if not (name.startswith("test_") or name == test_name):
        pytest.fail(f"refusing to share {name!r}: not a test database (mark the test django_db)", pytrace=False)
    if connection.vendor == "sqlite":
        folder = tmp_path_factory.mktemp("stats-shared-db")
        with django_db_blocker.unblock():
            connection.ensure_connection()
            target = sqlite3.connect(folder / "xinwen.sqlite3")
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        return {"DATABASE_URL": "", "VAR_DIR": str(folder)}
    if connection.vendor != "postgresql":
        pytest.skip(f"multi-process tests support SQLite and PostgreSQL, not {connection.vendor}")
    params = connection.settings_dict
    auth = quote(params["USER"] or "", safe="")
    if params.get("PASSWORD"):
        auth += ":" + quote(params["PASSWORD"], safe="")
    host = params.get("HOST") or "localhost"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return {"DATABASE_URL": f"postgres://{auth}@{host}{port}/{params['NAME']}", "VAR_DIR": str(tmp_path_factory.mktemp("stats-var"))}


@pytest.fixture(params=["database", "redis"])
def shared_store_env(request, shared_database) -> dict[str, str]:
    """shared_database plus the counting store for the child processes (CACHE_PREFIX isolates Redis)."""
    env = {**shared_database, "REDIS_URL": "", "CACHE_PREFIX": f"xinwen-test-{secrets.token_hex(4)}"}
    if request.param == "redis":
        env["REDIS_URL"] = _redis_or_skip()
    return env
