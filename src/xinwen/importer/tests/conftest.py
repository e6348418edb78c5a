"""A local HTTP server for the importer's network tests (127.0.0.1 only, started and stopped by each test)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from xinwen.importer.fetch import Fetcher


class Site:
    """Pages by path: (status, content type, body bytes, seconds to wait before answering)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes, float]] = {}
        self.requests: list[str] = []
        self.base = ""

    def add(self, path: str, body: bytes | str, *, content_type: str = "text/html", status: int = 200, delay: float = 0.0):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (status, content_type, data, delay)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's hook name
            state.requests.append(self.path)
            status, content_type, body, delay = state.pages.get(self.path, (404, "text/plain", b"not found", 0.0))
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                if 300 <= status < 400:  # a redirect's body names its target
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def fetcher():
    return Fetcher(timeout=2.0, delay=0.0)
