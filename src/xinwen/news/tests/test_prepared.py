"""Prepared queries: compiled once, they answer every later call as the ORM queryset itself would."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import IntegerField, Q, Value
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.news.prepared import Prepared

pytestmark = pytest.mark.django_db


def _listed(*, now: datetime, category: int, since: datetime):
    return Article.objects.published(now=now).filter(category_id=category, publish_at__gte=since).only("id", "title", "publish_at")


@pytest.mark.parametrize("days", [0.5, 2.5, 4.5, 10])
def test_a_prepared_query_gives_what_its_queryset_gives_for_each_call(tree, days):
    for n, when in enumerate((1, 2, 3, 4, 5)):
        make_article(category=tree["company" if n % 2 else "industry"], days_ago=when)
    make_article(category=tree["company"], publish_at=timezone.now() + timedelta(days=1))  # scheduled: not yet public
    prepared = Prepared(Article, _listed, now=datetime, category=int, since=datetime)
    now = timezone.now()
    for section in ("company", "industry"):
        since = now - timedelta(days=days)
        values = {"now": now, "category": tree[section].pk, "since": since}
        got = prepared.rows(**values)
        expected = list(_listed(**values))
        assert [(a.pk, a.title, a.publish_at) for a in got] == [(a.pk, a.title, a.publish_at) for a in expected]


def test_every_field_of_a_row_is_what_the_orm_gives_and_annotations_are_attributes(tree):
    """Rows become instances without Django's RawQuerySet: datetimes, booleans and files converted as the ORM does."""
    make_article(category=tree["company"], title="带附件", pinned=True, cover="covers/a.jpg", summary="摘要")
    make_article(category=tree["industry"], days_ago=3)

    def whole(*, now: datetime):
        return Article.objects.published(now=now).annotate(seven=Value(7, output_field=IntegerField())).order_by("pk")

    now = timezone.now()
    got = Prepared(Article, whole, now=datetime).rows(now=now)
    expected = list(whole(now=now))
    fields = [field.attname for field in Article._meta.fields]
    assert [[getattr(a, name) for name in fields] for a in got] == [[getattr(a, name) for name in fields] for a in expected]
    assert [a.seven for a in got] == [7, 7] and got[0].pinned is True and got[0].publish_at.tzinfo is not None
    assert got[0].cover.name == "covers/a.jpg" and not got[0]._state.adding


def test_a_prepared_query_is_compiled_once_and_costs_one_query_a_call(tree):
    article = make_article(category=tree["company"])
    prepared = Prepared(Article, _listed, now=datetime, category=int, since=datetime)
    built = []
    original = prepared.build
    prepared.build = lambda **marks: built.append(1) or original(**marks)
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            rows = prepared.rows(now=timezone.now(), category=tree["company"].pk, since=article.publish_at)
        assert [a.pk for a in rows] == [article.pk] and len(ctx) == 1
    assert built == [1]


def test_a_placeholder_the_sql_does_not_use_is_refused(tree):
    prepared = Prepared(Article, lambda *, now, category: Article.objects.published(now=now), now=datetime, category=int)
    with pytest.raises(ValueError, match="category"):
        prepared.rows(now=timezone.now(), category=1)


def test_a_text_placeholder_takes_each_calls_text(tree):
    first = make_article(category=tree["company"], title="集团召开年度工作会")
    make_article(category=tree["company"], title="集团召开安全生产会")
    prepared = Prepared(Article, lambda *, title: Article.objects.filter(title=title).only("id"), title=str)
    assert [a.pk for a in prepared.rows(title="集团召开年度工作会")] == [first.pk]
    assert prepared.rows(title="没有这篇") == []


def test_a_value_used_twice_is_one_named_parameter_and_percent_signs_of_the_sql_stay(tree):
    """The planner sees `publish_at > :when OR (... publish_at = :when)` as one range (news/prepared.py)."""
    older = make_article(category=tree["company"], title="百分之百", days_ago=3)
    same_time = make_article(category=tree["company"], title="同一时刻", publish_at=older.publish_at)

    def newer(*, when: datetime, pk: int):
        return (
            Article.objects.filter(Q(publish_at__gt=when) | Q(publish_at=when, id__gt=pk))
            .annotate(sign=RawSQL("'100%%'", ()))
            .only("id")
        )

    prepared = Prepared(Article, newer, when=datetime, pk=int)
    got = prepared.rows(when=older.publish_at, pk=older.pk)
    assert [a.pk for a in got] == [same_time.pk] and got[0].sign == "100%"
    sql, constants = prepared._compiled["default"]
    assert sql.count("%(m_when)s") == 2 and sql.count("%(m_pk)s") == 1 and "%s" not in sql.replace("%%", "")
