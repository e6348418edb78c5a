"""Every public page in the four scripts, as a reader (and a search engine) receives it."""

from __future__ import annotations

import re

import pytest

from xinwen.conftest import make_article
from xinwen.hanzi.tests.conftest import (
    PARENTHESISED_PINYIN,
    PREFIXES,
    TONE_MARKS,
    VARIANT_IDS,
    VARIANTS,
    alternate_links,
    article_body,
    canonical,
    element,
    h1,
    html_of,
    internal_links,
    switcher,
    text,
)

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
PAGES = ["home", "category", "article", "not-found"]


def path_of(page: str, story) -> str:
    return {
        "home": "/",
        "category": "/category/company/",
        "article": f"/article/{story.pk}/",
        "not-found": "/no-such-page/",
    }[page]


# --- the frame of every page: lang, alternates, switcher, links ---------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("prefix, lang", VARIANTS)
def test_page_frame_in_every_variant(client, story, page, prefix, lang):
    path = path_of(page, story)

    response = client.get(prefix + path)

    assert response.status_code == (404 if page == "not-found" else 200)
    assert response["Content-Language"] == lang
    html = html_of(response)
    assert html.startswith("<!DOCTYPE html>\n")
    assert f'<html lang="{lang}">' in html
    assert f'<body data-variant="{lang.lower()}">' in html
    # The switcher leads to the same page in each script and marks the current one.
    assert switcher(html) == [(code, PREFIXES[code] + path, code == lang) for code in PREFIXES]
    if page == "not-found":
        # A noindex page has no alternates to announce.
        assert alternate_links(html) == {}
    else:
        assert alternate_links(html) == {
            **{code: ORIGIN + PREFIXES[code] + path for code in PREFIXES},
            "x-default": ORIGIN + path,
        }
    links = internal_links(html)
    assert links, "the page has no internal links to check"
    if prefix:
        assert [href for href in links if not href.startswith(prefix + "/")] == []
    else:
        assert [href for href in links if href.startswith(("/zh-hant/", "/zh-tw/", "/zh-hk/"))] == []
    # Pinyin exists only as <ruby> markup in ruby mode, never in the text of a page.
    assert not TONE_MARKS.search(html)
    assert not PARENTHESISED_PINYIN.search(html)


@pytest.mark.parametrize("page", ["category", "article"])
@pytest.mark.parametrize("prefix, lang", VARIANTS)
def test_canonical_link_is_the_page_in_its_own_variant(client, story, page, prefix, lang):
    path = path_of(page, story)

    assert canonical(html_of(client.get(prefix + path))) == ORIGIN + prefix + path


@pytest.mark.parametrize("prefix, lang", VARIANTS)
def test_home_page_has_a_canonical_link(client, story, prefix, lang):
    assert canonical(html_of(client.get(prefix + "/"))) == ORIGIN + prefix + "/"


def test_alternates_use_the_public_origin_of_the_canonical_link(client, story, settings):
    settings.SITE_URL = "https://news.example.org"

    html = html_of(client.get(f"/zh-tw/article/{story.pk}/"))

    assert canonical(html) == f"https://news.example.org/zh-tw/article/{story.pk}/"
    assert alternate_links(html)["zh-TW"] == canonical(html)
    assert alternate_links(html)["x-default"] == f"https://news.example.org/article/{story.pk}/"


def test_alternates_keep_the_page_number_and_drop_other_parameters(client, story):
    for _ in range(20):
        make_article(category=story.category)

    listing = html_of(client.get("/zh-hk/category/company/?page=2&utm_source=x"))
    ruby = html_of(client.get(f"/zh-hk/article/{story.pk}/?ruby=1"))

    assert alternate_links(listing)["zh-Hant"] == ORIGIN + "/zh-hant/category/company/?page=2"
    assert ("zh-TW", "/zh-tw/category/company/?page=2", False) in switcher(listing)
    assert alternate_links(ruby)["zh-TW"] == f"{ORIGIN}/zh-tw/article/{story.pk}/"


# --- the text in the reader's script ------------------------------------------------------


# prefix, title, body text, attachment, category name, meta description
TEXTS = [
    ("", "软件与鼠标的信息", "吃面条，去银行。", "会议纪要", "公司新闻", "吃面条的信息"),
    ("/zh-hant", "軟件與鼠標的信息", "吃麵條，去銀行。", "會議紀要", "公司新聞", "吃麵條的信息"),
    ("/zh-tw", "軟體與滑鼠的資訊", "吃麵條，去銀行。", "會議紀要", "公司新聞", "吃麵條的資訊"),
    ("/zh-hk", "軟件與鼠標的信息", "吃麪條，去銀行。", "會議紀要", "公司新聞", "吃麪條的信息"),
]


