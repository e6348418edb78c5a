"""The two full-text backends: same candidates, quoted terms, an index that stays consistent."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.search.backends import get_backend
from xinwen.search.backends.postgres import tsquery, tsvector
from xinwen.search.backends.sqlite import match_expression
from xinwen.search.documents import key_bound
from xinwen.search.models import SearchDocument
from xinwen.search.query import Form, Term
from xinwen.search.services import search_index_articles, search_rebuild

pytestmark = pytest.mark.django_db

STORAGE = Form((Term(("储", "能"), is_word=True),))


@pytest.fixture
def stations(tree):
    now = timezone.now()
    articles = [make_article(category=tree["company"], title=f"储能电站第{n}期", publish_at=now - timedelta(days=n)) for n in range(5)]
    search_rebuild()
    return articles  # newest first


def test_candidates_are_newest_first_within_bounds(stations):
    backend = get_backend()
    everything = backend.candidates((STORAGE,), low=-(2**62), high=2**62, limit=100)
    keys = dict(SearchDocument.objects.values_list("article_id", "key"))

    assert everything == [keys[a.pk] for a in stations]
    assert backend.candidates((STORAGE,), low=-(2**62), high=2**62, limit=2) == everything[:2]
    cutoff = key_bound(stations[2].publish_at, upper=True)
    assert backend.candidates((STORAGE,), low=-(2**62), high=cutoff, limit=100) == everything[2:]


def test_title_only_and_category(stations, tree):
    other = make_article(category=tree["industry"], title="行业新闻", body="<p>储能行业快速发展。</p>")
    search_index_articles(article_ids=[other.pk])
    backend = get_backend()
    keys = dict(SearchDocument.objects.values_list("article_id", "key"))

    everything = backend.candidates((STORAGE,), low=-(2**62), high=2**62, limit=100)
    titles = backend.candidates((STORAGE,), low=-(2**62), high=2**62, limit=100, title_only=True)
    industry = backend.candidates((STORAGE,), low=-(2**62), high=2**62, limit=100, category_ids=[tree["industry"].pk])

    assert keys[other.pk] in everything and keys[other.pk] not in titles
    assert industry == [keys[other.pk]]


def test_the_title_pass_follows_edits_and_deletes_and_honours_exclusions(stations, tree):
    backend = get_backend()
    article = make_article(category=tree["industry"], title="储能重卡上路", body="<p>氢能与储能并进。</p>")
    search_index_articles(article_ids=[article.pk])
    key = SearchDocument.objects.get(article_id=article.pk).key
    hydrogen = Form((Term(("氢",)),))
    titles = lambda form: backend.candidates((form,), low=-(2**62), high=2**62, limit=100, title_only=True)  # noqa: E731

    assert key in titles(STORAGE)
    assert key not in titles(hydrogen)  # only in the body
    assert key not in titles(Form(STORAGE.include, exclude=hydrogen.include))  # the body has the excluded word
    assert len(titles(Form(STORAGE.include, exclude=hydrogen.include))) == len(stations)

    article.title = "电动重卡上路"
    article.save()
    search_index_articles(article_ids=[article.pk])
    assert key not in titles(STORAGE)

    article.title = "储能重卡上路"
    article.save()
    search_index_articles(article_ids=[article.pk])
    assert key in titles(STORAGE)
    pk = article.pk
    article.delete()
    search_index_articles(article_ids=[pk])
    assert key not in titles(STORAGE)


@pytest.mark.parametrize("piece", ['"', "'", "\\", "a\"b", "x' OR '1", "NEAR", "*", ":", "{tw}", "\ue000"])
def test_any_term_text_is_quoted_safely(stations, piece, caplog):
    """Terms are letters and digits only, but even if not, the backend quotes them."""
    form = Form((Term((piece,), is_word=True), Term(("储", piece))), (Term((piece,)),))
    with caplog.at_level(logging.ERROR):
        assert get_backend().candidates((form,), low=-(2**62), high=2**62, limit=10) == []
    assert caplog.records == []


def test_expressions():
    name = Term(("周", "建", "国"))
    word = Term(("集", "团"), is_word=True)
    site = Term(("东", "方", "智", "联"), is_word=True, site_term=True)

    assert match_expression((Form((word, name), (Term(("液", "冷")),)),)) == (
        '(({tw w} : "集团" AND {tc c} : "周 建 国") NOT ({tc c} : "液 冷"))'
    )
    assert match_expression((Form((site,)),), title_only=True, category_ids=[3]) == (
        '((({tw} : "东方智联" OR {tc} : "东 方 智 联"))) AND ({cat} : "c3")'
    )
    assert tsquery((Form((word, name), (Term(("液", "冷")),)),)) == "('集团' & ('周' <-> '建' <-> '国') & !('液' <-> '冷'))"
    assert tsquery((Form((word,)),), title_only=True) == "('^集团')"


def _fts5_index_stays_consistent_through_edits(stations):
    for article in stations[:3]:
        article.title = article.title.replace("储能", "光伏")
        article.publish_at -= timedelta(days=30)  # a new key
        article.save()
    search_index_articles(article_ids=[a.pk for a in stations])
    SearchDocument.objects.filter(article_id=stations[4].pk).delete()

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    assert len(get_backend().candidates((STORAGE,), low=-(2**62), high=2**62, limit=100)) == 1


def _tsvector_literal_is_read_back_exactly(stations):
    from xinwen.hanzi.segment import Segmenter
    from xinwen.search.documents import Document, build_field

    field = build_field([("it's a \\ test 储能", "zh-hans")], Segmenter())
    document = Document(1, 1, 1, field, build_field([], Segmenter()), build_field([], Segmenter()), build_field([], Segmenter()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector", [tsvector(document)[0]])
        value = cursor.fetchone()[0]
    assert "'储':" in value and "'储能':" in value and "'it':" in value


def test_the_database_index_itself_is_sound(stations):
    """FTS5's own integrity check on SQLite; on PostgreSQL, the tsvector literal read back exactly."""
    if connection.vendor == "sqlite":
        _fts5_index_stays_consistent_through_edits(stations)
    else:
        _tsvector_literal_is_read_back_exactly(stations)


