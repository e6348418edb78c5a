"""Common searches on PostgreSQL: windows of the newest documents first, widened until one holds enough."""

from __future__ import annotations

import pytest
from django.db import connection

from xinwen.conftest import make_article
from xinwen.search.backends import get_backend, postgres
from xinwen.search.backends.postgres import PostgresBackend, Sample, gram
from xinwen.search.dictionary import current_segmenter
from xinwen.search.models import SearchDocument
from xinwen.search.query import Form, Term, parse_query
from xinwen.search.services import search_index_articles, search_rebuild
@pytest.mark.parametrize("text", ["储能柜 充电桩", '"储能柜"'], ids=["words", "phrase"])
def test_a_window_too_small_widens_and_finds_what_the_whole_range_finds(tree, monkeypatch, text):
    """A common query is tried on the newest documents first; a window with too few matches widens."""
    if connection.vendor != "postgresql":
        pytest.skip("windows of the key index are the PostgreSQL backend's")

    # 60 articles, one a day; every fourth of the older 48 mentions the storage cabinets, none of the newest 12.
    for day in range(60):
        mention = day >= 12 and day % 4 == 0
        body = "<p>储能柜项目通过验收，充电桩同步投用。</p>" if mention else "<p>集团召开年度安全生产工作会议。</p>"
        make_article(category=tree["company"], title=f"第{day}期简报", days_ago=day + 1, body=body)
    search_rebuild()
    backend = get_backend()
    low, high, limit = -(2**62), 2**62, 5
    forms = parse_query(text, current_segmenter()).forms
    monkeypatch.setattr(postgres, "WINDOWS", 0)
    expected = backend.candidates(forms, low=low, high=high, limit=limit)
    monkeypatch.setattr(postgres, "WINDOWS", 3)
    assert len(expected) == limit

    windows = []
    monkeypatch.setattr(PostgresBackend, "_key_at", staticmethod(lambda lo, hi, offset: _key_at(lo, hi, offset, windows)))
    # As if every document matched: the first window is 2 × limit documents, too small here.
    monkeypatch.setattr(PostgresBackend, "_sample", staticmethod(lambda elements: Sample({}, 1.0, 60)))
    # A phrase is found by its pairs, read in key order: windows only when that would read many.
    monkeypatch.setattr(postgres, "LAZY_ROWS", 0)

    assert backend.candidates(forms, low=low, high=high, limit=limit) == expected
    assert windows == [2 * limit, 8 * limit]  # the newest 10 hold none; the newest 40 hold enough


_real_key_at = PostgresBackend._key_at


def _key_at(low, high, offset, seen):
    seen.append(offset)
    return _real_key_at(low, high, offset)


def test_before_the_first_sample_a_phrase_is_found_in_one_pass_by_its_pairs(tree, monkeypatch):
    """No estimates before the index is sampled: no windows, the newest matches of the whole range."""
    if connection.vendor != "postgresql":
        pytest.skip("windows of the key index are the PostgreSQL backend's")
    named = []
    for day in range(30):
        body = "<p>高建同志出席。</p>" if day % 10 == 9 else "<p>提高质量，建设项目。</p>"
        article = make_article(category=tree["company"], title=f"第{day}期简报", days_ago=day + 1, body=body)
        if day % 10 == 9:
            named.append(article.pk)
    search_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_sample")
    keys = dict(SearchDocument.objects.values_list("article_id", "key"))
    forms = parse_query('"高建"', current_segmenter()).forms
    windows = []
    monkeypatch.setattr(PostgresBackend, "_key_at", staticmethod(lambda lo, hi, offset: _key_at(lo, hi, offset, windows)))

    found = get_backend().candidates(forms, low=-(2**62), high=2**62, limit=2)

    assert found == [keys[pk] for pk in named[:2]]  # the two newest of the three that name him
    assert windows == []
    assert get_backend().document_frequencies([Term(("高", "建"), is_word=True)], documents=30) == {Term(("高", "建"), is_word=True): None}


def test_the_sample_finds_a_name_or_code_by_its_pairs_and_a_rare_word_by_its_lexeme(tree, monkeypatch):
    """The sampled shares (migrations/0005_sample.py) choose the index that leaves the fewest documents to read."""
    if connection.vendor != "postgresql":
        pytest.skip("the sample is the PostgreSQL backend's")
    # 40 articles: all hold 提高 and a code ZL-D…; three name 高建, one holds ZL-D188, one the word 飞轮.
    for day in range(40):
        name = "高建同志出席。" if day in (3, 17, 30) else "提高质量，建设项目。"
        code = "ZL-D188" if day == 21 else f"ZL-D{200 + day}"
        extra = "飞轮储能" if day == 8 else ""
        make_article(category=tree["company"], title=f"第{day}期简报", days_ago=day + 1, body=f"<p>{name}提高{extra}型号{code}投产。</p>")
    search_rebuild()
    backend = get_backend()
    segmenter = current_segmenter()
    plans = []
    real_plan = Sample.plan

    def recorded(self, held, pairs):
        plans.append(real_plan(self, held, pairs))
        return plans[-1]

    monkeypatch.setattr(Sample, "plan", recorded)
    everywhere = {"low": -(2**62), "high": 2**62, "limit": 10}
    flywheel = Form((Term(("飞", "轮"), is_word=True), Term(("提", "高"))))

    assert len(backend.candidates(parse_query('"高建"', segmenter).forms, **everywhere)) == 3
    assert len(backend.candidates(parse_query("ZL-D188", segmenter).forms, **everywhere)) == 1
    assert len(backend.candidates((flywheel,), **everywhere)) == 1
    (name, name_share), (code, code_share), (word, word_share) = plans
    assert not name and name_share == pytest.approx(3 / 40)  # the pair 高建 in 3 of 40; 高 and 建 in all
    assert not code and code_share < 2 / 40  # the pair zl|d188 (whole runs: 0006) in one
    assert word and word_share < 2 / 40  # the word 飞轮 in one; the pair 提高 in all 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT share FROM search_sample WHERE element IN ('#', 'l高', 'ld188') ORDER BY element")
        assert [row[0] for row in cursor.fetchall()] == [40.0, 1.0]  # d188 in one document: not listed


def test_a_growing_index_is_sampled_again_without_a_rebuild(tree):
    """A site that never ran `xinwen reindex` (a fresh one, or one filled by imports) still gets its sample."""
    if connection.vendor != "postgresql":
        pytest.skip("the sample is the PostgreSQL backend's")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_sample")  # never sampled
    sampled_at = []
    for day in range(5):
        article = make_article(category=tree["company"], title=f"第{day}期简报", days_ago=day + 1, body="<p>高建同志出席。</p>")
        search_index_articles(article_ids=[article.pk])
        with connection.cursor() as cursor:
            cursor.execute("SELECT element, share FROM search_sample WHERE element IN ('=', '@', '#', 'p%s')" % gram("高", "建"))
            rows = dict(cursor.fetchall())
        sampled_at.append(rows["="])
        assert rows["@"] < max(rows["="], 1)  # a write that made the sample due took it
    # Sampled when the written documents reached the number indexed at the last sample.
    assert sampled_at == [1, 2, 2, 4, 4]
    assert rows["#"] == 4 and rows[f"p{gram('高', '建')}"] == 1.0
