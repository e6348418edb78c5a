"""axe-core in the browser: no accessibility violations on the public pages, in every script.

axe.min.js comes with the axe-playwright-python package (no CDN at test time); it runs in
Debian's Chromium against the demo site: home, a section list, an article, a 标签 page,
a 专题 page and search results, each in 简体, 繁體, 臺灣 and 香港 forms.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PREFIXES = ["", "/zh-hant", "/zh-tw", "/zh-hk"]


def _paths(page, prefix: str) -> dict[str, str]:
    """The demo's pages of each kind, found by following the site's own links from the home page."""
    page.goto(f"{prefix}/")
    article = page.locator("main a[href*='/article/']").first.get_attribute("href")
    section = page.locator("nav.site-nav a[href*='/category/']").first.get_attribute("href")
    page.goto(article)
    tag = page.locator(".article-tags a").first.get_attribute("href")
    return {
        "home": f"{prefix}/",
        "list": section,
        "article": article,
        "tag": tag,
        "topic": f"{prefix}/topic/shu-zi-hua/",
        "search": f"{prefix}/search/?q=%E6%95%B0%E5%AD%97%E5%8C%96",
    }


@pytest.mark.parametrize("prefix", PREFIXES)
def test_axe_finds_no_violations(browser, xinwen_server, screenshots, prefix):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(base_url=xinwen_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        paths = _paths(page, prefix)
        found = {}
        for kind, path in paths.items():
            assert path and re.match(r"^/", path), (kind, path)
            response = page.goto(path)
            assert response.status == 200, (kind, path)
            results = axe.run(page)
            violations = results.response["violations"]
            if violations:
                found[f"{kind} {path}"] = [
                    (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                ]
        page.goto(paths["topic"])
        page.screenshot(path=str(screenshots / f"axe-topic{prefix.replace('/', '-') or '-zh-hans'}.png"), full_page=True)
        assert found == {}, found
    finally:
        context.close()


def test_axe_is_really_running(browser):
    """The check above can fail: on a page with an image without alt text, axe reports it."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<!doctype html><html lang="zh-CN"><title>t</title><main><img src="data:,"></main></html>')
        ids = {v["id"] for v in Axe().run(page).response["violations"]}
        assert "image-alt" in ids
    finally:
        context.close()