def test_a_documents_row_keeps_only_what_a_search_reads_so_a_scan_reads_few_pages(tree):
    """On PostgreSQL the sub-words and the lead live in TOAST, the ranked texts in the row (migrations/0008_narrow_rows.py).

    A phrase search reads every row its pairs name: with the sub-words stored in the row,
    five rows filled a page and a common phrase read half the table. Random characters, so
    that compression cannot make the texts small on its own; a dictionary term, so that
    the sub-words are as long as a real article's.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps its index in FTS5 tables")
    rng = random.Random(8)

    def text(characters: int) -> str:
        return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(characters))

    for n in range(60):
        words = "".join(f"{text(6)}中华人民共和国{text(4)}" for _ in range(40))  # a word holding the words 中华, 人民, 共和国
        make_article(category=tree["company"], title=f"窄行{n}", summary=text(100), body=f"<p>{words}</p>", days_ago=n)
    with connection.cursor() as cursor:
        # A new, empty file (rolled back with the test): earlier tests' dead rows leave gaps
        # that the new rows would fill, and the count of pages would measure those.
        cursor.execute("TRUNCATE search_document")
    search_rebuild()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT (ctid::text::point)[0]), min(length(lead)), min(length(text_sub)), min(length(extra)) "
            "FROM search_document"
        )
        rows, pages, lead, sub_words, extra = cursor.fetchone()
    assert rows == 60 and lead >= 150 and sub_words >= 100 and extra >= 100  # every text is there
    assert rows / pages >= 10, f"{rows} rows on {pages} pages"
    found = get_backend().candidates((Form((Term(("窄",)),)),), low=-(2**62), high=2**62, limit=100)
    assert len(found) == 60


def test_the_word_columns_hold_no_word_of_one_piece_and_such_words_are_still_found(tree):
    """On SQLite a word of one piece (的, 年, 2025, 5g) is indexed once, in the character columns (migrations/0010_multi_piece_words.py).

    Searches never ask the word columns for one, so a second copy there was a fifth of
    the index. What the insert trigger writes, the delete trigger must take out again.
    """
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its index in a tsvector")
    from xinwen.hanzi.segment import pieces
    from xinwen.search.dictionary import current_segmenter
    from xinwen.search.query import parse_query

    SearchDocument.objects.all().delete()
    article = make_article(
        category=tree["company"], title="2025年储能集团的5G年会",
        body="<p>的确，5G基站与中华人民共和国的储能集团在2025年合作，年产值增长。</p>",
    )  # fmt: skip
    search_rebuild()
    row = SearchDocument.objects.get(article_id=article.pk)
    sub_words = set(row.text_sub.split()) | set(row.title_sub.split())
    with connection.cursor() as cursor:
        for table in ("search_fts", "search_fts_title"):
            cursor.execute(f"CREATE VIRTUAL TABLE temp.{table}_terms USING fts5vocab(main, {table}, 'col')")
        cursor.execute("SELECT col, term FROM temp.search_fts_terms UNION ALL SELECT col, term FROM temp.search_fts_title_terms")
        terms = cursor.fetchall()
    words = {term for col, term in terms if col in ("tw", "w")}
    characters = {term for col, term in terms if col in ("tc", "c")}

    assert {"的", "年", "2025", "5g"} <= characters
    assert "集团" in words and "储能" in words
    assert [term for term in words if len(pieces(term)) == 1 and term not in sub_words] == []

    backend = get_backend()
    segmenter = current_segmenter()
    for text in ("2025", "5G", "集团", "年会", '"的确"'):
        forms = parse_query(text, segmenter).forms
        assert backend.candidates(forms, low=-(2**62), high=2**62, limit=10) == [row.key], text
        assert backend.candidates(forms, low=-(2**62), high=2**62, limit=10, title_only=True) == ([] if text == '"的确"' else [row.key]), text

    article.title = "年报"
    article.save()
    search_index_articles(article_ids=[article.pk])
    SearchDocument.objects.all().delete()
    with connection.cursor() as cursor:
        for table in ("search_fts", "search_fts_title"):
            cursor.execute(f"SELECT count(*) FROM temp.{table}_terms")
            assert cursor.fetchone() == (0,), f"{table} kept terms of a deleted document"


def test_the_planner_knows_a_common_pair_is_common_among_the_2500_commonest(db):
    """On PostgreSQL ANALYZE lists 2,500 pairs (migrations/0009_pair_statistics.py), so a common phrase's window is a BitmapAnd.

    1,500 pairs in every one of 300 documents: with the default statistics a third of them
    went unlisted, and the planner took each of those for a pair in almost no document.
    """
    if connection.vendor != "postgresql":
        pytest.skip("the pairs exist on PostgreSQL only")
    pairs = list(range(1, 1501))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_document (article_id, key, category_id, title_len, extra_len, meta_len, body_len, indexed_at, "
            "title, extra, meta, lead, title_sub, body, text_sub, vec, grams) "
            "SELECT n, n, 1, 1, 0, 0, 0, now(), '对', '', '', '', '', '', '', %s::tsvector, %s::int4[] FROM generate_series(1, 300) n",
            ["'对':1", pairs],
        )
        cursor.execute("ANALYZE search_document")
        cursor.execute("SELECT most_common_elems::text::int4[] FROM pg_stats WHERE tablename = 'search_document' AND attname = 'grams'")
        (listed,) = cursor.fetchone()
        assert set(pairs) <= set(listed or ())
        estimates = []
        for pair in (1, 750, 1500):
            cursor.execute("EXPLAIN (FORMAT JSON) SELECT key FROM search_document WHERE grams @> %s::int4[]", [[pair]])
            estimates.append(cursor.fetchone()[0][0]["Plan"]["Plan Rows"])
    assert min(estimates) >= 150, estimates  # each is in all 300


def test_size_is_reported(stations):
    size = get_backend().size()

    assert size["documents"] > 0 and size["index"] > 0


@pytest.fixture
def many(tree):
    """Forty articles that all say 储能, and one that alone says 飞轮."""
    now = timezone.now()
    articles = [make_article(category=tree["company"], title=f"储能电站第{n}期", publish_at=now - timedelta(hours=n)) for n in range(40)]
    articles.append(make_article(category=tree["company"], title="飞轮试验", publish_at=now - timedelta(days=30)))
    search_rebuild()  # ends with a sample on PostgreSQL: the shares the estimates read
    return articles


def test_a_broad_query_gives_the_newest_matches_whatever_the_plan(many):
    """PostgreSQL tries a broad query on the newest documents first; the answer is the same as a full scan."""
    backend = get_backend()
    keys = dict(SearchDocument.objects.values_list("article_id", "key"))
    newest = [keys[a.pk] for a in many[:40]]
    for limit in (1, 2, 5, 40):
        assert backend.candidates((STORAGE,), low=-(2**62), high=2**62, limit=limit) == newest[:limit]
    flywheel = Form((Term(("飞", "轮"), is_word=True),))
    assert backend.candidates((flywheel,), low=-(2**62), high=2**62, limit=2) == [keys[many[-1].pk]]
    phrase = Form((Term(("电", "站")),))
    assert backend.candidates((phrase,), low=-(2**62), high=2**62, limit=3) == newest[:3]


def test_document_frequency_for_term_weights(many):
    """PostgreSQL estimates a common word's from its sample, read once for all terms, and counts a rare one; SQLite leaves it to a sample of matches."""
    backend = get_backend()
    storage, flywheel, phrase = Term(("储", "能"), is_word=True), Term(("飞", "轮"), is_word=True), Term(("电", "站"))
    with CaptureQueriesContext(connection) as queries:
        found = backend.document_frequencies([storage, flywheel, phrase], documents=41)
    assert set(found) == {storage, flywheel, phrase}
    if connection.vendor == "sqlite":
        assert set(found.values()) == {None}
    else:
        assert 35 <= found[storage] <= 41
        assert round(found[flywheel]) == 1
        assert 35 <= found[phrase] <= 41  # no more than its rarest character: both are in every article
        assert sum("search_sample" in query["sql"] for query in queries.captured_queries) == 1


