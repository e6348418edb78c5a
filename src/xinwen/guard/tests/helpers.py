"""What several guard test modules share: the tampering middlewares, a test server, the seed page's title.

Fixtures live in conftest.py; these are plain functions and classes, imported by the tests
that use them (no test module imports from another).
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.db import connections

from xinwen.assets import plain_name
from xinwen.news.content_checks import _body_text

__all__ = ["SPAM_PATH", "STATIC_TAMPER", "Tamper", "ScriptTamper", "payload", "serving", "by_kind", "seed_title", "demo_fields"]

SEED = Path(__file__).resolve().parents[2] / "importer" / "fixtures" / "seed-page.html"


def seed_title() -> str:
    """The <title> of a real hijacked page (importer/fixtures/seed-page.html): spam and keyword stuffing."""
    return re.search(r"<title>(.*?)</title>", SEED.read_text(encoding="utf-8"), re.S).group(1)


def demo_fields(article: dict) -> dict[str, str]:
    """The checked fields of one demo article (demo_content.ARTICLES), the body as plain text."""
    return {
        "title": article["title"],
        "subtitle": article.get("subtitle", ""),
        "summary": article.get("summary", ""),
        "body": _body_text(article.get("body", "")),
        "source": article.get("source_name", ""),
        "author": article.get("author", ""),
    }


SPAM_PATH = "/uploads/2024/zt.html"
# What a hijacker appends to a style sheet and a script the pages already load.
STATIC_TAMPER = {
    "/static/news/site.css": b'\n.x-guard-farm{display:none}.x-guard-farm:after{content:"\\4E45\\4E45\\7CBE\\54C1"}\n',
    "/static/news/access.js": b'\n;document.title="\\u4e45\\u4e45\\u7cbe\\u54c1";\n',
}


def _read(result) -> bytes:
    """The body of an inner WSGI app's answer, closed as PEP 3333 requires of a middleware.

    Left unclosed, a static file's answer (Django's FileResponse through wsgi.file_wrapper)
    is closed when the garbage collector finds it, in whatever thread runs the collection:
    its close() sends request_finished there, and Django then closed that thread's database
    connection, inside a transaction ("the connection is closed" in an unrelated test).
    """
    try:
        return b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()


class Tamper:
    """What a hijacked server does, per path: title for crawlers, redirect for search visitors, a link farm, a dropped page."""

    def __init__(
        self, app, *, crawler_title: str = "", referer_redirect: str = "", link_farm: str = "", drop_page: str = "", static: dict[str, bytes] | None = None
    ):
        self.app = app
        self.crawler_title, self.referer_redirect, self.link_farm, self.drop_page = crawler_title, referer_redirect, link_farm, drop_page
        self.static = static or {}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        agent = environ.get("HTTP_USER_AGENT", "").lower()
        referer = environ.get("HTTP_REFERER", "")
        if plain_name(path) in self.static:
            environ.pop("HTTP_ACCEPT_ENCODING", None)  # the file as stored, not its gzip or brotli twin
        if self.drop_page and path == SPAM_PATH:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [f"<html><head><title>{seed_title()}</title></head><body>久久精品</body></html>".encode()]
        if path == self.referer_redirect and any(engine in referer for engine in ("baidu.com", "sogou.com", "so.com")):
            start_response("302 Found", [("Location", "https://casino.example/")])
            return [b""]
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        raw = _read(self.app(environ, keep))
        if plain_name(path) in self.static:  # a static file modified after publishing, served to everyone
            data = raw + self.static[plain_name(path)]
            headers = [(k, v) for k, v in captured["headers"] if k.lower() not in ("content-length", "etag", "last-modified")]
            start_response(captured["status"], headers + [("Content-Length", str(len(data)))])
            return [data]
        if path.startswith("/static/"):
            start_response(captured["status"], captured["headers"])
            return [raw]
        body = raw.decode()
        if path == self.crawler_title and any(word in agent for word in ("spider", "bot")):
            body = re.sub(r"<title>.*?</title>", f"<title>{seed_title()}</title>", body, flags=re.S)
        if path == self.link_farm:  # inside the article's body, where a write to the database would put it
            farm = '<div style="display:none"><a href="https://casino.example/">百家乐</a><a href="https://bet.example/">真人娱乐</a></div>'
            body, inside = re.subn(r'(<div class="article-body[^"]*">)', lambda m: m.group(1) + farm, body, count=1)
            assert inside == 1, "the article page has no article-body"
        if self.drop_page and path == "/":
            body = body.replace("</body>", f'<a href="{SPAM_PATH}">专题</a></body>')
        data = body.encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"] + [("Content-Length", str(len(data)))]
        start_response(captured["status"], headers)
        return [data]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Threaded(WSGIServer):
    daemon_threads = True


def _closing(app):
    """Each request thread closes its database connections: the test database can then be dropped."""

    def wrapped(environ, start_response):
        try:
            return [_read(app(environ, start_response))]
        finally:
            connections.close_all()

    return wrapped


@contextmanager
def serving(app):
    server = make_server("127.0.0.1", 0, _closing(app), server_class=_Threaded, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def by_kind(report) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for p in report.problems:
        found.setdefault((plain_name(p.url.split("/", 3)[-1]), p.kind), set()).update(p.profile.split(","))
    return found


def payload(redirect_from: str) -> str:
    title = seed_title()[:120].replace("\\", "\\\\").replace('"', '\\"')
    return f"""
;(function () {{
  if (location.pathname === "{redirect_from}") {{ location.replace("{SPAM_PATH}"); return; }}
  document.title = "{title}";
  var box = document.createElement("div");
  box.style.display = "none";
  box.innerHTML = '<a href="https://casino.example/">百家乐</a><a href="https://bet.example/">真人娱乐</a>';
  document.addEventListener("DOMContentLoaded", function () {{ document.body.appendChild(box); }});
}})();
"""


class ScriptTamper:
    """Appends `code` to the site's script-choice.js; serves a page at SPAM_PATH for the redirect to land on."""

    def __init__(self, app, code: str):
        self.app, self.code = app, code.encode()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == SPAM_PATH:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return ["<html><head><title>专题</title></head><body>久久精品</body></html>".encode()]
        if not (path.endswith(".js") and "script-choice" in path):
            return self.app(environ, start_response)
        environ.pop("HTTP_ACCEPT_ENCODING", None)  # the file as stored, not its gzip or brotli twin
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        data = _read(self.app(environ, keep)) + self.code
        headers = [(k, v) for k, v in captured["headers"] if k.lower() not in ("content-length", "etag", "last-modified")]
        start_response(captured["status"], headers + [("Content-Length", str(len(data)))])
        return [data]
