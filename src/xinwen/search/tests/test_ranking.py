"""BM25F ranking with a title boost and a mild recency boost (pure)."""

from __future__ import annotations

import pytest

from xinwen.search.documents import KEY_SHIFT
from xinwen.search.query import Form, Term
from xinwen.search.ranking import Candidate, Stats, idf, occurrences, rank, recency

NOW = 1_750_000_000
DAY = 86400
STATS = Stats(documents=1000, average_lengths={"title": 10, "extra": 30, "meta": 5, "lead": 200})
STORAGE = Term(("储", "能"), is_word=True)
COOLING = Term(("液", "冷"), is_word=True)


def doc(article_id, *, title="", body="", age_days=30):
    """A candidate from space-separated words ("储能 电站"), stored as the index stores them."""

    def stored(words):
        return "|".join(" ".join(w) if not w.isascii() else w for w in words.split())

    fields = {"title": stored(title), "extra": "", "meta": "", "lead": stored(body)}
    lengths = {name: len(text.split()) for name, text in (("title", title), ("extra", ""), ("meta", ""), ("lead", body))}
    return Candidate(article_id, ((NOW - age_days * DAY) << KEY_SHIFT) + article_id, fields, lengths)


def order(candidates, *forms, weights=None):
    return [article_id for article_id, _ in rank(candidates, forms, weights or {}, STATS, NOW)]


def test_a_title_match_outranks_body_mentions():
    in_title = doc(1, title="储能 电站 投运", body="今天 投运")
    in_body = doc(2, title="集团 新闻", body="储能 " * 30 + "项目")  # any number of mentions

    assert order([in_body, in_title], Form((STORAGE,))) == [1, 2]


def test_more_mentions_rank_higher_but_saturate():
    once = doc(1, body="储能 " + "其他 " * 50)
    thrice = doc(2, body="储能 储能 储能 " + "其他 " * 48)
    many = doc(3, body="储能 " * 40 + "其他 " * 11)

    scores = dict(rank([once, thrice, many], (Form((STORAGE,)),), {}, STATS, NOW))
    assert scores[1] < scores[2] < scores[3]
    assert scores[3] - scores[2] < scores[2] - scores[1]


def test_a_whole_word_counts_more_than_the_same_characters_inside_other_words():
    word = doc(1, body="储能 系统")
    inside = doc(2, body="存储 能力")  # 储能 only across two words

    assert order([inside, word], Form((STORAGE,))) == [1, 2]


def test_recency_is_mild():
    assert recency(((NOW) << KEY_SHIFT), NOW) == 1.25
    assert abs(recency(((NOW - 365 * DAY) << KEY_SHIFT), NOW) - 1.125) < 1e-9
    old_title = doc(1, title="储能 电站", age_days=1500)
    new_body = doc(2, title="集团 新闻", body="储能 项目 储能 " + "其他 " * 300, age_days=0)
    same_old = doc(3, title="储能 电站", age_days=400)
    same_new = doc(4, title="储能 电站", age_days=2)

    assert order([new_body, old_title], Form((STORAGE,))) == [1, 2]  # relevance first
    assert order([same_old, same_new], Form((STORAGE,))) == [4, 3]  # then newer


def test_rare_terms_weigh_more():
    common_twice = doc(1, body="储能 储能 其他")
    rare_once = doc(2, body="液冷 其他 其他")
    weights = {STORAGE: idf(900, 1000), COOLING: idf(5, 1000)}

    assert idf(5, 1000) > idf(900, 1000) > 0
    assert order([common_twice, rare_once], Form((STORAGE, COOLING)), weights=weights) == [2, 1]


def test_the_best_reading_counts():
    information = Term(("信", "息"), is_word=True)
    letters = Term(("资", "讯"), is_word=True)
    a = doc(1, title="信息 中心")
    b = doc(2, title="资讯 中心")

    scores = dict(rank([a, b], (Form((information,)), Form((letters,))), {}, STATS, NOW))
    assert scores[1] > 0 and scores[2] > 0


def test_phrases_count_their_characters_anywhere():
    name = Term(("周", "建", "国"))
    split = doc(1, body="主任 周 建国 讲话")

    assert dict(rank([split], (Form((name,)),), {}, STATS, NOW))[1] > 0


@pytest.mark.parametrize(
    "term, stored, expected",
    [
        (STORAGE, "储 能|储 能|电 站", 2),  # neighbours share a separator
        (STORAGE, "储 能", 1),
        (STORAGE, "存 储|能 力", 0),  # across two words is not the word
        (Term(("减", "速"), is_word=True), "高 精 度|减 速 器", 1),  # inside a longer word
        (Term(("gdp",), is_word=True), "gdp|gdps|gdp", 2),  # a Latin word only whole
        (Term(("周", "建", "国")), "主 任|周|建 国|讲 话", 1),  # a phrase across words
        (Term(("zl", "rv")), "zl|rv|减 速 器|zl|rv80e", 1),  # Latin pieces are whole
        (Term(("2025", "年")), "12025|年|2025|年", 1),
        (Term(("周",)), "周|建 国|周 末", 2),  # one character: every occurrence
        (Term(("东", "方", "智", "联"), is_word=True, site_term=True), "东 方|智 联|东 方 智 联", 2),
        (STORAGE, "", 0),
    ],
)
def test_occurrences(term, stored, expected):
    assert occurrences(term, stored) == expected
