"""浏览次数 in a real browser: opening an article counts once, reloading does not, the count updates in place.

Readers here are Chromium with an ordinary desktop user agent and navigator.webdriver
hidden, as a person's browser would be: Playwright's own headless user agent is a bot
and is not counted (which the last test checks).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from xinwen.e2e.test_browser import _log_in_as_editor, _screenshot, _visit, expect

if TYPE_CHECKING:
    from xinwen.e2e.conftest import Server

pytestmark = pytest.mark.browser

DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
PHONE = "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.49"
TABLET = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
NOT_AUTOMATED = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false});"
PRINTED_COUNT = re.compile(r'<span class="view-count">(\d+)</span>')


@contextmanager
def _reader(browser, server: Server, *, user_agent: str | None, javascript: bool = True) -> Iterator:
    """A fresh browser (no cookies, no cache) with the given user agent; fails on JavaScript errors."""
    options = {"user_agent": user_agent} if user_agent else {}
    with _visit(browser, server, java_script_enabled=javascript, **options) as page:
        if user_agent:
            page.context.add_init_script(NOT_AUTOMATED)  # runs on every navigation that follows
        yield page


def _is_beacon(response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/stats/view/")


def _open(page, url: str, *, reload: bool = False) -> tuple[int, dict]:
    """Open (or reload) the article; return the count printed in its HTML and the beacon's answer."""
    with page.expect_response(_is_beacon) as beacon:
        response = page.reload() if reload else page.goto(url)
    printed = int(PRINTED_COUNT.search(response.text()).group(1))
    answer = beacon.value
    assert answer.status == 200, answer.text()
    return printed, json.loads(answer.text())


@pytest.fixture(scope="module")
def article_url(browser, xinwen_server) -> str:
    """The last article of the home page's 热门文章 block (a demo article no other test reads)."""
    with _reader(browser, xinwen_server, user_agent=DESKTOP) as page:
        page.goto("/")
        links = page.locator("section.popular a[href^='/article/']")
        expect(links.first).to_be_visible()
        return links.last.get_attribute("href")


def test_opening_an_article_counts_once_and_the_count_updates(browser, xinwen_server, article_url, screenshots):
    with _reader(browser, xinwen_server, user_agent=DESKTOP) as page:
        printed, answer = _open(page, article_url)
        assert answer == {"views": answer["views"], "counted": True}
        assert answer["views"] >= printed + 1  # (with Redis the printed count may lag behind)
        opened = answer["views"]
        expect(page.locator(".view-count")).to_have_text(str(opened))
        _screenshot(page, screenshots, "article-view-count.png")

        # Reading it again within 30 minutes is the same reader: not counted.
        _printed, answer = _open(page, article_url, reload=True)
        assert answer == {"views": opened, "counted": False}
        expect(page.locator(".view-count")).to_have_text(str(opened))

    # Another reader counts, in a new browser.
    with _reader(browser, xinwen_server, user_agent=PHONE) as page:
        _printed, answer = _open(page, article_url)
        assert answer == {"views": opened + 1, "counted": True}
        expect(page.locator(".view-count")).to_have_text(str(opened + 1))


def test_a_page_from_a_cache_shows_the_live_count(browser, xinwen_server, article_url):
    """A stale copy (a CDN, a static build) prints an old number; the beacon's answer replaces it."""
    with _reader(browser, xinwen_server, user_agent=TABLET) as page:

        def stale(route):
            original = route.fetch()
            route.fulfill(response=original, body=PRINTED_COUNT.sub('<span class="view-count">1</span>', original.text()))

        page.route(re.compile(r"/article/\d+/$"), stale)
        with page.expect_response(_is_beacon) as beacon:
            page.goto(article_url)
        live = json.loads(beacon.value.text())

        assert live["counted"] is True and live["views"] > 1
        expect(page.locator(".view-count")).to_have_text(str(live["views"]))


def test_browser_without_fetch_counts_with_xmlhttprequest(browser, xinwen_server, article_url):
    old_browser = DESKTOP.replace("Chrome/126", "Chrome/41")
    with _reader(browser, xinwen_server, user_agent=old_browser) as page:
        page.add_init_script("delete window.fetch;")
        _printed, answer = _open(page, article_url)

        assert answer["counted"] is True
        expect(page.locator(".view-count")).to_have_text(str(answer["views"]))


def test_reader_without_javascript_is_counted_by_the_noscript_image(browser, xinwen_server, article_url):
    no_script_ua = DESKTOP.replace("Chrome/126", "Chrome/125")  # a reader of its own
    with _reader(browser, xinwen_server, user_agent=DESKTOP) as page:
        _printed, before = _open(page, article_url)  # a repeat for this reader: reads the count only

    with _reader(browser, xinwen_server, user_agent=no_script_ua, javascript=False) as page:
        with page.expect_response(lambda r: r.url.endswith(".gif")) as image:
            page.goto(article_url)
        assert image.value.status == 200 and image.value.headers["content-type"] == "image/gif"

    with _reader(browser, xinwen_server, user_agent=DESKTOP) as page:
        _printed, after = _open(page, article_url)
    assert after == {"views": before["views"] + 1, "counted": False}


def test_headless_browser_is_not_counted(browser, xinwen_server, article_url):
    with _reader(browser, xinwen_server, user_agent=None) as page:  # Playwright's own "HeadlessChrome"
        _printed, answer = _open(page, article_url)
        assert answer["counted"] is False

    with _reader(browser, xinwen_server, user_agent=DESKTOP) as page:
        _printed, again = _open(page, article_url)
    assert again["views"] == answer["views"]


def test_editor_sees_the_statistics(browser, xinwen_server, article_url, screenshots):
    with _reader(browser, xinwen_server, user_agent=DESKTOP) as page:
        _log_in_as_editor(page, xinwen_server)
        page.goto("/admin/stats/dailyviews/")
        expect(page.locator("h1")).to_have_text("浏览统计")
        expect(page.locator("svg.xw-chart")).to_have_count(2)
        for heading in ["本周", "本月", "全部时间"]:
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        _screenshot(page, screenshots, "admin-stats.png")

        page.goto("/admin/news/article/{}/change/".format(article_url.strip("/").split("/")[-1]))
        expect(page.locator(".xw-article-stats svg.xw-chart")).to_be_visible()
        _screenshot(page, screenshots, "admin-article-stats.png")

    with _reader(browser, xinwen_server, user_agent=DESKTOP) as page:
        page.goto("/")
        expect(page.locator("section.popular h2")).to_have_text("热门文章")
        page.locator("section.popular").screenshot(path=screenshots / "home-popular.png")
