"""Bodies converted ahead: saving a public article stores its body in every script, readers only read it."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from xinwen.conftest import make_article
from xinwen.hanzi import render
from xinwen.hanzi.models import ConvertedText, GlossaryTerm
from xinwen.hanzi.render import GlossaryState, variant_html
from xinwen.hanzi.selectors import current_glossary
from xinwen.news import ahead, services
from xinwen.news.models import Article

# Long enough for the shared cache, where bodies live (shorter texts are never converted ahead).
BODY = "<p>" + "软件与鼠标的信息，吃面条，发布新产品。" * 30 + "</p>"


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def article_body(html: str) -> str:
    return re.search(r'<div class="article-body[^"]*">.*?</div>', html, re.S).group(0)


def text(markup: str) -> str:
    return " ".join(unescape(strip_tags(markup)).split())


def _rows(article: Article) -> dict[str, str]:
    """The article's body as converted ahead, by script (its title and names are plain-text rows of the same owner)."""
    rows = ConvertedText.objects.filter(owner=ahead.owner(article.pk)).values_list("variant", "text")
    return {variant: converted for variant, converted in rows if converted.startswith("<")}


def _publish(article: Article, capture) -> Article:
    with capture(execute=True):
        services.article_publish(article=article, user=services.OPERATOR)
    return article


@pytest.fixture
def story(tree, django_capture_on_commit_callbacks):
    draft = make_article(category=tree["company"], title="软件新闻", body=BODY, status=Article.Status.DRAFT)
    return _publish(draft, django_capture_on_commit_callbacks)


@pytest.mark.django_db
def test_publishing_stores_the_body_in_every_other_script(story):
    rows = _rows(story)

    assert sorted(rows) == ["zh-hant", "zh-hk", "zh-tw"]  # Simplified is the text itself
    assert "軟體" in rows["zh-tw"] and "麵條" in rows["zh-tw"]
    assert "軟件" in rows["zh-hk"] and "軟件" in rows["zh-hant"]
    # Exactly what a live conversion gives.
    live = GlossaryState(current_glossary)
    for code, converted in rows.items():
        assert converted == render.convert_html(BODY, code, source="zh-hans", glossary=live.get()[1])


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/zh-tw", "/zh-hk", "/zh-hant"])
def test_the_first_reader_in_a_traditional_script_reads_the_row(client, story, html_conversions, prefix):
    cache.clear()  # a fresh worker: nothing converted in this process

    page = html_of(client.get(f"{prefix}/article/{story.pk}/"))

    assert html_conversions.calls == 0
    body = text(article_body(page))
    assert "資訊" in body or "信息" in body
    assert "软件" not in body  # Traditional, not the source


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/zh-tw", "/zh-hk", "/zh-hant"])
def test_the_first_reader_converts_no_title_either_and_reads_the_rows_in_one_query(
    client, tree, story, text_conversions, django_capture_on_commit_callbacks, prefix
):
    older = make_article(category=tree["company"], title="鼠标软件发布", body=BODY, status=Article.Status.DRAFT, days_ago=3)
    _publish(older, django_capture_on_commit_callbacks)  # a neighbour of story, converted ahead when it was published
    story.author, story.source_name = "张晓华", "软件报"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=story, user=services.OPERATOR)
    render._local.clear()  # a fresh worker: no title converted in this process
    cache.clear()
    elsewhere = make_article(category=tree["industry"], title="行业动态一则", body=BODY)
    html_of(client.get(f"{prefix}/article/{elsewhere.pk}/"))  # the site's own labels and names, as any page converts them
    text_conversions.calls = 0

    with CaptureQueriesContext(connection) as queries:
        page = html_of(client.get(f"{prefix}/article/{story.pk}/"))

    assert text_conversions.calls == 0  # title, names, descriptions and the linked titles were read, not converted
    assert sum("hanzi_convertedtext" in q["sql"] for q in queries.captured_queries) == 1
    expected = render.convert("鼠标软件发布", prefix[1:], source="zh-hans", glossary=GlossaryState(current_glossary).get()[1])
    assert expected in page and "鼠标软件发布" not in page  # the linked title in the reader's script
    assert render.convert("软件报", prefix[1:], source="zh-hans") in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/zh-tw/", "/zh-hk/category/company/", "/zh-hant/category/company/"])
def test_lists_read_their_titles_and_summaries_converted_ahead_in_one_query(
    client, tree, text_conversions, django_capture_on_commit_callbacks, path
):
    shown = []
    for number, title in enumerate(["鼠标软件发布会", "信息网络建设", "面条工厂开业", "数据中心落成"]):
        draft = make_article(category=tree["company"], title=title, summary=f"本文讲述{title}的经过（软件）。",
                             body=BODY, status=Article.Status.DRAFT, days_ago=number + 1)  # fmt: skip
        shown.append(_publish(draft, django_capture_on_commit_callbacks))
    render._local.clear()  # a fresh worker: no title converted in this process
    cache.clear()
    script = path.split("/")[1]
    html_of(client.get(f"/{script}/category/industry/"))  # the site's own labels and names, as any page converts them
    text_conversions.calls, text_conversions.texts = 0, []

    with CaptureQueriesContext(connection) as queries:
        page = html_of(client.get(path))

    own = {text for item in shown for text in (item.title, item.summary)}
    assert not own & set(text_conversions.texts), "an article's title or summary went through OpenCC"
    assert sum("hanzi_convertedtext" in q["sql"] for q in queries.captured_queries) == 1
    for item in shown:
        assert render.convert(item.title, script, source="zh-hans", glossary=GlossaryState(current_glossary).get()[1]) in page
        assert item.title not in page


