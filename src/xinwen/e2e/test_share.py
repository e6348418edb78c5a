"""【分享】 on an article page: a QR code for WeChat drawn by the site, and 复制链接."""

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


def test_share_opens_a_qr_code_from_the_keyboard_and_copies_the_link(browser, xinwen_server, article_path, screenshots):
    context = browser.new_context(base_url=xinwen_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=xinwen_server.url)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(article_path)
        qr = page.locator(".share-qr img")
        expect(qr).to_be_hidden()
        assert not [url for url in requests if url.endswith("share-qr.svg")], "the code loads when the panel opens"
        page.locator(".share summary").focus()
        page.keyboard.press("Enter")
        expect(qr).to_be_visible()
        expect(qr).to_have_js_property("complete", True)
        assert qr.evaluate("img => img.naturalWidth") > 0, "the QR code image did not load"
        box = qr.bounding_box()
        assert box["width"] >= 120 and box["width"] == pytest.approx(box["height"])  # scannable from a screen

        page.get_by_role("button", name="复制链接").click()
        expect(page.locator(".share-status")).to_have_text("已复制链接")
        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        assert page.evaluate("navigator.clipboard.readText()") == canonical
        assert all(url.startswith(xinwen_server.url) for url in requests), "the QR code needs no outside service"
        page.screenshot(path=str(screenshots / "share-qr-phone.png"))
    finally:
        context.close()
    assert errors == []