@pytest.mark.parametrize("prefix, title, body, attachment, category, description", TEXTS, ids=VARIANT_IDS)
def test_article_text_is_converted_for_the_variant(client, story, prefix, title, body, attachment, category, description):
    html = html_of(client.get(f"{prefix}/article/{story.pk}/"))

    assert h1(html) == title
    site = "东方智联装备集团" if not prefix else "東方智聯裝備集團"
    assert f"<title>{title} - {site}</title>" in html
    assert f'<meta name="description" content="{description}">' in html
    assert text(article_body(html)).startswith(body)
    assert f'/">{attachment}</a>' in html  # the attachment link (a PDF: no download attribute)
    breadcrumb = text(element(html, r'<nav class="breadcrumb.*?</nav>'))
    assert breadcrumb.endswith(category)
    nav = text(element(html, r'<nav class="site-nav".*?</nav>'))
    assert category in nav
    # s2tw, not s2t: today's 吃 and 麵, never the archaic 喫 and 麪 outside Hong Kong.
    assert "喫" not in html
    if prefix in ("/zh-hant", "/zh-tw"):
        assert "麪" not in html


@pytest.mark.parametrize("prefix, title", [(prefix, title) for prefix, title, *_ in TEXTS], ids=VARIANT_IDS)
def test_lists_show_converted_titles(client, story, prefix, title):
    home = html_of(client.get(prefix + "/"))
    listing = html_of(client.get(prefix + "/category/company/"))

    link = f'<a href="{prefix}/article/{story.pk}/">{title}</a>'
    assert link in home
    assert link in listing


UI_STRINGS = [
    ("", ["当前位置", "浏览次数", "来源", "发布时间", "首页"], ["當前位置", "瀏覽次數", "來源"]),
    ("/zh-hant", ["當前位置", "瀏覽次數", "來源", "發布時間", "首頁"], ["当前位置", "浏览次数", "来源"]),
    ("/zh-tw", ["當前位置", "瀏覽次數", "來源", "發布時間", "首頁"], ["当前位置", "浏览次数", "来源"]),
    ("/zh-hk", ["當前位置", "瀏覽次數", "來源", "發布時間", "首頁"], ["当前位置", "浏览次数", "来源"]),
]


@pytest.mark.parametrize("prefix, present, absent", UI_STRINGS, ids=VARIANT_IDS)
def test_interface_strings_come_from_the_variant_catalogue(client, story, prefix, present, absent):
    html = html_of(client.get(f"{prefix}/article/{story.pk}/"))

    for word in present:
        assert word in html
    for word in absent:
        assert word not in html
    meta = text(element(html, r'<p class="meta">.*?</p>'))
    assert "275" in meta


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-tw", "/zh-hk"], ids=VARIANT_IDS)
def test_not_found_page_speaks_the_variant(client, story, prefix):
    html = html_of(client.get(prefix + "/no-such-page/"))

    expected = "页面不存在" if not prefix else "頁面不存在"
    assert h1(html) == expected
    assert f'<a href="{prefix}/">' in html


# prefix, title, body
TRADITIONAL_SOURCE = [
    ("", "软件与鼠标的信息", "本公司的软件透过网络提供信息服务。"),
    ("/zh-hant", "軟體與滑鼠的資訊", "本公司的軟體透過網路提供資訊服務。"),
    ("/zh-tw", "軟體與滑鼠的資訊", "本公司的軟體透過網路提供資訊服務。"),
]


@pytest.mark.parametrize("prefix, title, body", TRADITIONAL_SOURCE, ids=["zh-hans", "zh-hant", "zh-tw"])
def test_article_written_in_traditional_is_its_own_source(client, traditional_story, prefix, title, body):
    assert traditional_story.source_script == "zh-hant"

    html = html_of(client.get(f"{prefix}/article/{traditional_story.pk}/"))

    assert h1(html) == title
    assert text(article_body(html)) == body


# --- what is not served per script ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/zh-tw/admin/",
        "/zh-hant/admin/login/",
        "/zh-tw/sitemap.xml",
        "/zh-hk/sitemap-articles.xml",
        "/zh-tw/static/news/site.css",
        "/zh-tw/zh-hk/",  # one prefix, not a stack of them
        "/zh-TW/",
    ],
)
def test_back_office_sitemaps_and_static_files_exist_once(client, story, url):
    assert client.get(url).status_code == 404


