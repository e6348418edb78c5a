"""The results page and the header search box, as readers of every script variant see them."""

from __future__ import annotations

import re
from datetime import date

import pytest

from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.tests.conftest import HOSTILE_FORM, element, event_handlers
from xinwen.hanzi.tests.test_catalogues import messages
from xinwen.search import selectors
from xinwen.search.tests.conftest import search, titled

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/zh-hant", "/zh-tw", "/zh-hk"]


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response, response.content.decode()


def result_titles(html: str) -> list[str]:
    """Result titles as shown, marks removed."""
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<li>\s*<h2><a href="[^"]+">(.*?)</a></h2>', html, re.S)]


def test_results_are_noindex_and_the_query_stays_out_of_the_title(client, demo):
    response, html = page(client, "/search/", q="减速器")

    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    assert re.search(r"<title>(.*?)</title>", html).group(1) == "搜索 - 东方智联装备集团"
    assert 'rel="canonical"' not in html
    assert 'hreflang="x-default"' not in html
    assert "private" in response["Cache-Control"]
    # A description of the search page itself, never of the query (which stays out of every meta tag).
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert "站内搜索" in description and "减速器" not in description
    _response, traditional = page(client, "/zh-tw/search/", q="减速器")
    assert '<meta name="description" content="東方智聯裝備集團站內搜尋' in traditional


def test_results_mark_the_matched_words(client, demo):
    _response, html = page(client, "/search/", q="RV减速器")

    first = re.search(r"<li>\s*<h2>(.*?)</h2>\s*<p class=\"search-snippet\">(.*?)</p>", html, re.S)
    assert "<mark>RV减速器</mark>" in first.group(1)
    assert "<mark>RV减速器</mark>" in first.group(2)
    assert "找到 1 篇与“RV减速器”相关的文章。" in html


def test_results_are_in_the_readers_script(client, demo):
    """Taiwan readers see 軟體 (their word for 软件) marked, in a Taiwan-script page."""
    _response, html = page(client, "/zh-tw/search/", q="軟體")

    assert result_titles(html)[0] == "工業軟體國產化提速 研發設計類軟體加快突破"
    assert "<mark>軟體</mark>" in html
    assert 'href="/zh-tw/article/' in html
    assert "找到" in html and "篇與「軟體」相關的文章" in html


def test_a_simplified_query_on_a_traditional_page(client, demo):
    _response, html = page(client, "/zh-hant/search/", q="减速器")

    assert result_titles(html)[0] == "集團自主研發高精度RV減速器通過省級新產品鑑定"
    assert "<mark>減速器</mark>" in html


def test_snippets_show_the_part_with_the_match(client, demo):
    _response, html = page(client, "/search/", q="手指口述")

    snippet = re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>手指口述</mark>" in snippet
    assert snippet.startswith("…") or snippet.startswith("<mark>") or snippet.startswith("近日")
    assert len(re.sub(r"<[^>]+>", "", snippet)) <= 122


@pytest.mark.parametrize(
    "prefix, lang, tender",
    [("", "zh-Hans", "招标公告"), ("/zh-hant", "zh-Hant", "招標公告"), ("/zh-tw", "zh-TW", "招標公告"), ("/zh-hk", "zh-HK", "招標公告")],
)
def test_every_script_has_a_results_page(client, demo, prefix, lang, tender):
    article = titled(demo, "滨江生产基地智能产线改造项目招标公告")

    response, html = page(client, f"{prefix}/search/", q="網站 5G")

    assert response["X-Robots-Tag"] == "noindex"
    assert f'<html lang="{lang}">' in html
    assert re.findall(r'<li>\s*<h2><a href="([^"]+)"', html) == [f"{prefix}/article/{article.pk}/"]
    assert result_titles(html)[0].endswith(tender)
    assert "<mark>5G</mark>" in html


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_page_has_the_search_box(client, demo, prefix):
    article = titled(demo, "集团首个5G全连接工厂建成投用")
    for url in (f"{prefix}/", f"{prefix}/article/{article.pk}/", f"{prefix}/category/company/"):
        _response, html = page(client, url)
        form = re.search(r'<form class="site-search".*?</form>', html, re.S).group(0)

        assert f'action="{prefix}/search/"' in form
        assert 'method="get"' in form and 'name="q"' in form
        label = re.search(r'<label for="site-search-q"[^>]*>(.*?)</label>', form).group(1)
        assert label in ("搜索新闻", "搜尋新聞")
        assert 'id="site-search-q"' in form


