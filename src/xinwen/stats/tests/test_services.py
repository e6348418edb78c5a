"""Recording views: de-duplication window, day rollover, bots, imported counts, rate limits.

Every test runs against both counting stores (the database, and Redis when available)
with an injected clock.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.stats import services
from xinwen.stats.errors import ArticleNotFound, RateLimited
from xinwen.stats.models import DailySecret, DailyViews, ViewFingerprint
from xinwen.stats.tests.conftest import OTHER_UA, READER_UA, current_views

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
READER = "198.51.100.7"


@pytest.fixture(autouse=True)
def _shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


def local(day, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=SHANGHAI)


@pytest.fixture
def day():
    """A day after the test article was published, so it is public all day."""
    return timezone.localdate() + timedelta(days=2)


def view(article, at, *, address=READER, user_agent=READER_UA, **kwargs):
    return services.view_record(article_id=article.pk, address=address, user_agent=user_agent, now=at, **kwargs)


def daily(article) -> dict:
    return dict(DailyViews.objects.filter(article=article).values_list("day", "views"))


def test_a_view_adds_to_the_imported_base_count(store, article, day):
    outcome = view(article, local(day, 9))

    assert outcome.counted and outcome.views == 276
    assert current_views(article) == 276
    assert daily(article) == {day: 1}


@pytest.mark.parametrize(
    "minutes, counted",
    [
        ([0, 29], [True, False]),
        ([0, 30], [True, True]),
        ([0, 29.99], [True, False]),
        # The window runs from the counted view: repeats inside it do not extend it.
        ([0, 20, 29, 31], [True, False, False, True]),
        ([0, 20, 40, 45, 75], [True, False, True, False, True]),
    ],
)
def test_a_reader_counts_once_per_30_minutes(store, article, day, minutes, counted):
    start = local(day, 10)

    outcomes = [view(article, start + timedelta(minutes=m)) for m in minutes]

    assert [o.counted for o in outcomes] == counted
    assert current_views(article) == 275 + sum(counted)
    assert [o.views for o in outcomes] == [275 + sum(counted[: i + 1]) for i in range(len(counted))]


def test_other_readers_browsers_and_articles_count_separately(store, article, tree, day):
    other_article = make_article(category=tree["company"], view_count=10)
    at = local(day, 11)

    assert view(article, at).counted
    assert view(article, at, address="198.51.100.8").counted
    assert view(article, at, user_agent=OTHER_UA).counted
    assert view(other_article, at).counted
    assert not view(article, at + timedelta(minutes=1)).counted

    assert current_views(article) == 278
    assert current_views(other_article) == 11


def test_one_ipv6_network_counts_as_one_reader(store, article, day):
    at = local(day, 11)

    assert view(article, at, address="2001:db8:1:2::1").counted
    assert not view(article, at, address="2001:db8:1:2:aaaa::5").counted
    assert view(article, at, address="2001:db8:1:3::1").counted


def test_day_rollover_keeps_the_window_and_splits_the_days(store, article, day):
    next_day = day + timedelta(days=1)

    assert view(article, local(day, 23, 50)).counted
    assert view(article, local(day, 23, 59, 59), address="198.51.100.9").counted
    # New day, new secret: the reader from 23:50 is still recognised until 00:20.
    assert not view(article, local(next_day, 0, 10)).counted
    assert view(article, local(next_day, 0, 0, 1), address="198.51.100.10").counted
    assert view(article, local(next_day, 0, 21)).counted

    assert current_views(article) == 275 + 4
    assert daily(article) == {day: 2, next_day: 2}
    assert DailySecret.objects.filter(day__in=[day, next_day]).count() == 2


def test_secrets_and_fingerprints_are_forgotten_after_the_day(store, article, day):
    next_day = day + timedelta(days=1)
    view(article, local(day, 23, 50))
    first_secret = DailySecret.objects.get(day=day).secret

    services.stats_housekeep(now=local(next_day, 0, 29))  # still needed for readers from before midnight
    assert DailySecret.objects.filter(day=day).exists()

    services.stats_housekeep(now=local(next_day, 0, 31))
    assert not DailySecret.objects.filter(day=day).exists()
    assert not ViewFingerprint.objects.exists()  # (Redis lets them expire after the window by itself)
    assert view(article, local(next_day, 0, 30)).counted
    assert DailySecret.objects.get(day=next_day).secret != first_secret


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36",
        "python-requests/2.32.3",
        "",
    ],
)
def test_bots_get_the_count_but_are_not_counted(store, article, day, user_agent):
    outcome = view(article, local(day, 12), user_agent=user_agent)

    assert (outcome.counted, outcome.views) == (False, 275)
    assert current_views(article) == 275 and daily(article) == {}


def test_automated_requests_are_not_counted(store, article, day):
    outcome = view(article, local(day, 12), automated=True)

    assert (outcome.counted, outcome.views) == (False, 275)
    assert current_views(article) == 275


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED])
def test_only_published_articles_are_counted(store, tree, day, status):
    hidden = make_article(category=tree["company"], status=status, publish_at=timezone.now() - timedelta(days=3))

    with pytest.raises(ArticleNotFound):
        view(hidden, local(day, 12))
    assert current_views(hidden) == 0


def test_a_scheduled_article_counts_from_its_publish_time(store, tree, day):
    scheduled = make_article(category=tree["company"], publish_at=local(day, 12))

    with pytest.raises(ArticleNotFound):
        view(scheduled, local(day, 11, 59))
    assert view(scheduled, local(day, 12, 1)).counted


def test_unknown_article(store, db, day):
    with pytest.raises(ArticleNotFound):
        services.view_record(article_id=987654321, address=READER, user_agent=READER_UA, now=local(day, 12))


def test_hammering_counts_once(store, article, day):
    start = local(day, 13)

    outcomes = [view(article, start + timedelta(seconds=i)) for i in range(100)]

    assert sum(o.counted for o in outcomes) == 1
    assert current_views(article) == 276


def test_rate_limit_per_client_network(store, article, day, settings):
    settings.STATS_RATE_LIMIT = 5
    start = local(day, 14)

    for n in range(5):  # a different browser each time, so each one would count
        assert view(article, start, user_agent=f"{READER_UA} n{n}").counted
    with pytest.raises(RateLimited) as refused:
        view(article, start, user_agent=f"{READER_UA} n5")

    assert 0 < refused.value.retry_after <= 60
    assert view(article, start, address="198.51.100.99").counted  # other readers are not affected
    assert view(article, start + timedelta(seconds=61), user_agent=f"{READER_UA} n6").counted  # the next minute
    assert current_views(article) == 275 + 7


def test_nothing_stored_contains_the_readers_address(store, article, day):
    for n in range(3):
        view(article, local(day, 15, n), address=f"198.51.100.{n + 1}")

    stored = [str(row) for model in (ViewFingerprint, DailySecret, DailyViews) for row in model.objects.values_list()]
    if store.name == "redis":
        stored += [key.decode() for key in store.client.scan_iter(f"{store.prefix}*")]
    assert stored and not any("198.51.100" in text for text in stored)


def test_counts_reach_both_the_total_and_the_daily_rows(store, article, day):
    for n in range(20):
        view(article, local(day, 16), address=f"198.51.100.{n + 1}")
    for n in range(5):
        view(article, local(day + timedelta(days=1), 9), address=f"198.51.100.{n + 1}")

    assert current_views(article) == 275 + 25
    assert DailyViews.objects.filter(article=article).aggregate(n=Sum("views"))["n"] == 25
