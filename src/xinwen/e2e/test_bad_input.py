"""Hostile requests to a real `xinwen serve` process: raw bytes on a socket, never a 5xx, never an ERROR.

The in-process table (src/xinwen/tests/test_bad_input.py) covers every class through the
WSGI stack; these few take the real HTTP server's path too (its parsing of the request
line, headers and bodies, and granian's WSGI environ), which a crafted environ cannot.
"""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

MANY = "&".join(f"f{n}=1" for n in range(2000))

REQUESTS = [
    b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET //admin//../ HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /category/%ff%fe%00/ HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /category/\xff\xfe/ HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /search/?q=%ff%00%fe HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /no-such-page/?" + MANY.encode() + b" HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /api/v1/articles?limit=%ff&" + MANY.encode() + b" HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /?q=" + b"a" * 60_000 + b" HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET /media/" + b"a" * 300 + b".png HTTP/1.1\r\nHost: {host}\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip;q=abc, br;q=\r\nRange: bytes=abc\r\n\r\n",
    b"GET /static/news/site.css HTTP/1.1\r\nHost: {host}\r\nRange: bytes=999999999-\r\n\r\n",
    b"POST /stats/view/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n9\r\narticle=1\r\n0\r\n\r\n",
    b"POST /stats/view/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 9\r\n\r\narticle=\xff",
    b"POST /admin/login/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 26\r\n\r\nusername=\xff\xfe&password=\xc3(\xff\xff\xff\xff",
]


def _ask(url: str, raw: bytes) -> str:
    """Send one raw request on a fresh connection; return the status line (or what the server did)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(raw.replace(b"Host: {host}\r\n", b"Host: %s\r\nConnection: close\r\n" % parts.netloc.encode()))
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1") or "(connection closed without an answer)"


def test_hostile_requests_to_a_real_server_get_no_5xx_and_log_no_error(xinwen_server):
    before = len(xinwen_server.log_text())

    answers = {raw[:60]: _ask(xinwen_server.url, raw) for raw in REQUESTS}

    for request, status in answers.items():
        match = re.match(r"HTTP/1\.[01] (\d{3})", status)
        assert match is not None, (request, status)
        assert int(match.group(1)) < 500, (request, status)
    log = xinwen_server.log_text()[before:]
    assert " ERROR " not in log and "Traceback" not in log, log[-5000:]
