"""A news center with every kind of article, and the validators the feeds tests use."""

from __future__ import annotations

import functools
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone
from lxml import etree

from xinwen.conftest import make_article, make_category
from xinwen.hanzi import render, selectors
from xinwen.hanzi.tests.conftest import add_attachment, add_cover
from xinwen.news.models import Article

Status = Article.Status
ORIGIN = "http://testserver"
PREFIXES = {"zh-hans": "", "zh-hant": "/zh-hant", "zh-tw": "/zh-tw", "zh-hk": "/zh-hk"}
XSD = Path(__file__).parent / "xsd"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
# Articles readers must not see, and a marker in each title that must show up nowhere.
HIDDEN = ("draft", "review", "scheduled", "archived")
MARKERS = {name: f"{name}-x7q" for name in HIDDEN}


@pytest.fixture(autouse=True)
def _fresh_conversion_caches():
    render._local.clear()
    selectors._built.clear()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(settings):
    settings.SITE_NAME = "东方智联装备集团"
    settings.SITE_URL = ""
    settings.BAIDU_PUSH_TOKEN = ""


@pytest.fixture
def newsroom(tree, site):
    """Public articles (one with everything a feed can carry) and one of each kind readers must not see."""
    now = timezone.now()
    tree["events"] = make_category("公司活动", slug="events", parent=tree["company"], order=5)
    story = make_article(
        category=tree["company"],
        title="软件与鼠标的信息",
        summary="吃面条的信息：座谈会在上海举行，会议通报了上半年软件与信息服务的发展情况，并部署了下一阶段的重点工作。",
        body='<h2>会议要点</h2><p>4月24日，座谈会在沪举行。</p><p><img src="/media/images/chart.png" alt="图表"></p>'
        '<p><a href="/category/company/">更多公司新闻</a></p>',
        author="张三、李四",
        source_name="国资委网站",
        publish_at=now - timedelta(hours=6),
    )
    add_cover(story)
    add_attachment(story, "会议纪要")
    articles = {
        "story": story,
        "event": make_article(category=tree["events"], title="公司运动会举行", publish_at=now - timedelta(days=1)),
        "older": make_article(category=tree["industry"], title="行业动态回顾", publish_at=now - timedelta(days=30)),
        "draft": make_article(category=tree["company"], title=MARKERS["draft"] + " 草稿", status=Status.DRAFT),
        "review": make_article(
            category=tree["company"],
            title=MARKERS["review"] + " 待审",
            status=Status.REVIEW,
            publish_at=now - timedelta(days=1),
        ),
        "scheduled": make_article(
            category=tree["company"], title=MARKERS["scheduled"] + " 定时", publish_at=now + timedelta(hours=2)
        ),
        "archived": make_article(
            category=tree["industry"],
            title=MARKERS["archived"] + " 归档",
            status=Status.ARCHIVED,
            publish_at=now - timedelta(days=3),
        ),
    }
    return articles


def public(newsroom) -> list[Article]:
    return [newsroom[name] for name in ("story", "event", "older")]


# --- validators ------------------------------------------------------------------------


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def valid_xml(content: bytes, schema_name: str) -> etree._Element:
    """Parse and validate against a bundled XSD; fail with the validator's own messages."""
    root = etree.fromstring(content)
    checker = schema(schema_name)
    assert checker.validate(root), "\n".join(str(error) for error in checker.error_log)
    return root


# --- a stand-in for Baidu's link-submission API ---------------------------------------------


class StandIn:
    """Records every request; answers with the queued (status, json) replies, then with success."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        self.delay = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}/urls"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                parts = urlsplit(self.path)
                urls = [line for line in body.splitlines() if line]
                stand_in.requests.append(
                    {
                        "path": parts.path,
                        "query": parse_qs(parts.query),
                        "content_type": self.headers.get("Content-Type"),
                        "urls": urls,
                    }
                )
                if stand_in.delay:
                    threading.Event().wait(stand_in.delay)
                status, reply = (
                    stand_in.replies.pop(0)
                    if stand_in.replies
                    else (200, {"remain": 99999, "success": len(urls), "not_same_site": [], "not_valid": []})
                )
                payload = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def editor(db):
    """An editor (the 编辑 role) without a password: hashing one costs more than the test it serves."""
    user = get_user_model().objects.create(username="feeds-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def baidu(settings, site):
    """Baidu push switched on, pointed at a stand-in server on 127.0.0.1; no background thread."""
    with StandIn() as stand_in:
        settings.BAIDU_PUSH_TOKEN = "test-token-123"
        settings.BAIDU_PUSH_SITE = "https://news.example.org"
        settings.BAIDU_PUSH_ENDPOINT = stand_in.endpoint
        settings.BAIDU_PUSH_THREAD = False
        settings.BAIDU_PUSH_TIMEOUT = 5
        yield stand_in
