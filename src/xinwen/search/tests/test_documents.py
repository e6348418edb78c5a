"""What is stored for an article: keys ordered by publish time, fields folded and segmented."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from xinwen.conftest import make_article
from xinwen.hanzi.segment import Segmenter
from xinwen.search.documents import SEPARATOR, build_document, build_field, html_text, key_bound, key_for, key_time

SEGMENTER = Segmenter()
T = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)


def test_keys_order_by_publish_time_then_id():
    keys = [key_for(9, T), key_for(1, T + timedelta(seconds=1)), key_for(2, T + timedelta(seconds=1)), key_for(3, T + timedelta(days=1))]

    assert keys == sorted(keys)
    assert len(set(keys)) == 4
    assert key_bound(T, upper=False) <= key_for(9, T) <= key_bound(T, upper=True) < key_for(1, T + timedelta(seconds=1))
    assert key_time(key_for(123, T)) == T


def test_times_before_1970_share_the_first_second():
    assert key_for(5, datetime(1960, 1, 1, tzinfo=timezone.utc)) == 5


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<p>第一段。</p><p>第二段</p>", "第一段。 第二段"),
        ("<table><tr><td>营业收入</td><td>128.6亿元</td></tr></table>", "营业收入 128.6亿元"),
        ("<p>A&amp;B &lt;C&gt;</p>", "A&B <C>"),
        ("", ""),
    ],
)
def test_html_text(markup, expected):
    assert html_text(markup) == expected


def test_a_field_stores_words_and_their_characters():
    field = build_field([("集团召开2025年大会", "zh-hans"), ("GDP增长", None)], SEGMENTER)

    assert field.stored == f"集 团|召 开|2025|年|大 会|{SEPARATOR}|gdp|增 长"
    assert field.length == 7
    assert field.subwords == ""


def test_sub_words_are_kept_for_the_word_index():
    assert build_field([("高精度减速器", "zh-hans")], SEGMENTER).subwords == "精度 减速"


@pytest.mark.django_db
def test_a_traditional_article_is_stored_in_simplified(tree):
    article = make_article(
        category=tree["company"],
        title="軟體與網站建設",
        subtitle="副標題",
        summary="",
        body="<p>本公司的網站提供資訊服務。</p>",
        source_name="中國工業報",
        author="記者 陳曉峰",
    )

    document = build_document(article, SEGMENTER)

    assert article.source_script == "zh-hant"
    assert document.title.stored == "软 件|与|网 站|建 设"
    assert "网 站" in document.body.stored and "信 息" in document.body.stored
    assert document.meta.stored.startswith("中 国|工 业|报")
    assert "陈" in document.meta.stored
    assert document.key == key_for(article.pk, article.publish_at)
