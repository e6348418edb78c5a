"""A phone gets a phone-sized copy of a 4000 x 3000 photo, chosen by the browser itself from the srcset."""

from __future__ import annotations

import html
import re
import urllib.parse
import urllib.request

import pytest

from xinwen.e2e.test_browser import expect

pytestmark = pytest.mark.browser

PICTURE_TITLE = "新厂区建设进展图片报道"  # xinwen.site.demo_pictures
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def picture_article(xinwen_server) -> str:
    """The demo's picture report, found the way a reader finds it: in 公司新闻's list."""
    for number in range(1, 6):
        with urllib.request.urlopen(f"{xinwen_server.url}/category/company/?page={number}", timeout=10) as response:
            page = response.read().decode()
        for href, title in re.findall(r'<a href="(/article/\d+/)">([^<]+)</a>', page):
            if html.unescape(title) == PICTURE_TITLE:
                return href
    pytest.fail(f"公司新闻 does not list {PICTURE_TITLE}")


def _phone(browser, xinwen_server, scale: int):
    return browser.new_context(
        base_url=xinwen_server.url, viewport=PHONE, device_scale_factor=scale, is_mobile=True, has_touch=True, locale="zh-CN"
    )


def _scroll_through(page) -> None:
    """Scroll to the end step by step, so every lazy picture is asked for, and wait for them."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + PHONE["height"], PHONE["height"] // 2):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(60)
    page.wait_for_load_state("networkidle")
    # Every picture the reader has scrolled past; the share panel's QR code (in a closed
    # <details>) is lazy on purpose and loads only when 分享 is opened. expect() polls in
    # Playwright's own world: a polled string would be eval, which the page's CSP refuses.
    shown = page.locator("img:not(details:not([open]) img)")
    for index in range(shown.count()):
        expect(shown.nth(index)).to_have_js_property("complete", True)


@pytest.mark.parametrize(("scale", "widest"), [(1, 640), (3, 1280)])
def test_a_390_px_phone_gets_a_small_webp_copy_and_never_the_original(browser, xinwen_server, picture_article, screenshots, scale, widest):
    context = _phone(browser, xinwen_server, scale)
    page = context.new_page()
    media: list[str] = []
    page.on("request", lambda request: "/media/" in request.url and media.append(urllib.parse.urlsplit(request.url).path))
    try:
        page.goto(picture_article)
        first = page.locator(".article-body img").first
        first.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.currentSrc", arg=first.element_handle())
        chosen = first.evaluate("img => img.currentSrc")
        match = re.search(r"\.w(\d+)\.webp$", chosen)
        assert match, f"the phone did not choose a generated WebP copy: {chosen}"
        assert int(match.group(1)) <= widest
        shown = first.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
        assert shown[0] <= widest and shown[1] <= PHONE["width"]
        # Every picture reserves its space before it arrives, so the text does not jump.
        assert page.locator(".article-body img").evaluate_all(
            "imgs => imgs.length >= 3 && imgs.every(i => i.getAttribute('width') && i.getAttribute('height'))"
        )

        _scroll_through(page)
        assert len(media) >= 3
        originals = [path for path in media if not re.search(r"\.w\d+\.(jpg|png|webp)$", path)]
        assert originals == [], "a full-size original reached the phone"
        weight = page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.includes('/media/'))"
            ".reduce((sum, e) => sum + e.encodedBodySize, 0)"
        )
        assert weight < 1_500_000, f"the pictures of the page weigh {weight} bytes on a phone"
        if scale == 3:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(screenshots / "pictures-phone-390.png"), full_page=True)
    finally:
        context.close()