def test_the_script_switcher_keeps_the_search(client, demo):
    _response, html = page(client, "/search/", q="储能", page="2")

    switcher = re.search(r'<nav class="script-switcher".*?</nav>', html, re.S).group(0)
    assert 'href="/zh-tw/search/?q=%E5%82%A8%E8%83%BD&amp;page=2"' in switcher


def test_pagination_ten_a_page(client, demo):
    everything = search("的")
    assert len(everything) > 20

    _response, html = page(client, "/search/", q="的", page="2")

    assert '<ol class="search-results" start="11">' in html
    shown = result_titles(html)
    by_id = {a.pk: a.title for a in demo.values()}
    assert shown == [by_id[pk] for pk in everything[10:20]]
    assert 'href="?q=%E7%9A%84&amp;page=3" rel="next"' in html
    assert 'href="?q=%E7%9A%84&amp;page=1" rel="prev"' in html


def test_past_the_last_page_shows_the_last_page(client, demo):
    _response, html = page(client, "/search/", q="的", page="999")

    assert '<span aria-current="page">4</span>' in html


def test_section_filter_includes_subsections(client, demo):
    industry = {a.pk for a in demo.values() if a.category.slug == "industry"}

    in_industry = search("储能", category=demo[next(iter(demo))].category.__class__.objects.get(slug="industry"))
    everywhere = search("储能")

    assert set(in_industry) == set(everywhere) & industry
    assert in_industry and set(in_industry) < set(everywhere)
    _response, html = page(client, "/search/", q="储能", category="news")  # the root: everything
    assert len(result_titles(html)) == len(everywhere)


def test_date_filter(client, demo):
    """Both ends are inclusive days: 2024-08-20 (the 5MWh system) is in, 2024-08-27 (half-year results) is not."""
    found = search("储能", date_from=date(2024, 8, 20), date_to=date(2024, 8, 26))

    assert found == [titled(demo, "新能源公司首套5MWh液冷储能系统下线").pk]
    assert titled(demo, "东方智联集团上半年营收同比增长11.3%").pk in search("储能", date_from=date(2024, 8, 20))
    _response, html = page(client, "/search/", q="储能", **{"from": "2024-08-20", "to": "2024-08-26"})
    assert result_titles(html) == ["新能源公司首套5MWh液冷储能系统下线"]
    assert 'value="2024-08-20"' in html and 'value="2024-08-26"' in html


def test_a_bad_filter_is_ignored_and_reported(client, demo):
    _response, html = page(client, "/search/", q="储能", category="nope", **{"from": "2024-02-30"})

    assert "所选栏目不存在" in html
    assert "无法识别的日期已忽略" in html
    assert len(result_titles(html)) == len(search("储能"))


def test_no_query_shows_the_form_and_tips(client, demo):
    _response, html = page(client, "/search/")

    assert 'id="search-q"' in html
    assert "search-results" not in html
    assert "用引号括住的词语按原样精确匹配" in html


def test_no_results_says_so(client, demo):
    _response, html = page(client, "/zh-tw/search/", q="元宵")

    assert "沒有找到與「元宵」相關的文章。" in html


