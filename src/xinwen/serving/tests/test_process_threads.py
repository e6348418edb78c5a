"""Each app process starts its threads (view-count flush, guard schedule, publishing) on its first request, once."""

from __future__ import annotations

import json
import os

from xinwen.guard.worker import schedule_start
from xinwen.publishing.worker import publisher_start
from xinwen.stats.worker import worker_start


def _page(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_each_process_calls_every_start_on_its_first_request_and_never_again():
    from xinwen.wsgi import with_process_threads

    calls = []
    app = with_process_threads(_page, (lambda: calls.append(("flush", os.getpid())), lambda: calls.append(("guard", os.getpid()))))
    assert calls == []  # nothing before the first request: the server forks after loading the app
    for _ in range(3):
        assert app({}, lambda *a: None) == [b"ok"]
    assert calls == [("flush", os.getpid()), ("guard", os.getpid())]

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # a worker the server forked: its own threads, started by its own first request
        try:
            app({}, lambda *a: None)
            app({}, lambda *a: None)
            os.write(write, json.dumps(calls).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        seen = [tuple(call) for call in json.loads(pipe.read())]
    os.waitpid(child, 0)
    assert seen[2:] == [("flush", child), ("guard", child)] and len(seen) == 4
    assert len(calls) == 2  # the parent's own list is untouched and it starts nothing again


def test_the_served_application_starts_the_flusher_the_guard_and_the_publisher():
    import xinwen.wsgi

    assert set(xinwen.wsgi.starters) == {worker_start, publisher_start, schedule_start}
