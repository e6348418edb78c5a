"""Converted text is cached by content: each revision and glossary version is converted once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinwen.conftest import make_article
from xinwen.hanzi import render
from xinwen.hanzi.convert import EMPTY_GLOSSARY, Glossary
from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.render import GlossaryState, variant_html, variant_text
from xinwen.hanzi.tests.conftest import article_body, html_of, text
from xinwen.news import services

# Long enough for the shared cache (bodies), and a title for the per-process one.
BODY = "<p>" + "软件与鼠标的信息，吃面条。" * 40 + "</p>"
TITLE = "软件与鼠标的信息"
assert len(BODY) >= render.SHARED_CACHE_MIN_LENGTH > len(TITLE)


def glossary_state(version: tuple, rules: dict) -> GlossaryState:
    return GlossaryState(version=version, glossary=Glossary.build(rules))


@pytest.mark.parametrize("body", [BODY, "<p>吃面条</p>"], ids=["shared cache", "process cache"])
def test_same_body_is_converted_once(html_conversions, body):
    first = variant_html(body, "zh-tw", source="zh-hans")
    second = variant_html(body, "zh-tw", source="zh-hans")

    assert second == first
    assert "麵條" in first
    assert html_conversions.calls == 1


def test_a_new_revision_is_converted_again(html_conversions):
    variant_html(BODY, "zh-tw", source="zh-hans")

    edited = variant_html(BODY.replace("面条", "米饭"), "zh-tw", source="zh-hans")

    assert html_conversions.calls == 2
    assert "米飯" in edited and "麵條" not in edited


def test_each_variant_and_the_ruby_view_are_cached_apart(html_conversions):
    outputs = {
        (variant, ruby): variant_html(BODY, variant, source="zh-hans", ruby=ruby)
        for variant in ("zh-hant", "zh-tw", "zh-hk")
        for ruby in (False, True)
    }
    for (variant, ruby), html in outputs.items():
        assert variant_html(BODY, variant, source="zh-hans", ruby=ruby) == html

    assert html_conversions.calls == 6
    assert len(set(outputs.values())) == 6


def test_a_new_glossary_version_converts_again(html_conversions, text_conversions):
    old = glossary_state((1, "2026-01-01T00:00:00"), {"鼠标": None})
    new = glossary_state((1, "2026-01-02T00:00:00"), {"鼠标": {"zh-tw": "鼠標墊"}})

    assert "鼠标" in variant_html(BODY, "zh-tw", source="zh-hans", glossary=old)
    assert "鼠標墊" in variant_html(BODY, "zh-tw", source="zh-hans", glossary=new)
    assert variant_text(TITLE, "zh-tw", source="zh-hans", glossary=old) == "軟體與鼠标的資訊"
    assert variant_text(TITLE, "zh-tw", source="zh-hans", glossary=new) == "軟體與鼠標墊的資訊"

    assert html_conversions.calls == 2
    assert text_conversions.calls == 2


def test_simplified_page_of_a_simplified_source_costs_nothing(html_conversions, text_conversions):
    assert variant_html(BODY, "zh-hans", source="zh-hans") is BODY
    assert variant_text(TITLE, "zh-hans", source="zh-hans") is TITLE
    state = GlossaryState(lambda: ((0, ""), EMPTY_GLOSSARY))
    assert variant_html(BODY, "zh-hans", source="zh-hans", glossary=state) is BODY

    assert html_conversions.calls == text_conversions.calls == 0


def test_simplified_page_still_applies_a_glossary_and_ruby(html_conversions):
    forced = glossary_state((1, "x"), {"鼠标": {"zh-hans": "滑鼠"}})

    assert "滑鼠" in variant_html(BODY, "zh-hans", source="zh-hans", glossary=forced)
    assert "<ruby>软<rt>ruǎn</rt></ruby>" in variant_html(BODY, "zh-hans", source="zh-hans", ruby=True)
    assert html_conversions.calls == 2


def test_glossary_is_loaded_only_when_text_is_printed():
    loads = []
    state = GlossaryState(lambda: loads.append(1) or ((), EMPTY_GLOSSARY))

    assert variant_text("", "zh-tw", glossary=state) == ""
    assert variant_html("", "zh-tw", glossary=state) == ""
    assert loads == []
    variant_text(TITLE, "zh-tw", glossary=state)
    variant_html(BODY, "zh-tw", glossary=state)
    assert loads == [1]


# --- through the pages --------------------------------------------------------------------


@pytest.fixture
def long_story(tree, site):
    return make_article(category=tree["company"], title=TITLE, body=BODY)


@pytest.mark.django_db
def test_article_body_is_converted_once_per_revision(client, long_story, html_conversions):
    url = f"/zh-tw/article/{long_story.pk}/"

    first = html_of(client.get(url))
    second = html_of(client.get(url))
    assert html_conversions.calls == 1
    assert article_body(first) == article_body(second)

    long_story.body = BODY.replace("面条", "米饭")
    long_story.save()
    edited = html_of(client.get(url))

    assert html_conversions.calls == 2
    assert "米飯" in text(article_body(edited))


@pytest.mark.django_db
def test_glossary_change_reconverts_the_body(client, long_story, html_conversions, django_capture_on_commit_callbacks):
    url = f"/zh-tw/article/{long_story.pk}/"
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        services.glossary_term_save(term=GlossaryTerm(term="鼠标", mode=GlossaryTerm.Mode.KEEP), user=services.OPERATOR)
    # The notice converted the body ahead into all four scripts (the glossary now touches
    # Simplified too); the page reads that row instead of converting a fifth time.
    assert html_conversions.calls == 1 + 4
    html = html_of(client.get(url))

    assert html_conversions.calls == 1 + 4
    assert "鼠标" in text(article_body(html))


@pytest.mark.django_db
@pytest.mark.parametrize("terms", [0, 2])
def test_glossary_is_read_once_per_request(client, long_story, terms, django_capture_on_commit_callbacks):
    for word in ["范晓明", "东方智联"][:terms]:
        with django_capture_on_commit_callbacks(execute=True):
            services.glossary_term_save(term=GlossaryTerm(term=word), user=services.OPERATOR)
    client.get(f"/zh-hk/article/{long_story.pk}/")  # builds the glossary of this version

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/zh-hk/article/{long_story.pk}/")

    assert response.status_code == 200
    glossary_queries = [q["sql"] for q in queries if "hanzi_glossaryterm" in q["sql"]]
    assert len(glossary_queries) <= 1, glossary_queries  # none once a worker knows the current version