def test_more_matches_than_are_ranked_says_so(client, demo, monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES", 5)

    _response, html = page(client, "/search/", q="的")

    assert "与“的”相关的文章超过 5 篇，以下是其中较新文章里最相关的结果。" in html
    # Ranked: the 5 newest matches, and older ones whose title matches (so they are not lost).
    newest = sorted(demo.values(), key=lambda a: a.publish_at, reverse=True)[:5]
    older_titles = [a.title for a in demo.values() if "的" in a.title and a not in newest]
    assert sorted(result_titles(html)) == sorted([a.title for a in newest] + older_titles)


@pytest.mark.parametrize("prefix, message", [("", "搜索过于频繁，请稍等一分钟后再试。"), ("/zh-hk", "搜尋過於頻繁，請稍等一分鐘後再試。")])
def test_searching_too_often_is_refused_politely(client, demo, settings, prefix, message):
    settings.SEARCH_RATE_LIMIT = "3/60"
    for _ in range(3):
        assert client.get(f"{prefix}/search/", {"q": "储能"}).status_code == 200

    response = client.get(f"{prefix}/search/", {"q": "储能"})

    assert response.status_code == 429
    assert message in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 60
    assert response["X-Robots-Tag"] == "noindex"
    # Other readers are not affected; the empty form costs nothing.
    assert client.get("/search/", {"q": "储能"}, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/search/").status_code == 200


def test_the_limit_is_per_client_behind_a_proxy(client, demo, settings):
    settings.SEARCH_RATE_LIMIT = "1/60"
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}

    assert client.get("/search/", {"q": "储能"}, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 200
    assert client.get("/search/", {"q": "储能"}, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    assert client.get("/search/", {"q": "储能"}, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 200
    # A client cannot pick its address by sending its own X-Forwarded-For in front.
    spoofed = "198.51.100.1, 203.0.113.5"
    assert client.get("/search/", {"q": "储能"}, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get(client, demo, method):
    assert getattr(client, method)("/search/?q=储能").status_code == 405


def test_every_search_string_is_translated():
    from pathlib import Path

    from xinwen.hanzi.tests.test_catalogues import template_messages

    used = template_messages(Path(__file__).resolve().parents[1])

    assert len(used) >= 15
    assert used - set(messages("zh_Hans")) == set()
    assert used - set(messages("zh_Hant")) == set()


@pytest.mark.parametrize("value, ok", [("30/60", True), (" 5 / 1 ", True), ("abc", False), ("0/60", False), ("30/0", False), ("30", False)])
def test_a_bad_rate_limit_is_reported_at_startup_and_never_breaks_search(client, demo, settings, value, ok):
    from xinwen.search.checks import search_configuration

    settings.SEARCH_RATE_LIMIT = value

    assert [e.id for e in search_configuration(None)] == ([] if ok else ["search.E001"])
    assert client.get("/search/", {"q": "储能"}).status_code == 200


def test_results_pages_are_valid_html5(client, demo, settings, tmp_path):
    import subprocess

    from xinwen.hanzi.tests.test_html5 import validator_command

    command = validator_command()
    settings.SEARCH_RATE_LIMIT = "1000/60"
    out = tmp_path / "pages"
    out.mkdir()
    pages = {"results": "?q=储能", "page-2": "?q=的&page=2", "filters": "?q=储能&category=nope&from=x", "empty": "", "none": "?q=元宵"}
    for prefix in PREFIXES:
        for name, query in pages.items():
            response = client.get(f"{prefix}/search/{query}")
            (out / f"{prefix.strip('/') or 'zh-hans'}-{name}.html").write_bytes(response.content)
    settings.SEARCH_RATE_LIMIT = "1/60"
    client.get("/search/?q=储能")
    limited = client.get("/search/?q=储能")
    assert limited.status_code == 429
    (out / "rate-limited.html").write_bytes(limited.content)

    result = subprocess.run([*command, "--root", str(out), "--no-langdetect"], capture_output=True, text=True, timeout=120)

    report = (result.stdout + result.stderr).strip()
    errors = [line for line in report.splitlines() if ": error:" in line or ": fatal:" in line]
    assert result.returncode == 0 or errors, report
    assert errors == [], "HTML5 errors:\n" + "\n".join(errors)


def test_a_hostile_glossary_form_reaches_snippets_as_text_only(client, demo):
    """A glossary row saved before entries were checked: titles and snippets print its characters, not its tags."""
    # 作业法 follows the match in the body: “手指口述”作业法.
    GlossaryTerm.objects.create(term="作业法", mode=GlossaryTerm.Mode.FORCE, zh_tw=HOSTILE_FORM)

    _response, html = page(client, "/zh-tw/search/", q="手指口述")

    snippet = element(html, r'<p class="search-snippet">.*?</p>')
    assert "&lt;" in snippet and "onerror" in snippet  # the form's characters, as text
    assert event_handlers(html) == []


def test_a_traditional_results_page_reads_what_was_converted_ahead(client, demo, html_conversions, text_conversions):
    """Titles, summaries and the bodies snippets are cut from come from the rows converted when the
    articles were saved (hanzi.render), as on article pages: the results page runs no OpenCC for them."""
    from django.core.cache import cache

    from xinwen.hanzi import render
    from xinwen.news import ahead
    from xinwen.news.models import Article

    ahead.articles_ahead(Article.objects.published().values_list("pk", flat=True))
    shown = [hit.article for hit in selectors.article_search(text="软件", variant="zh-tw").hits]
    render._local.clear()  # a fresh worker
    cache.clear()
    page(client, "/zh-tw/search/", q="元宵")  # no results: the page's own labels and names, as any page converts them
    html_conversions.calls = text_conversions.calls = 0
    text_conversions.texts = []

    _response, html = page(client, "/zh-tw/search/", q="软件")

    assert len(shown) >= 3
    own = {text for a in shown for text in (a.title, a.summary)}
    assert html_conversions.calls == 0, "a body was converted for its snippet"
    assert not own & set(text_conversions.texts), "a title or summary went through OpenCC"
    assert not [text for text in text_conversions.texts if len(text or "") >= 400], "a body's text went through OpenCC"
    results = re.search(r'<ol class="search-results".*?</ol>', html, re.S).group(0)
    assert "<mark>軟體</mark>" in results and "软件" not in results  # the query, as typed, is echoed above them
