"""Search in a real browser: the header box on a Taiwan-script page finds Simplified text, marked, in that script."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from xinwen.e2e.test_browser import _screenshot, _visit, expect

if TYPE_CHECKING:
    from xinwen.e2e.conftest import Server

pytestmark = pytest.mark.browser


def test_header_search_box_finds_across_scripts_and_marks_the_words(browser, xinwen_server: Server, screenshots):
    with _visit(browser, xinwen_server, locale="zh-TW", timezone_id="Asia/Taipei") as page:
        page.goto("/zh-tw/")
        box = page.locator("header .site-search input[type=search]")
        box.fill("安全生產")  # typed in Traditional; the demo article was written in Simplified
        box.press("Enter")

        page.wait_for_url("**/zh-tw/search/?q=*")
        first = page.locator("ol.search-results > li").first
        expect(first.locator("h2 a")).to_contain_text("安全生產月")  # the title, in the reader's script
        expect(first.locator("mark").first).to_have_text("安全生產")
        assert page.locator("meta[name=robots]").get_attribute("content") == "noindex"
        assert "安全" not in page.title()  # the query never goes into <title>
        _screenshot(page, screenshots, "search-zh-tw.png")

        # The result leads to the article, still in the reader's script.
        first.locator("h2 a").click()
        page.wait_for_url("**/zh-tw/article/*/")
        expect(page.locator("h1")).to_contain_text("安全生產月")
