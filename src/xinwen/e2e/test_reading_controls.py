"""【字号 大 中 小】【打印】 on article pages: the size is remembered in localStorage, never a cookie."""

from __future__ import annotations

import re
import urllib.request

import pytest

try:
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
except ImportError:  # the `browser` fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

# Counts calls instead of opening the print dialog, which would block a headless browser.
COUNT_PRINTS = "window.__prints = 0; window.print = function () { window.__prints += 1; };"


@pytest.fixture(scope="module")
def article_path(xinwen_server) -> str:
    with urllib.request.urlopen(f"{xinwen_server.url}/category/company/", timeout=10) as response:
        match = re.search(r'<a href="(/article/\d+/)">', response.read().decode())
    assert match, "公司新闻 lists no article"
    return match.group(1)


@pytest.fixture
def reader(browser, xinwen_server):
    context = browser.new_context(base_url=xinwen_server.url, locale="zh-CN")
    context.add_init_script(COUNT_PRINTS)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    try:
        yield page
    finally:
        context.close()
    assert errors == []


def _body_font_size(page) -> float:
    return page.locator(".article-body").evaluate("b => parseFloat(getComputedStyle(b).fontSize)")


def test_text_size_is_chosen_remembered_in_the_browser_and_never_in_a_cookie(reader, article_path):
    page = reader
    page.goto(article_path)
    controls = page.locator(".reading-controls")
    expect(controls).to_be_visible()
    expect(controls.get_by_role("button", name="中")).to_have_attribute("aria-pressed", "true")
    medium = _body_font_size(page)

    controls.get_by_role("button", name="大").click()
    expect(controls.get_by_role("button", name="大")).to_have_attribute("aria-pressed", "true")
    large = _body_font_size(page)
    assert large > medium

    page.goto(article_path)  # another visit: the choice is still there
    expect(page.locator(".reading-controls").get_by_role("button", name="大")).to_have_attribute("aria-pressed", "true")
    assert _body_font_size(page) == large
    assert page.evaluate("localStorage.getItem('xinwen-text-size')") == "large"
    assert page.context.cookies() == []

    page.locator(".reading-controls").get_by_role("button", name="小").click()
    assert _body_font_size(page) < medium
    page.locator(".reading-controls").get_by_role("button", name="中").click()
    assert _body_font_size(page) == medium
    assert page.evaluate("localStorage.getItem('xinwen-text-size')") is None


def test_the_print_button_prints_and_the_printout_leaves_the_controls_out(reader, article_path):
    page = reader
    page.goto(article_path)
    page.locator(".reading-controls").get_by_role("button", name="打印").click()
    assert page.evaluate("window.__prints") == 1
    page.emulate_media(media="print")
    expect(page.locator(".reading-controls")).to_be_hidden()


def test_the_controls_speak_the_readers_script(reader, article_path):
    page = reader
    page.goto(f"/zh-tw{article_path}")
    controls = page.locator(".reading-controls")
    expect(controls).to_contain_text("字號")
    expect(controls.get_by_role("button", name="列印")).to_be_visible()


def test_without_script_the_controls_are_not_shown(browser, xinwen_server, article_path):
    context = browser.new_context(base_url=xinwen_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(article_path)
        expect(page.locator(".reading-controls")).to_be_hidden()
        expect(page.locator(".article-body")).to_be_visible()
    finally:
        context.close()
