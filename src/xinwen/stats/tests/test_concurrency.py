"""Exact counts under concurrency: 8 OS processes × 1,000 distinct views end at exactly 8,000.

The processes are spawned (each imports Django and calls django.setup() itself) and
share nothing but the database and Redis, like app processes on several hosts. The
same harness runs a deliberately naive read-modify-write counter, which must lose
counts: proof that the harness really produces the races the real counter survives.
"""

from __future__ import annotations

import secrets

import pytest

from xinwen.stats.tests.conftest import redis_test_url
from xinwen.stats.tests import harness
from xinwen.stats.tests.harness import CountingProcesses

# The test database must exist; the processes reach it through `shared_database`.
pytestmark = pytest.mark.django_db

PROCESSES = 8
VIEWS_EACH = 1000


@pytest.fixture(scope="module")
def processes(shared_database):
    group = CountingProcesses({**shared_database, "REDIS_URL": ""}, PROCESSES)
    yield group
    group.close()


@pytest.fixture(params=["database", "redis"])
def store_settings(request) -> dict:
    if request.param == "database":
        return {"REDIS_URL": ""}
    url = redis_test_url()
    if not url:
        pytest.skip("no Redis for this run: set XINWEN_TEST_REDIS_URL (or REDIS_URL) to test counting in Redis")
    return {"REDIS_URL": url, "STATS_REDIS_PREFIX": f"xinwen-test-{secrets.token_hex(4)}:stats:"}


def test_eight_processes_count_every_view_exactly(processes, store_settings):
    redis = bool(store_settings["REDIS_URL"])

    result = processes.run(
        views_each=VIEWS_EACH,
        counter="service",
        base=275,
        # With Redis, every process also flushes every 250 views, racing the counting and each other.
        flush_every=250 if redis else 0,
        settings=store_settings,
    )

    assert result.view_count == 275 + PROCESSES * VIEWS_EACH
    assert result.daily == PROCESSES * VIEWS_EACH
    assert result.redis_leftovers == 0


def test_naive_read_modify_write_counter_loses_views(processes):
    result = processes.run(views_each=VIEWS_EACH, counter="naive", settings={"REDIS_URL": ""})

    assert result.view_count < PROCESSES * VIEWS_EACH, "the harness produced no lost update: it proves nothing"


def test_the_beacon_rate_limit_holds_across_processes(shared_database):
    # Two app processes without Redis: each used to allow the whole limit (a per-process cache).
    env = {**shared_database, "REDIS_URL": "", "STATS_RATE_LIMIT": "50", "STATS_RATE_WINDOW_SECONDS": "60"}
    article_id = harness.call(env, "create_article", 0)
    when = harness.call(env, "process_now")  # one instant, so both processes count in the same window
    try:
        allowed = [harness.call(env, "beacons_from_one_network", article_id, 40, when) for _ in range(2)]
    finally:
        harness.call(env, "cleanup", article_id)

    assert allowed == [40, 10]
