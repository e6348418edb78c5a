"""The compliance footer of the demo site, as a reader sees it in each script in a real browser.

The demo fills every 站点设置 field with example values; the footer must show the 主办单位
in the reader's script and the record numbers exactly as registered, linked to their registries.
"""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
except ImportError:  # the `browser` fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.browser

ICP = "京ICP备00000000号-1（示例）"
POLICE = "京公网安备00000000000000号（示例）"

# (URL prefix, 主办单位 label and value as this script writes them)
SCRIPTS = [
    ("", "主办单位：东方智联装备集团（示例单位）"),
    ("/zh-hant", "主辦單位：東方智聯裝備集團（示例單位）"),
    ("/zh-tw", "主辦單位：東方智聯裝備集團（示例單位）"),
    ("/zh-hk", "主辦單位：東方智聯裝備集團（示例單位）"),
]


@pytest.mark.parametrize("prefix, organizer", SCRIPTS)
def test_the_footer_shows_the_organiser_and_the_record_numbers_in_every_script(browser, xinwen_server, screenshots, prefix, organizer):
    context = browser.new_context(base_url=xinwen_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{prefix}/")
        footer = page.locator("footer.site-footer")
        expect(footer).to_contain_text(organizer)
        icp = footer.get_by_role("link", name=ICP, exact=True)
        expect(icp).to_be_visible()
        expect(icp).to_have_attribute("href", "https://beian.miit.gov.cn/")
        police = footer.locator("a.police-record")
        expect(police).to_have_text(POLICE)
        expect(police).to_have_attribute("href", "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000")
        badge = police.locator("img")
        expect(badge).to_be_visible()
        assert badge.evaluate("img => img.complete && img.naturalWidth > 0"), "the 公安备案 badge did not load"
        expect(footer.get_by_role("link", name="网站地图" if not prefix else "網站地圖")).to_have_attribute(
            "href", f"{prefix}/sitemap/"
        )
        name = f"footer{prefix.replace('/', '-') or '-zh-hans'}.png"
        footer.screenshot(path=screenshots / name)
    finally:
        context.close()