def test_tsvector_literal_positions_weights_and_limits():
    """Pieces at their positions with the field's weight, titles also marked, words at their first piece; at most 255 positions a lexeme, none past 16383."""
    from xinwen.hanzi.segment import Segmenter
    from xinwen.search.documents import Document, build_field

    segmenter = Segmenter()
    empty = build_field([], segmenter)
    title = build_field([("集团公司", "zh-hans")], segmenter)
    body = build_field([("余" * 300 + " 华", "zh-hans")], segmenter)
    entries = {}
    for item in tsvector(Document(1, 1, 1, title, empty, empty, body))[0].split(" "):
        lexeme, positions = item.rsplit(":", 1)
        entries[lexeme.strip("'")] = positions.split(",")

    for mark in ("", "^"):
        assert [entries[mark + c] for c in "集团公司"] == [["2A"], ["3A"], ["4A"], ["5A"]]
        assert entries[mark + "集团公司"] == ["2A"] and entries[mark + "集团"] == ["2A"] and entries[mark + "公司"] == ["4A"]
    # Each field begins with a gap position: extra (6) and meta (7) are empty, the body starts at 9.
    assert entries["余"] == [f"{p}D" for p in range(9, 9 + 255)]  # the first 255 of 300
    assert entries["华"] == ["309D"] and "^余" not in entries
    many = build_field([(" ".join(f"x{n}" for n in range(16500)), "zh-hans")], segmenter)
    assert tsvector(Document(1, 1, 1, empty, empty, empty, many))[0].endswith("'x16499':16383D")
