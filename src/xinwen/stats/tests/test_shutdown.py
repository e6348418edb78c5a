"""No counted view is lost when an app process dies: real `xinwen serve` workers and flushers, killed with SIGKILL."""

from __future__ import annotations

import os
import re
import secrets
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from xinwen.serving.tests.conftest import serve_process
from xinwen.stats.tests import harness

# The test database must exist; the processes reach it through `shared_database`.
pytestmark = pytest.mark.django_db

SPAWNED = re.compile(r"Spawning worker-\d+ with PID: (\d+)")
STARTED = re.compile(r"Started worker-\d+")


def _workers(log_text: str) -> list[str]:
    """PIDs of the workers spawned so far, once each of them is serving (else [])."""
    spawned = SPAWNED.findall(log_text)
    return spawned if len(STARTED.findall(log_text)) >= len(spawned) else []


def _log(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _wait_for(condition, what: str, log: Path, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; server log:\n{_log(log)}")


def _beacon(url: str, article_id: int, n: int) -> dict:
    request = urllib.request.Request(
        f"{url}/stats/view/",
        data=f"article={article_id}".encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": harness.READER_UA,
            "Accept-Language": "zh-CN",
            "X-Forwarded-For": f"192.0.2.{n}",  # PROXY_COUNT=1: a different reader each time
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        import json

        return json.loads(response.read())


@pytest.fixture
def server(shared_store_env, tmp_path):
    """Start `xinwen serve` with one worker on the shared database; yields (url, process, log)."""
    started = []

    def start():
        env = {
            **os.environ,
            **shared_store_env,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "HTTPS": "0",
            "DEBUG": "0",
            "PROXY_COUNT": "1",
            "PYTHONUNBUFFERED": "1",
        }
        log = tmp_path / "server.log"
        url, process = serve_process(env, tmp_path, log)
        started.append(process)
        _wait_for(lambda: _workers(_log(log)), "the first worker", log)
        return url, process, log

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_worker_killed_with_sigkill_loses_no_counted_view(shared_store_env, server):
    article_id = harness.call(shared_store_env, "create_article", 275)
    try:
        url, process, log = server()
        answers = [_beacon(url, article_id, n) for n in range(1, 41)]
        assert all(a["counted"] for a in answers) and answers[-1]["views"] == 275 + 40

        (worker,) = _workers(_log(log))
        os.kill(int(worker), signal.SIGKILL)  # no exit hook runs, no flush
        replacement = _wait_for(
            lambda: [pid for pid in _workers(_log(log)) if pid != worker], "a replacement worker", log
        )
        assert replacement

        answers = [_beacon(url, article_id, n) for n in range(41, 81)]
        assert all(a["counted"] for a in answers) and answers[-1]["views"] == 275 + 80

        process.send_signal(signal.SIGTERM)  # graceful: the worker flushes on its way out
        assert process.wait(timeout=30) == 0, _log(log)
        # No `flush_views` here: what the database holds now is what the workers left there.
        assert harness.call(shared_store_env, "stored_totals", article_id) == {"view_count": 275 + 80, "daily": 80}
        assert harness.call(shared_store_env, "totals", article_id)["redis_leftovers"] == 0
    finally:
        harness.call(shared_store_env, "cleanup", article_id)


@pytest.mark.parametrize("moment", ["before_commit", "after_commit"])
@pytest.mark.parametrize("shared_store_env", ["redis"], indirect=True)
def test_flusher_killed_with_sigkill_loses_and_doubles_nothing(shared_store_env, moment):
    article_id = harness.call(shared_store_env, "create_article", 275)
    try:
        exit_code = harness.call_and_expect_death(
            shared_store_env, "record_then_die_while_flushing", article_id, 0, 30, moment
        )
        assert exit_code == -signal.SIGKILL

        stored = harness.call(shared_store_env, "stored_totals", article_id)
        assert stored["view_count"] == (275 + 30 if moment == "after_commit" else 275)

        totals = harness.call(shared_store_env, "totals", article_id)  # the next flush, by another process
        assert totals == {"view_count": 275 + 30, "daily": 30, "redis_leftovers": 0}
    finally:
        harness.call(shared_store_env, "cleanup", article_id)
