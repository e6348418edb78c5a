"""Script variants and the pinyin reading aid, as a reader meets them in a real browser.

Every public page exists as / (zh-Hans), /zh-hant/, /zh-tw/ and /zh-hk/. The switcher in
the header links between them; the choice lives in localStorage only, and script-choice.js
sends a reader who arrives from outside the site to their script. Screenshots of each
variant and of ruby mode go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

try:
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
except ImportError:  # the `browser` fixture skips (or fails in CI) with the reason
    expect = None

if TYPE_CHECKING:
    from xinwen.e2e.conftest import Server

pytestmark = pytest.mark.browser

SEED_TITLE = "深化国资央企与上海市合作 推动制造业发展座谈会在沪举行"
SEED_TITLE_TRADITIONAL = "深化國資央企與上海市合作 推動製造業發展座談會在滬舉行"
SCRIPT_KEY = "xinwen-script"  # script-choice.js's localStorage key

# (switcher label, URL prefix, <html lang>): the three Traditional variants, in switcher order.
TRADITIONAL_VARIANTS = [
    ("繁體", "zh-hant", "zh-Hant"),
    ("臺灣正體", "zh-tw", "zh-TW"),
    ("香港繁體", "zh-hk", "zh-HK"),
]

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
SYLLABLE = f"[a-z{TONE_MARKS}ü]+"
# Pinyin leaked into page text, as in 當(dāng).
PARENTHESISED_PINYIN = re.compile(rf"[\u4e00-\u9fff]\({SYLLABLE}\)")
# What a copy of <ruby>字<rt>zì</rt></ruby> yields when the reading is selectable: 字zì (or 字(zì)).
LEAKED_PINYIN = re.compile(rf"[\u4e00-\u9fff]\(?{SYLLABLE}")
TONE_MARKED = re.compile(f"[{TONE_MARKS}]")
READING = re.compile(rf"^{SYLLABLE}$")


def _screenshot(page, folder: Path, name: str) -> None:
    path = folder / name
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")


def _fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """GET without any browser state: status, headers and body as the server sent them."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


@pytest.fixture(scope="module")
def seed_path(xinwen_server: Server) -> str:
    """The seed article's Simplified path, as 新闻中心 lists it (it is from 2023, so not on page 1)."""
    link = re.compile(r'<a href="(/article/\d+/)">' + re.escape(SEED_TITLE) + "</a>")
    for number in range(1, 11):
        _, _, html = _fetch(f"{xinwen_server.url}/category/news/?page={number}")
        if match := link.search(html):
            return match.group(1)
    pytest.fail(f"「{SEED_TITLE}」is not listed on the first 10 pages of /category/news/", pytrace=False)


@pytest.fixture(scope="module")
def other_path(xinwen_server: Server, seed_path: str) -> str:
    """The Simplified path of the newest article other than the seed."""
    _, _, html = _fetch(f"{xinwen_server.url}/category/news/")
    paths = [path for path in re.findall(r'<a href="(/article/\d+/)">', html) if path != seed_path]
    assert paths, "新闻中心 lists no article besides the seed"
    return paths[0]


@pytest.fixture
def reader(browser, xinwen_server: Server) -> Iterator:
    """A page in a fresh browser context (no cookies, empty localStorage); fails on any JavaScript error."""
    context = browser.new_context(
        base_url=xinwen_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(f"{error.page.url if error.page else '?'}: {error.error}"))
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def _assert_no_leaked_pinyin(page) -> None:
    text = page.evaluate("document.title + '\\n' + document.body.innerText")
    leaks = PARENTHESISED_PINYIN.findall(text)
    assert not leaks, f"{page.url} shows pinyin in the text: {leaks[:10]}"


def _switch_to(page, label: str) -> None:
    page.locator("nav.script-switcher").get_by_role("link", name=label, exact=True).click()