@pytest.mark.django_db
def test_a_reader_never_writes_rows(client, tree, html_conversions):
    # Saved without the write path (as before this existed): no rows.
    old = make_article(category=tree["company"], body=BODY)

    response = client.get(f"/zh-tw/article/{old.pk}/")

    assert response.status_code == 200
    assert "麵條" in text(article_body(html_of(response)))
    assert html_conversions.calls == 1  # converted live, as before
    assert ConvertedText.objects.count() == 0


@pytest.mark.django_db
def test_an_edit_replaces_the_rows_and_the_page_shows_the_edit(client, story, html_conversions, django_capture_on_commit_callbacks):
    before = _rows(story)["zh-tw"]
    story.body = BODY.replace("面条", "米饭")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=story, user=services.OPERATOR)
    assert html_conversions.calls == 3  # the save converted ahead
    html_conversions.calls = 0
    cache.clear()

    rows = _rows(story)
    page = text(article_body(html_of(client.get(f"/zh-tw/article/{story.pk}/"))))

    assert len(rows) == 3 and rows["zh-tw"] != before
    assert not ConvertedText.objects.filter(text=before).exists()  # the old revision's rows are gone
    assert "米飯" in page and "麵條" not in page
    assert html_conversions.calls == 0


@pytest.mark.django_db
def test_unpublishing_and_deleting_drop_the_rows(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=story, user=services.OPERATOR)
    assert _rows(story) == {}

    _publish(story, django_capture_on_commit_callbacks)
    assert len(_rows(story)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(article=story, user=services.OPERATOR)
    assert _rows(story) == {}


@pytest.mark.django_db
def test_a_glossary_change_converts_again_under_the_new_glossary(client, story, html_conversions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.glossary_term_save(
            term=GlossaryTerm(term="鼠标", mode=GlossaryTerm.Mode.FORCE, zh_tw="滑鼠"), user=services.OPERATOR
        )
    converted_ahead = html_conversions.calls
    cache.clear()

    page = text(article_body(html_of(client.get(f"/zh-tw/article/{story.pk}/"))))

    assert "滑鼠" in page
    assert converted_ahead == 4  # every script, Simplified too: a glossary applies to it
    assert html_conversions.calls == converted_ahead  # the page read the new row


@pytest.mark.django_db
def test_a_large_site_is_told_to_run_the_command_after_a_glossary_change(story, monkeypatch, caplog, django_capture_on_commit_callbacks):
    monkeypatch.setattr(ahead, "AUTO_LIMIT", 0)
    before = _rows(story)

    with django_capture_on_commit_callbacks(execute=True):
        services.glossary_term_save(term=GlossaryTerm(term="鼠标"), user=services.OPERATOR)

    assert "xinwen convert_ahead" in caplog.text
    assert _rows(story) == before  # nothing converted: pages convert on first view meanwhile


@pytest.mark.django_db
def test_the_command_converts_every_public_body_and_drops_the_rest(tree, story):
    public = make_article(category=tree["company"], body=BODY.replace("面条", "米饭"))
    draft = make_article(category=tree["company"], body=BODY, status=Article.Status.DRAFT)
    ConvertedText.objects.create(digest="0" * 40, owner=ahead.owner(draft.pk), variant="zh-tw", text="<p>舊</p>")
    ConvertedText.objects.create(digest="1" * 40, owner=ahead.owner(99999), variant="zh-tw", text="<p>舊</p>")
    out, err = io.StringIO(), io.StringIO()

    call_command("convert_ahead", stdout=out, stderr=err)

    assert "已预先转换 2 篇文章" in out.getvalue()
    assert "转换 2/2 (100%)" in err.getvalue()
    assert sorted(ConvertedText.objects.values_list("owner", flat=True).distinct()) == sorted(
        [ahead.owner(story.pk), ahead.owner(public.pk)]
    )
    assert "米飯" in _rows(public)["zh-tw"]


@pytest.mark.django_db
def test_the_pinyin_view_is_never_read_from_rows(client, story):
    html = html_of(client.get(f"/zh-tw/article/{story.pk}/?ruby=1"))

    assert "<rt>" in article_body(html)


def test_a_row_is_keyed_by_everything_the_conversion_depends_on():
    """Two glossaries, two scripts, two sources, pinyin or not: never the same key."""
    keys = {
        render._digest(("h", code, source, ruby, version, BODY))
        for code in ("zh-tw", "zh-hk")
        for source in ("zh-hans", "zh-hant")
        for ruby in (False, True)
        for version in ((1, "a"), (1, "b"))
    }
    assert len(keys) == 16
    assert variant_html("", "zh-tw", ahead=True) == ""


@pytest.mark.django_db
def test_the_row_costs_one_primary_read_and_only_when_the_body_is_not_in_the_cache(client, story):
    url = f"/zh-tw/article/{story.pk}/"
    client.get(url)  # a warm worker: tree and glossary version kept
    version, _glossary = current_glossary()
    cache.delete("hanzi:" + render._digest(("h", "zh-tw", "zh-hans", False, version, story.body)))  # only the body
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)

    reads = [q["sql"] for q in cold if "hanzi_convertedtext" in q["sql"]]
    assert len(reads) == 1 and "WHERE digest" in reads[0]
    assert len(cold) == len(warm) + 1  # the body is then in the shared cache
    assert not any("hanzi_convertedtext" in q["sql"] for q in warm)


@pytest.mark.django_db
def test_a_batch_of_articles_is_converted_in_one_write_whatever_its_size(tree):
    def converted(count: int) -> tuple[int, list[Article]]:
        stories = [make_article(category=tree["company"], title=f"软件新闻{n}", body=BODY) for n in range(count)]
        ahead.articles_ahead([s.pk for s in stories])  # rows for the second run to replace
        with CaptureQueriesContext(connection) as captured:
            assert ahead.articles_ahead([s.pk for s in stories]) == 3 * count
        return len(captured), stories

    one, _ = converted(1)
    four, stories = converted(4)
    assert four == one
    for story in stories:  # each article has its own rows, the earlier ones replaced
        assert sorted(_rows(story)) == ["zh-hant", "zh-hk", "zh-tw"]
        rows = ConvertedText.objects.filter(owner=ahead.owner(story.pk))
        assert rows.count() == rows.values("digest").distinct().count()  # replaced, not added to


@pytest.mark.django_db
def test_a_large_batch_is_converted_by_the_opencc_library_a_small_one_by_the_table(tree, monkeypatch):
    """More than BULK_ITEMS articles at once (an import's batch) convert with the library, four times
    faster on bodies; a save's single article with the table, so a serving worker never loads it."""
    from xinwen.hanzi import convert as convert_module

    library_calls = []
    library = convert_module._library
    monkeypatch.setattr(convert_module, "_library", lambda config: library_calls.append(config) or library(config))
    monkeypatch.setattr(convert_module, "opencc_backend", lambda: "table")
    stories = [make_article(category=tree["company"], title=f"软件新闻{n}", body=BODY + str(n))
               for n in range(convert_module.BULK_ITEMS + 1)]  # fmt: skip

    ahead.articles_ahead([s.pk for s in stories[: convert_module.BULK_ITEMS]])
    assert library_calls == []
    by_table = _rows(stories[0])
    ahead.articles_ahead([s.pk for s in stories])
    assert set(library_calls) >= {"s2tw", "s2twp", "s2hk"}
    assert _rows(stories[0]) == by_table  # the same text either way
    assert convert_module.opencc_converter("s2twp").__class__.__name__ == "Converter"  # the table again after


@pytest.mark.django_db
def test_a_name_many_articles_share_is_read_once_not_once_per_article(client, tree, django_capture_on_commit_callbacks):
    # Every article keeps its own rows, so 软件报 converted ahead has a row per article: a page
    # must read one of them, not all (thousands on a site of 10,000 articles, on every miss).
    stories = [
        _publish(make_article(category=tree["company"], title=f"软件新闻{n}", body=BODY, source_name="软件报",
                              status=Article.Status.DRAFT, days_ago=n + 1), django_capture_on_commit_callbacks)  # fmt: skip
        for n in range(12)
    ]
    assert ConvertedText.objects.filter(text=render.convert("软件报", "zh-tw", source="zh-hans")).count() >= 12
    render._local.clear()  # a fresh worker
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        page = html_of(client.get(f"/zh-tw/article/{stories[5].pk}/"))

    assert render.convert("软件报", "zh-tw", source="zh-hans") in page
    (read,) = [q["sql"] for q in queries.captured_queries if "hanzi_convertedtext" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(read)
        rows = cursor.fetchall()
    assert len(rows) == len({row[0] for row in rows})  # one row per digest asked for


@pytest.mark.django_db
def test_rows_converted_ahead_are_read_for_more_digests_than_one_statement_can_join(tree, django_capture_on_commit_callbacks):
    story = _publish(make_article(category=tree["company"], title="软件新闻", body=BODY, source_name="软件报",
                                  status=Article.Status.DRAFT), django_capture_on_commit_callbacks)  # fmt: skip
    stored = dict(ConvertedText.objects.filter(owner=ahead.owner(story.pk)).values_list("digest", "text"))
    asked = [f"{n:040x}" for n in range(600)] + list(stored)  # SQLite joins at most 500 SELECTs in one statement

    assert render._ahead_rows(asked) == stored
