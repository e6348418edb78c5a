"""Attachments in a real browser: a PDF opens in Chromium's viewer, other files download under the editor's name."""

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

NOTICE_CATEGORY = "/category/notices/"


@pytest.fixture(scope="module")
def notice_with_attachment(xinwen_server) -> str:
    """The demo article of 通知公告 that carries the demo PDF."""
    with urllib.request.urlopen(f"{xinwen_server.url}{NOTICE_CATEGORY}", timeout=10) as response:
        paths = re.findall(r'<a href="(/article/\d+/)">', response.read().decode())
    for path in paths:
        with urllib.request.urlopen(f"{xinwen_server.url}{path}", timeout=10) as response:
            if 'class="attachments"' in response.read().decode():
                return path
    pytest.fail("no article under 通知公告 has an attachment", pytrace=False)


def test_the_pdf_opens_in_the_browser_under_its_title(browser, xinwen_server, notice_with_attachment, screenshots):
    context = browser.new_context(base_url=xinwen_server.url, locale="zh-CN", accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(notice_with_attachment)
        link = page.locator(".attachments a").first
        expect(link).not_to_have_attribute("download", re.compile(".*"))
        expect(page.locator(".attachments .file-meta").first).to_have_text(re.compile(r"^（PDF 文档，[\d.]+\s*(字节|KB)）$"))
        downloads = []
        page.on("download", lambda download: downloads.append(download))
        with page.expect_response(re.compile(r"/attachment/\d+/$")) as answer:
            link.click()
        response = answer.value
        assert response.status == 200
        assert response.headers["content-disposition"].startswith("inline; ")
        page.wait_for_load_state()
        assert downloads == [], "the PDF was downloaded instead of shown"
        assert re.search(r"/attachment/\d+/$", page.url)
        assert page.evaluate("document.contentType") == "application/pdf"
        page.wait_for_timeout(1000)  # the viewer draws the page after load
        page.screenshot(path=screenshots / "attachment-pdf.png")
    finally:
        context.close()