def test_switcher_shows_the_seed_article_in_each_script(reader, xinwen_server, seed_path, screenshots):
    page = reader
    page.goto(seed_path)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text(SEED_TITLE)
    expect(page.locator("nav.breadcrumb")).to_contain_text("当前位置")
    expect(page.locator(".article .meta")).to_contain_text("浏览次数")
    _assert_no_leaked_pinyin(page)
    _screenshot(page, screenshots, "article-zh-hans.png")

    for label, prefix, lang in TRADITIONAL_VARIANTS:
        _switch_to(page, label)
        expect(page).to_have_url(f"{xinwen_server.url}/{prefix}{seed_path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("h1")).to_have_text(SEED_TITLE_TRADITIONAL)
        assert SEED_TITLE_TRADITIONAL in page.title()
        breadcrumb = page.locator("nav.breadcrumb")
        expect(breadcrumb).to_contain_text("當前位置")
        expect(breadcrumb).not_to_contain_text("当前位置")
        expect(page.locator(".article .meta")).to_contain_text(re.compile(r"瀏覽次數[:：]\s*\d+"))
        current = page.locator(f"nav.script-switcher a[data-variant='{prefix}']")
        expect(current).to_have_attribute("aria-current", "true")
        # Links on the page stay in the script the reader chose.
        expect(breadcrumb.get_by_role("link").first).to_have_attribute("href", f"/{prefix}/")
        _assert_no_leaked_pinyin(page)
        _screenshot(page, screenshots, f"article-{prefix}.png")

    _switch_to(page, "简体")
    expect(page).to_have_url(f"{xinwen_server.url}{seed_path}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text(SEED_TITLE)
    expect(page.locator("nav.breadcrumb")).to_contain_text("当前位置")
    expect(page.locator(".article .meta")).to_contain_text("浏览次数")
    _assert_no_leaked_pinyin(page)


def test_script_choice_is_remembered_in_the_browser_not_on_the_server(reader, xinwen_server, seed_path, other_path):
    page, context = reader, reader.context
    page.goto(seed_path)
    _switch_to(page, "臺灣正體")
    expect(page).to_have_url(f"{xinwen_server.url}/zh-tw{seed_path}")
    assert page.evaluate(f"localStorage.getItem('{SCRIPT_KEY}')") == "zh-tw"

    # Arriving from outside (a bookmark, another site): sent to the Taiwan page of that article.
    arrival = context.new_page()
    arrival.goto(other_path)
    expect(arrival).to_have_url(f"{xinwen_server.url}/zh-tw{other_path}")
    expect(arrival.locator("html")).to_have_attribute("lang", "zh-TW")
    arrival.close()

    # Following a link from this site to a Simplified page is on purpose: no redirect.
    on_purpose = context.new_page()
    on_purpose.goto(other_path, referer=f"{xinwen_server.url}{seed_path}")
    on_purpose.wait_for_load_state("networkidle")
    assert on_purpose.url == f"{xinwen_server.url}{other_path}"
    expect(on_purpose.locator("html")).to_have_attribute("lang", "zh-Hans")
    on_purpose.close()

    cookies = context.cookies()
    naming_script = [
        cookie
        for cookie in cookies
        if re.search(r"script|variant|lang|zh-", f"{cookie['name']}={cookie['value']}", re.IGNORECASE)
    ]
    assert not naming_script, f"the script choice went into a cookie: {naming_script}"

    # The server never sees the choice: the body depends on the URL alone.
    url = f"{xinwen_server.url}{other_path}"
    with_state = context.request.get(url, max_redirects=0)
    assert with_state.status == 200
    status, headers, plain = _fetch(url)
    _, _, with_cookie = _fetch(url, {"Cookie": f"{SCRIPT_KEY}=zh-tw", "Accept-Language": "zh-TW"})
    assert status == 200
    assert with_state.text() == plain == with_cookie, "the Simplified page differs by client state"
    assert "set-cookie" not in {name.lower() for name in headers}
    assert "cookie" not in headers.get("Vary", "").lower()


def test_pinyin_is_shown_above_characters_and_never_copied(reader, xinwen_server, seed_path, screenshots):
    page = reader
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=xinwen_server.url)
    page.goto(seed_path)
    body = page.locator(".article-body")
    plain_text = body.inner_text()
    assert "陈吉宁代表上海市委、市政府" in plain_text
    expect(body.locator("ruby")).to_have_count(0)

    page.get_by_role("link", name="显示拼音", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?ruby=1$"))
    expect(page.get_by_role("link", name="隐藏拼音", exact=True)).to_be_visible()
    expect(body.locator("ruby rt").first).to_be_visible()
    pairs = body.evaluate(
        """body => Array.from(body.querySelectorAll('ruby'), ruby => [
            Array.from(ruby.childNodes).filter(node => node.nodeName !== 'RT').map(node => node.textContent).join(''),
            ruby.querySelector('rt')?.textContent ?? '',
        ])"""
    )
    assert len(pairs) > 100, f"only {len(pairs)} characters carry a reading"
    bad = [pair for pair in pairs if len(pair[0]) != 1 or not READING.match(pair[1])]
    assert not bad, f"<ruby> without one character and one pinyin reading: {bad[:10]}"
    assert any(TONE_MARKED.search(reading) for _, reading in pairs)
    # Readings follow the phrase: 举行 xíng (not háng), 长期 cháng (not zhǎng), 重要 zhòng.
    sequence = "".join(char for char, _ in pairs)
    for phrase, char, expected in [("举行", "行", "xíng"), ("长期", "长", "cháng"), ("重要", "重", "zhòng")]:
        index = sequence.find(phrase)
        assert index >= 0, f"{phrase} is not in the seed article any more"
        offset = index + phrase.index(char)
        assert pairs[offset] == [char, expected], f"{phrase}: {pairs[offset]}"
    _screenshot(page, screenshots, "article-ruby.png")

    # Select the whole body, as a reader dragging over it would, and copy with the keyboard.
    selected = body.evaluate(
        """body => {
            const range = document.createRange();
            range.selectNodeContents(body);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return selection.toString();
        }"""
    )
    page.keyboard.press("Control+C")
    copied = page.evaluate("navigator.clipboard.readText()")
    copied_html = page.evaluate(
        """async () => {
            for (const item of await navigator.clipboard.read()) {
                if (item.types.includes('text/html')) return await (await item.getType('text/html')).text();
            }
            return '';
        }"""
    )

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text)

    for name, text in [("selection.toString()", selected), ("clipboard text/plain", copied)]:
        assert "陈吉宁代表上海市委、市政府" in text, f"{name} lacks the article text: {text[:200]!r}"
        assert not TONE_MARKED.search(text), f"{name} contains pinyin: {text[:300]!r}"
        assert not LEAKED_PINYIN.search(text), f"{name} contains pinyin: {LEAKED_PINYIN.findall(text)[:10]}"
        assert squeeze(text) == squeeze(plain_text), f"{name} is not the article text: {text[:300]!r}"
    assert copied_html, "the copy put no text/html on the clipboard"
    assert "<rt" not in copied_html and not TONE_MARKED.search(copied_html), (
        f"the copied HTML carries the readings: {copied_html[:500]!r}"
    )
