"""The demo's reading history: charts with something in them, never a real site's counts touched."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Sum

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.stats.demo import demo_history_load
from xinwen.stats.models import DailyViews

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def test_history_covers_the_last_days_and_never_exceeds_an_article_total(tree):
    popular = make_article(category=tree["company"], title="读者多的文章", view_count=4500)
    quiet = make_article(category=tree["company"], title="读者少的文章", view_count=30)
    draft = make_article(category=tree["company"], title="草稿", status=Article.Status.DRAFT, view_count=900)

    made = demo_history_load(days=60, today=TODAY)

    assert made == DailyViews.objects.count() > 0
    days = set(DailyViews.objects.values_list("day", flat=True))
    assert min(days) >= TODAY - timedelta(days=59) and max(days) == TODAY
    totals = dict(DailyViews.objects.values_list("article").annotate(n=Sum("views")))
    assert totals[popular.pk] > totals.get(quiet.pk, 0)
    assert totals[popular.pk] <= 4500 and totals.get(quiet.pk, 0) <= 30
    assert draft.pk not in totals  # readers cannot have read a draft
    # Totals on the page stay what they were: the history is part of them.
    assert Article.objects.get(pk=popular.pk).view_count == 4500


def test_history_is_made_once_and_never_over_real_counts(tree):
    article = make_article(category=tree["company"], view_count=2000)
    DailyViews.objects.create(article=article, day=TODAY, views=7)

    assert demo_history_load(today=TODAY) == 0
    assert list(DailyViews.objects.values_list("views", flat=True)) == [7]


def test_same_history_every_time(tree):
    make_article(category=tree["company"], view_count=3000)
    demo_history_load(today=TODAY)
    first = list(DailyViews.objects.order_by("day").values_list("day", "views"))
    DailyViews.objects.all().delete()
    demo_history_load(today=TODAY)
    assert list(DailyViews.objects.order_by("day").values_list("day", "views")) == first
