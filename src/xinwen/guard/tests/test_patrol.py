"""The hijack guard against a running site that a test-only WSGI middleware tampers with the way real hijacks do.

The site is the real Django stack served on 127.0.0.1 (wsgiref in a thread); `Tamper`
sits in front of it and changes responses by user agent, Referer and path. Each
tampering must be reported with the right kind on the right page; the untampered site,
every page in every script as every profile, must give nothing.
"""

from __future__ import annotations

import io
import re
import threading
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.guard.patrol import PROFILES, patrol
from xinwen.guard.tests.test_matcher import seed_title
from xinwen.site import demo_content

pytestmark = pytest.mark.django_db(transaction=True)
SPAM_PATH = "/uploads/2024/zt.html"


class Tamper:
    """What a hijacked server does, per path: title for crawlers, redirect for search visitors, a link farm, a dropped page."""

    def __init__(self, app, *, crawler_title: str = "", referer_redirect: str = "", link_farm: str = "", drop_page: str = ""):
        self.app = app
        self.crawler_title, self.referer_redirect, self.link_farm, self.drop_page = crawler_title, referer_redirect, link_farm, drop_page

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        agent = environ.get("HTTP_USER_AGENT", "").lower()
        referer = environ.get("HTTP_REFERER", "")
        if self.drop_page and path == SPAM_PATH:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [f"<html><head><title>{seed_title()}</title></head><body>久久精品</body></html>".encode()]
        if path == self.referer_redirect and any(engine in referer for engine in ("baidu.com", "sogou.com", "so.com")):
            start_response("302 Found", [("Location", "https://casino.example/")])
            return [b""]
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        body = b"".join(self.app(environ, keep)).decode()
        if path == self.crawler_title and any(word in agent for word in ("spider", "bot")):
            body = re.sub(r"<title>.*?</title>", f"<title>{seed_title()}</title>", body, flags=re.S)
        if path == self.link_farm:
            farm = '<div style="display:none"><a href="https://casino.example/">百家乐</a><a href="https://bet.example/">真人娱乐</a></div>'
            body = body.replace("</body>", farm + "</body>")
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
            return list(app(environ, start_response))
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


@pytest.fixture
def site(tree):
    articles = []
    for data in demo_content.ARTICLES[:3]:
        fields = {k: data[k] for k in ("title", "subtitle", "summary", "body", "source_name", "author", "editor")}
        articles.append(make_article(category=tree["company"], **fields))
    return [reverse("news:article", args=[a.pk]) for a in articles]


def by_kind(report) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for p in report.problems:
        found.setdefault((p.url.split("/", 3)[-1], p.kind), set()).update(p.profile.split(","))
    return found


def test_the_untampered_site_gives_no_finding_in_any_script_or_profile(site):
    with serving(WSGIHandler()) as base:
        report = patrol(base_url=base)
    assert report.problems == []
    assert report.pages == 4 * (1 + 4 + 3)  # home, four sections, three articles, in four scripts
    assert len(PROFILES) == 10  # desktop, phone, four spiders, four arrivals from a search
    assert report.requests == report.pages * len(PROFILES)


def test_each_tampering_is_found_with_its_reason(site):
    crawled, redirected, farmed = site
    app = Tamper(WSGIHandler(), crawler_title=crawled, referer_redirect=redirected, link_farm=farmed, drop_page=SPAM_PATH)
    with serving(app) as base:
        report = patrol(base_url=base)
    found = by_kind(report)
    rel = lambda path: path.lstrip("/")  # noqa: E731
    # The seed page's title, shown to crawlers only: every spider sees it, no browser does.
    spiders = {"baiduspider", "googlebot", "sogou", "360spider"}
    assert found[(rel(crawled), "cloaking-title")] == spiders
    assert found[(rel(crawled), "foreign-title")] == spiders
    assert found[(rel(crawled), "spam-words")] == spiders
    # A redirect for visitors who arrive from a search engine, no one else.
    assert found[(rel(redirected), "cloaking-redirect")] == {"from-baidu", "phone-from-baidu", "from-sogou", "from-360"}
    # A hidden link farm in the body, served to everyone.
    assert found[(rel(farmed), "hidden-links")] == {"全部"}
    assert found[(rel(farmed), "injected-link")] == {"全部"}
    # A spam page the CMS never published, linked from the home page.
    assert (rel(SPAM_PATH), "unpublished-page") in found
    # Nothing else: the other pages, and the same pages in the other scripts, are clean.
    assert {page for page, _kind in found} == {rel(crawled), rel(redirected), rel(farmed), rel(SPAM_PATH)}


def test_the_command_prints_one_line_per_finding_and_exits_3(site):
    crawled, _redirected, _farmed = site
    out, err = io.StringIO(), io.StringIO()
    with serving(Tamper(WSGIHandler(), crawler_title=crawled)) as base:
        with pytest.raises(SystemExit) as exit_code:
            call_command("guard", "--base-url", base, "--profiles", "desktop", "baiduspider", "--no-browser", stdout=out, stderr=err)
    assert exit_code.value.code == 3
    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [base + crawled, "baiduspider", "cloaking-title"] == lines[0][:3] and "思思99re66" in lines[0][3]
    assert "发现" in err.getvalue()


def test_the_command_exits_0_on_a_clean_site_and_2_when_it_cannot_run(site):
    with serving(WSGIHandler()) as base:
        with pytest.raises(SystemExit) as clean:
            call_command("guard", "--base-url", base, "--profiles", "desktop", "--no-browser", stdout=io.StringIO(), stderr=io.StringIO())
    assert clean.value.code == 0
    err = io.StringIO()
    with pytest.raises(SystemExit) as not_run:
        call_command("guard", "--base-url", "http://127.0.0.1:9", "--no-browser", stdout=io.StringIO(), stderr=err)
    assert not_run.value.code == 2 and "无法访问" in err.getvalue()


def test_the_sites_own_footer_links_are_not_injected(site):
    """站点设置's 友情链接 and the ICP / public-security record links are the site's own, in every page's footer."""
    from xinwen.news import services
    from xinwen.news.models import SiteSettings

    footer = SiteSettings.load()
    footer.icp_number, footer.police_number = "京ICP备00000000号-1", "京公网安备00000000000000号"
    footer.friendly_links = "合作单位 https://www.example.org/"
    services.site_settings_save(site_settings=footer, user=None)
    with serving(WSGIHandler()) as base:
        report = patrol(base_url=base, profiles=["desktop"])
    assert report.problems == []