def test_uploads_are_served_without_a_prefix_only(client, story):
    url = story.attachments.get().file.url

    assert client.get(url).status_code == 200
    assert client.get("/zh-tw" + url).status_code == 404


def test_unprefixed_back_office_and_sitemap_still_work(client, story):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.parametrize("url, location", [("/zh-tw", "/zh-tw/"), ("/zh-hk?page=2", "/zh-hk/?page=2")])
def test_bare_prefix_redirects_to_the_variant_home(client, db, url, location):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == location


def test_links_of_one_request_do_not_leak_into_the_next(client, story):
    client.get(f"/zh-tw/article/{story.pk}/")
    client.get("/zh-hk/")

    html = html_of(client.get(f"/article/{story.pk}/"))

    assert canonical(html) == f"{ORIGIN}/article/{story.pk}/"
    assert '<a class="site-name" href="/">' in html


# --- cacheable: the body depends on the URL alone ----------------------------------------

COOKIES = {
    "csrftoken": "a" * 32,
    "sessionid": "0123456789abcdefghijklmnopqrstuv",  # well-formed, but no such session
    "xinwen-script": "zh-hant",  # a script choice must never come from a cookie
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("prefix", ["", "/zh-tw"], ids=["zh-hans", "zh-tw"])
def test_page_does_not_depend_on_cookies(client, story, page, prefix):
    url = prefix + path_of(page, story)

    plain = client.get(url)
    for name, value in COOKIES.items():
        client.cookies[name] = value
    with_cookies = client.get(url)

    assert with_cookies.content == plain.content
    for response in (plain, with_cookies):
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


def test_missing_article_varies_on_cookie_because_staff_may_preview(client, story):
    # Truthful, not a leak: an editor's session turns this 404 into a preview.
    response = client.get("/zh-tw/article/999999/")

    assert response.status_code == 404
    assert "Cookie" in response["Vary"]


# --- pinyin reading aid ---------------------------------------------------------------------

RUBY = [
    ("", "<ruby>银<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby>"),
    ("/zh-hant", "<ruby>銀<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby>"),
    ("/zh-tw", "<ruby>銀<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby>"),
    ("/zh-hk", "<ruby>銀<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby>"),
]


@pytest.mark.parametrize("prefix, markup", RUBY, ids=VARIANT_IDS)
def test_ruby_mode_shows_phrase_readings(client, story, prefix, markup):
    response = client.get(f"{prefix}/article/{story.pk}/?ruby=1")

    assert response.status_code == 200
    html = html_of(response)
    assert markup in article_body(html)
    # A separate reading view: never indexed, canonical is the plain page.
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    assert canonical(html) == f"{ORIGIN}{prefix}/article/{story.pk}/"
    assert f'<a href="{prefix}/article/{story.pk}/" class="ruby-toggle">' in html


def test_traditional_pages_read_traditional_characters_by_phrase(client, tree, site):
    article = make_article(category=tree["company"], body="<p>重庆的音乐，长度。</p>")

    body = article_body(html_of(client.get(f"/zh-tw/article/{article.pk}/?ruby=1")))

    readings = dict(re.findall(r"<ruby>(.)<rt>([^<]+)</rt></ruby>", body))
    # Read as written, 重慶 would be zhòng, 樂 lè and 長 zhǎng.
    assert (readings["重"], readings["樂"], readings["長"]) == ("chóng", "yuè", "cháng")


@pytest.mark.parametrize("prefix, markup", RUBY, ids=VARIANT_IDS)
def test_plain_page_has_no_ruby_and_is_indexable(client, story, prefix, markup):
    response = client.get(f"{prefix}/article/{story.pk}/")

    html = html_of(response)
    assert "<ruby" not in html and "<rt>" not in html
    assert not response.has_header("X-Robots-Tag")
    assert 'name="robots"' not in html
    assert '<a href="?ruby=1" class="ruby-toggle" rel="nofollow">' in html


@pytest.mark.parametrize("prefix, markup", RUBY, ids=VARIANT_IDS)
def test_ruby_adds_readings_and_nothing_else(client, story, prefix, markup):
    plain = article_body(html_of(client.get(f"{prefix}/article/{story.pk}/")))
    ruby = article_body(html_of(client.get(f"{prefix}/article/{story.pk}/?ruby=1")))

    assert text(re.sub(r"<rt>.*?</rt>", "", ruby)) == text(plain)
