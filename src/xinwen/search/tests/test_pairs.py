"""Phrases narrowed by character pairs on PostgreSQL (migrations/0004_grams.py): faster, never different.

The pairs are only a filter in front of the tsvector's own phrase matching, so every
search must return the same articles in the same order with and without it.
"""

from __future__ import annotations

import hashlib
import random
import re

import pytest
from django.core.cache import cache
from django.db import connection

from xinwen.hanzi.convert import convert
from xinwen.site.demo_content import ARTICLES
from xinwen.search.backends import get_backend
from xinwen.search.backends.postgres import PostgresBackend, form_grams, gram, tsvector
from xinwen.search.dictionary import current_segmenter
from xinwen.search.query import Form, Term, parse_query
from xinwen.search.selectors import ranked_articles

pytestmark = pytest.mark.django_db

WORD = Term(("集", "团"), is_word=True)
NAME = Term(("周", "建", "国"))
CODE = Term(("zl", "rv", "减"))  # a run pairs as a whole
ACCENT = Term(("café", "店"))  # only ASCII runs are paired


@pytest.mark.parametrize(
    ("form", "title_only", "expected"),
    [
        (Form((WORD,)), False, []),  # a word is found by its own lexeme
        (Form((NAME,)), False, [gram("周", "建"), gram("建", "国")]),
        (Form((WORD, NAME)), False, [gram("周", "建"), gram("建", "国")]),
        (Form((NAME,), exclude=(Term(("王", "伟")),)), False, [gram("周", "建"), gram("建", "国")]),
        (Form((CODE,)), False, [gram("zl", "rv"), gram("rv", "减")]),
        (Form((ACCENT,)), False, []),
        (Form((Term(("面", "向", "2025")),)), False, [gram("面", "向"), gram("向", "2025")]),
        (Form((Term(("余",)),)), False, []),  # one character: nothing to pair
        (Form((NAME,)), True, [gram("周", "建", title=True), gram("建", "国", title=True)]),
    ],
)
def test_the_pairs_of_a_reading(form, title_only, expected):
    assert form_grams(form, title_only=title_only) == expected


def test_pairs_are_signed_int4_and_title_pairs_differ():
    values = [gram(a, b, title=t) for a in ("余", "华", "𠀀", "z") for b in ("余", "华", "𠀀", "9") for t in (False, True)]

    assert all(-(2**31) <= v < 2**31 for v in values)
    assert gram("余", "华") == (ord("余") << 16 | ord("华")) - 2**32 * (ord("余") >= 0x8000)
    assert gram("余", "华") != gram("华", "余") != gram("华", "余", title=True)
    # A run pairs as a whole (migrations/0006_run_grams.py): "2021年" is not the pair of every run ending in 1.
    assert gram("2021", "年") != gram("1", "年") != gram("2011", "年")
    assert gram("年", "2") == ord("年") << 16 | ord("2")
    assert gram("zl", "rv") % 2**32 == int(hashlib.md5(b"zl").hexdigest()[:4], 16) << 16 | int(hashlib.md5(b"rv").hexdigest()[:4], 16)


def _sentences() -> list[str]:
    text = " ".join(re.sub(r"<[^>]+>", "", item["title"] + "。" + item["summary"] + item["body"]) for item in ARTICLES)
    return [s for s in re.split(r"[。！？；，、\s]+", text) if len(s) >= 2]


def _queries(count: int, seed: int = 19) -> list[str]:
    """Names, words, quoted phrases, Traditional script, pairs and exclusions cut from the demo texts."""
    rng = random.Random(seed)
    sentences = _sentences()
    out = []
    for _ in range(count):
        sentence = rng.choice(sentences)
        start = rng.randrange(len(sentence) - 1)
        piece = sentence[start : start + rng.randint(2, 6)]
        roll = rng.random()
        if roll < 0.35:
            out.append(f'"{piece}"')
        elif roll < 0.5:
            out.append(convert(piece, "zh-tw", source="zh-hans"))
        elif roll < 0.65:
            other = rng.choice(sentences)
            out.append(f"{piece} {other[: rng.randint(2, 4)]}")
        elif roll < 0.72:
            out.append(f'{piece} -"{rng.choice(sentences)[:2]}"')
        else:
            out.append(piece)
    return out


