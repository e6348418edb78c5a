"""长者模式 and 无障碍设置: larger text, higher contrast, wider lines, a simpler page; by keyboard; remembered without a cookie."""

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


@pytest.fixture(scope="module")
def article_path(xinwen_server) -> str:
    with urllib.request.urlopen(f"{xinwen_server.url}/category/company/", timeout=10) as response:
        match = re.search(r'<a href="(/article/\d+/)">', response.read().decode())
    assert match, "公司新闻 lists no article"
    return match.group(1)


@pytest.fixture
def reader(browser, xinwen_server):
    context = browser.new_context(base_url=xinwen_server.url, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    yield page
    assert context.cookies() == [], "the reader's choice must never become a cookie: pages stay cacheable"
    context.close()
    assert errors == []


def _style(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}")


def _px(page, selector: str, prop: str) -> float:
    return float(_style(page, selector, prop).removesuffix("px"))


def test_elder_mode_is_switched_on_by_keyboard_and_remembered_on_the_next_page(reader, article_path, screenshots):
    page = reader
    page.goto(article_path)
    body_size = _px(page, ".article-body", "fontSize")
    body_lines = _px(page, ".article-body", "lineHeight")
    elder = page.get_by_role("button", name="长者模式")
    expect(elder).to_have_attribute("aria-pressed", "false")

    elder.focus()
    page.keyboard.press("Enter")
    expect(elder).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.dataset.access") == "large contrast spacing simple"
    assert _px(page, ".article-body", "fontSize") >= body_size * 1.15
    assert _px(page, ".article-body", "lineHeight") > body_lines * 1.2
    assert _style(page, "body", "color") == "rgb(0, 0, 0)"
    expect(page.locator(".related")).to_be_hidden()
    page.screenshot(path=str(screenshots / "elder-mode-article.png"))

    page.goto("/")  # another page: already applied by the script in <head>
    assert page.evaluate("document.documentElement.dataset.access") == "large contrast spacing simple"
    expect(page.locator(".carousel")).to_be_hidden()
    columns = page.locator(".home-grid > .block").evaluate_all("bs => new Set(bs.filter(b => b.offsetParent).map(b => Math.round(b.getBoundingClientRect().left))).size")
    assert columns == 1, "simplified layout is one column"
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="长者模式").click()
    assert page.evaluate("document.documentElement.dataset.access") is None
    assert page.evaluate("localStorage.getItem('xinwen-access')") is None


def test_each_setting_can_be_chosen_on_its_own_and_reset(reader, article_path):
    page = reader
    page.goto(article_path)
    more = page.get_by_role("button", name="无障碍设置")
    expect(more).to_have_attribute("aria-expanded", "false")
    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="大字")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # 高对比度
    expect(page.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.dataset.access") == "contrast"
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "false")

    page.reload()
    assert page.evaluate("document.documentElement.dataset.access") == "contrast"
    page.get_by_role("button", name="无障碍设置").click()
    page.get_by_role("button", name="恢复默认").click()
    assert page.evaluate("document.documentElement.dataset.access") is None


def test_the_served_page_is_the_same_whatever_the_reader_chose(xinwen_server, article_path):
    """The choice lives in the browser: the HTML has no trace of it and carries no cookie."""
    with urllib.request.urlopen(xinwen_server.url + article_path, timeout=10) as response:
        page = response.read().decode()
        assert response.headers.get("Set-Cookie") is None
    assert 'class="access-bar" aria-label="无障碍" hidden>' in page and "data-access=" not in page
