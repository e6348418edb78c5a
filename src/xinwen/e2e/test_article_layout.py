"""Article text on a phone: the paragraph indent stays in paragraphs, and wide tables scroll sideways.

Checked in a real browser on a 390 px wide viewport against the demo's 招标公告 (a four-column table
and a bulleted list), with the site's own stylesheet.
"""

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

TENDER = "滨江生产基地智能产线改造项目招标公告"


@pytest.fixture(scope="module")
def tender_path(xinwen_server) -> str:
    with urllib.request.urlopen(f"{xinwen_server.url}/category/notices/", timeout=10) as response:
        html = response.read().decode()
    match = re.search(r'<a href="(/article/\d+/)">' + re.escape(TENDER) + "</a>", html)
    assert match, f"「{TENDER}」is not listed under 通知公告"
    return match.group(1)


@pytest.fixture
def phone(browser, xinwen_server):
    context = browser.new_context(
        base_url=xinwen_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844}
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_wide_table_scrolls_inside_the_text_and_the_page_does_not(phone, tender_path, screenshots):
    page = phone
    page.goto(tender_path)
    table = page.locator(".article-body table").first
    expect(table).to_be_visible()
    sizes = table.evaluate("t => ({scroll: t.scrollWidth, client: t.clientWidth, overflow: getComputedStyle(t).overflowX})")
    assert sizes["overflow"] == "auto"
    assert sizes["scroll"] > sizes["client"], f"the table was squeezed into the column instead of scrolling: {sizes}"
    page_width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert page_width[0] <= page_width[1], f"the page itself scrolls sideways: {page_width}"
    # No cell is squeezed to a character or two a line.
    narrowest = table.evaluate("t => Math.min(...[...t.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().width))")
    font = table.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")
    assert narrowest >= 4 * font
    page.screenshot(path=screenshots / "article-table-phone.png", full_page=True)


def test_the_indent_is_for_paragraphs_only(phone, tender_path):
    page = phone
    page.goto(tender_path)
    body = page.locator(".article-body")
    expect(body.locator("> p").first).to_have_css("text-indent", re.compile(r"^(?!0px)\d"))
    # What the rich-text editor stores: paragraphs inside list items, table cells and quotes.
    body.evaluate(
        """b => b.insertAdjacentHTML('beforeend',
             '<ul><li><p id="in-li">列表项</p></li></ul>' +
             '<ol><li><p id="in-ol">编号项</p></li></ol>' +
             '<table><tbody><tr><td><p id="in-td">单元格</p></td><th><p id="in-th">表头</p></th></tr></tbody></table>' +
             '<blockquote><p id="in-quote">引文</p></blockquote>')"""
    )
    for element in ("in-li", "in-ol", "in-td", "in-th", "in-quote"):
        expect(page.locator(f"#{element}")).to_have_css("text-indent", "0px")
    expect(body.locator("li").first).to_have_css("text-indent", "0px")


def test_the_article_shows_its_publish_date_and_time(phone, tender_path):
    phone.goto(tender_path)
    expect(phone.locator(".meta-time time")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