def test_pairs_follow_the_tsvector(demo):
    """On PostgreSQL the stored pairs are search_grams(vec), kept so by the trigger; SQLite has no such column."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT count(*) FROM pragma_table_info('search_document') WHERE name = 'grams'")
            assert cursor.fetchone() == (0,)
            return
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE grams = search_grams(vec) AND cardinality(grams) > 0) FROM search_document")
        total, same = cursor.fetchone()
        cursor.execute("UPDATE search_document SET vec = %s::tsvector WHERE article_id = (SELECT min(article_id) FROM search_document) "
                       "RETURNING grams", ["'余':1 '华':2,4 '^余':1 '^华':2 '2025':3 'café':5 '店':6 'zl':8 'rv':9"])  # fmt: skip
        (pairs,) = cursor.fetchone()

    assert total > 20 and same == total
    assert sorted(pairs) == sorted([gram("余", "华"), gram("华", "2025"), gram("2025", "华"), gram("余", "华", title=True), gram("zl", "rv")])


def _random_documents(count: int, seed: int = 23):
    """Documents no article would make, beside ones that articles do: what `_grams` must still read as the SQL does."""
    from xinwen.search.documents import SEPARATOR, Document, Field, build_field

    rng = random.Random(seed)
    segmenter = current_segmenter()
    sentences = _sentences()
    odd = ["^", "^余", "a", "A", "zl", "ZL", "2025", "5g", "x1_y", "café", "𠀀", "𠀁华", "﨑", "余", "华", "国", "-", "^^"]
    documents = []
    for n in range(count):
        kind = n % 3
        if kind == 0:  # texts as articles have them, with codes and Traditional script
            text = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 30)))
            text += f" ZL-{rng.randint(1, 999)} 𠀀{rng.choice('余华国')} 第{rng.randint(1, 99)}届 v{rng.randint(1, 9)}.{rng.randint(0, 9)}"
            field = build_field([(text, None), (convert(rng.choice(sentences), "zh-tw", source="zh-hans"), None)], segmenter)
        elif kind == 1:  # words and sub-words laid out by hand: carets, capitals, runs, repeats
            words = [rng.choice(odd + [SEPARATOR]) for _ in range(rng.randint(1, 400))]
            whole = [w for w in words if w != SEPARATOR and len(w) > 1]
            subs = {w: (w[:1],) for w in whole[: rng.randint(0, len(whole))]}
            field = Field(words, subs)
        else:  # long: positions past 16,383 and lexemes past 255 positions
            field = Field([rng.choice(["余", "华", "7", "ab", "^"]) for _ in range(rng.randint(300, 17000))])
        empty = Field()
        title = field if n % 4 == 0 else build_field([(rng.choice(sentences)[:20], None)], segmenter)
        documents.append(Document(n, n, 1, title, empty, field if n % 5 else empty, field))
    # Pairs only past a lexeme's 255th position, or past position 16,383: not in the tsvector.
    for words in (["余"] * 300 + ["华", "2025", "国"], ["国"] * 16400 + ["余", "华"], ["ab"] * 256 + ["cd", "余"]):
        documents.append(Document(count, count, 1, Field(), Field(), Field(), Field(words)))
    return documents


def test_the_pairs_written_are_search_grams_of_the_tsvector(db):
    """The pairs the backend computes (`_grams`) are what the database's search_grams() makes of the same tsvector.

    search_grams() is the counterpart: the rows of 0006 were computed by it, and a phrase
    search asks its pairs of the index; a difference would hide documents from phrases.
    """
    if connection.vendor != "postgresql":
        pytest.skip("the pairs exist on PostgreSQL only")
    documents = _random_documents(150)
    compared = 0
    with connection.cursor() as cursor:
        for document in documents:
            literal, pairs = tsvector(document)
            cursor.execute("SELECT search_grams(%s::tsvector)", [literal])
            (expected,) = cursor.fetchone()
            assert pairs == expected, document.article_id
            compared += len(pairs)
    assert compared > 15_000


def test_pairs_given_by_the_writer_are_kept_and_a_row_written_without_them_gets_them(demo):
    """The trigger (0007) keeps the pairs the backend gives, and computes them where a writer gave none."""
    if connection.vendor != "postgresql":
        pytest.skip("the pairs exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(article_id) FROM search_document")
        (article_id,) = cursor.fetchone()
        vec = "'余':1 '华':2"
        # Given: kept, even where they are not the tsvector's (so the trigger did not compute them).
        cursor.execute("UPDATE search_document SET vec = %s::tsvector, grams = %s WHERE article_id = %s RETURNING grams",
                       [vec, [7, 8], article_id])  # fmt: skip
        assert cursor.fetchone() == ([7, 8],)
        # A new vec without new pairs: computed.
        cursor.execute("UPDATE search_document SET vec = %s::tsvector WHERE article_id = %s RETURNING grams", [vec + " '国':3", article_id])
        assert cursor.fetchone() == (sorted([gram("余", "华"), gram("华", "国")]),)
        # An insert without pairs: computed.
        cursor.execute("SELECT * FROM search_document WHERE article_id = %s", [article_id])
        columns = [c.name for c in cursor.description if c.name not in ("article_id", "key", "grams")]
        cursor.execute(f"DELETE FROM search_document WHERE article_id = %s RETURNING {', '.join(columns)}, key", [article_id])
        row = cursor.fetchone()
        cursor.execute(f"INSERT INTO search_document (article_id, {', '.join(columns)}, key) VALUES (%s{', %s' * (len(columns) + 1)}) "
                       "RETURNING grams", [article_id, *row])  # fmt: skip
        assert cursor.fetchone() == (sorted([gram("余", "华"), gram("华", "国")]),)


@pytest.mark.parametrize("estimates", ["none", "sampled"])
def test_results_are_the_same_with_and_without_pairs(demo, estimates, monkeypatch):
    """1,000 searches over the demo news center: the same articles in the same order, both passes."""
    if connection.vendor != "postgresql":
        pytest.skip("the pairs exist on PostgreSQL only (SQLite matches phrases from FTS5 position lists)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_sample WHERE element = '#'")
        assert cursor.fetchone() == (1,)  # the rebuild sampled the index
        if estimates == "none":  # as before the first sample: no estimates, one pass over the range
            cursor.execute("DELETE FROM search_sample")
    backend = get_backend()
    segmenter = current_segmenter()
    narrowed = 0
    for text in _queries(1000):
        query = parse_query(text, segmenter)
        monkeypatch.setattr(PostgresBackend, "narrow_by_pairs", True)
        found = ranked_articles(query).article_ids
        titles = backend.candidates(query.forms, low=-(2**62), high=2**62, limit=5, title_only=True)
        narrowed += bool(query.forms) and all(form_grams(form) for form in query.forms)
        monkeypatch.setattr(PostgresBackend, "narrow_by_pairs", False)
        cache.clear()
        assert ranked_articles(query).article_ids == found, text
        assert backend.candidates(query.forms, low=-(2**62), high=2**62, limit=5, title_only=True) == titles, text

    assert narrowed > 300  # the comparison covered many phrases
