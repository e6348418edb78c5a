"""Baidu active push against a stand-in for Baidu's API on 127.0.0.1: queued after publish, sent in the background."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.feeds import push, worker
from xinwen.feeds.models import BaiduPush

pytestmark = pytest.mark.django_db

Status = BaiduPush.Status
SITE = "https://news.example.org"


@pytest.fixture
def publish(editor, django_capture_on_commit_callbacks):
    """Publish (or schedule) through the editorial service, running the after-commit notices."""

    def run(article, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            services.article_publish(article=article, user=editor, **kwargs)
        return article

    return run


@pytest.fixture
def draft(tree, site):
    return make_article(category=tree["company"], title="新闻发布会", status="review")


def test_publishing_queues_the_article_and_the_worker_sends_it(baidu, draft, publish):
    publish(draft)
    (entry,) = BaiduPush.objects.all()
    assert (entry.url, entry.status) == (f"{SITE}/article/{draft.pk}/", Status.PENDING)
    assert baidu.requests == []  # the editor's save sent nothing itself

    report = push.push_due()

    (request,) = baidu.requests
    assert request["path"] == "/urls"
    assert request["query"] == {"site": [SITE], "token": ["test-token-123"]}
    assert request["content_type"] == "text/plain"
    assert request["urls"] == [f"{SITE}/article/{draft.pk}/"]
    assert report.sent == [f"{SITE}/article/{draft.pk}/"]
    entry.refresh_from_db()
    assert (entry.status, entry.attempts, entry.last_error) == (Status.SENT, 1, "")
    assert entry.sent_at is not None


def test_nothing_is_queued_or_sent_when_the_token_is_not_set(baidu, draft, publish, settings):
    settings.BAIDU_PUSH_TOKEN = ""

    publish(draft)
    push.push_due()

    assert BaiduPush.objects.count() == 0
    assert baidu.requests == []


def test_the_push_is_off_by_default(site, settings):
    from xinwen.feeds import conf

    del settings.BAIDU_PUSH_TOKEN
    assert conf.baidu_enabled() is False


def test_a_failure_is_retried_with_backoff(baidu, draft, publish, caplog):
    baidu.replies.append((500, {"error": 500, "message": "internal error, please try later"}))
    publish(draft)
    now = timezone.now()

    first = push.push_due(now=now)

    entry = BaiduPush.objects.get()
    assert first.retrying == [entry.url] and first.sent == []
    assert (entry.status, entry.attempts) == (Status.PENDING, 1)
    assert entry.due_at == now + timedelta(minutes=1)
    assert "internal error" in entry.last_error
    assert "test-token-123" not in entry.last_error + caplog.text

    assert push.push_due(now=now + timedelta(seconds=30)).handled == 0  # not due yet
    assert len(baidu.requests) == 1

    second = push.push_due(now=now + timedelta(seconds=61))

    assert second.sent == [entry.url]
    assert len(baidu.requests) == 2
    entry.refresh_from_db()
    assert (entry.status, entry.attempts) == (Status.SENT, 2)


@pytest.mark.parametrize("attempts, minutes", [(1, 1), (2, 2), (3, 4), (6, 32), (9, 256), (10, 360), (20, 360)])
def test_backoff_doubles_up_to_six_hours(attempts, minutes):
    assert push.backoff(attempts) == timedelta(minutes=minutes)


def test_after_the_last_attempt_the_url_is_given_up(baidu, draft, publish):
    publish(draft)
    BaiduPush.objects.update(attempts=push.MAX_ATTEMPTS - 1)
    baidu.replies.append((401, {"error": 401, "message": "token is not valid"}))

    report = push.push_due()

    entry = BaiduPush.objects.get()
    assert report.given_up == [entry.url]
    assert (entry.status, entry.last_error) == (Status.FAILED, "HTTP 401: token is not valid")


def test_an_unreachable_api_is_retried(baidu, draft, publish, settings):
    settings.BAIDU_PUSH_ENDPOINT = "http://127.0.0.1:9/urls"  # discard port: nothing listens
    publish(draft)

    report = push.push_due()

    entry = BaiduPush.objects.get()
    assert report.retrying == [entry.url]
    assert entry.status == Status.PENDING and entry.attempts == 1
    assert "无法连接" in entry.last_error and "test-token-123" not in entry.last_error


def test_over_quota_waits_for_tomorrow_without_using_an_attempt(baidu, draft, publish):
    baidu.replies.append((400, {"error": 400, "message": "over quota"}))
    publish(draft)
    now = timezone.now()

    push.push_due(now=now)

    entry = BaiduPush.objects.get()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    assert timezone.localtime(entry.due_at).date() == tomorrow
    assert (timezone.localtime(entry.due_at).hour, entry.attempts) == (0, 0)


def test_urls_baidu_refuses_are_not_retried(baidu, tree, site, publish):
    first = make_article(category=tree["company"], status="review")
    second = make_article(category=tree["company"], status="review")
    publish(first)
    publish(second)
    refused = f"{SITE}/article/{second.pk}/"
    baidu.replies.append((200, {"remain": 10, "success": 1, "not_same_site": [], "not_valid": [refused]}))

    report = push.push_due()

    assert report.sent == [f"{SITE}/article/{first.pk}/"]
    assert list(report.rejected) == [refused]
    assert BaiduPush.objects.get(url=refused).status == Status.FAILED
    assert "not_valid" in BaiduPush.objects.get(url=refused).last_error


def test_a_scheduled_article_is_pushed_when_it_goes_live(baidu, draft, publish):
    when = timezone.now() + timedelta(hours=3)
    publish(draft, publish_at=when)

    assert push.push_due().handled == 0
    assert baidu.requests == []
    assert BaiduPush.objects.get().due_at == when
    assert 0 < push.next_due_in() <= 3 * 3600

    report = push.push_due(now=when + timedelta(seconds=1))

    assert report.sent == [f"{SITE}/article/{draft.pk}/"]


def test_an_update_is_pushed_again_and_queued_once(baidu, draft, publish, editor, django_capture_on_commit_callbacks):
    publish(draft)
    push.push_due()
    for title in ("改一", "改二"):
        draft.title = title
        with django_capture_on_commit_callbacks(execute=True):
            services.article_save(article=draft, user=editor, changed_fields=["title"])

    assert BaiduPush.objects.filter(status=Status.PENDING).count() == 1
    push.push_due()
    assert [r["urls"] for r in baidu.requests] == [[f"{SITE}/article/{draft.pk}/"]] * 2


@pytest.mark.parametrize("withdraw", ["article_unpublish", "article_archive"])
def test_an_article_withdrawn_before_the_push_is_never_sent(
    baidu, draft, publish, editor, django_capture_on_commit_callbacks, withdraw
):
    publish(draft)
    with django_capture_on_commit_callbacks(execute=True):
        getattr(services, withdraw)(article=draft, user=editor)

    push.push_due()

    assert BaiduPush.objects.count() == 0
    assert baidu.requests == []


def test_a_queued_article_that_is_no_longer_public_is_dropped_at_send_time(baidu, draft, publish):
    publish(draft)
    draft.__class__.objects.filter(pk=draft.pk).update(status="draft")  # e.g. changed outside the services

    report = push.push_due()

    assert report.dropped == [f"{SITE}/article/{draft.pk}/"]
    assert baidu.requests == []


def test_rows_another_worker_is_sending_are_left_alone(baidu, draft, publish):
    publish(draft)
    now = timezone.now()
    push._claim(now, push.BATCH)  # another process leased the row a moment ago

    assert push.push_due(now=now).handled == 0
    assert baidu.requests == []
    assert push.push_due(now=now + push.LEASE + timedelta(seconds=1)).sent  # its lease ran out: the row is free


def test_the_command_sends_what_is_due(baidu, draft, publish, capsys):
    publish(draft)

    call_command("baidu_push", "--dry-run")
    assert f"{SITE}/article/{draft.pk}/" in capsys.readouterr().out
    assert baidu.requests == []

    call_command("baidu_push")

    assert "已推送 1 个" in capsys.readouterr().out
    assert len(baidu.requests) == 1
    call_command("baidu_push")
    assert len(baidu.requests) == 1  # idempotent: nothing due any more


def test_the_command_says_how_to_switch_the_push_on(site):
    with pytest.raises(CommandError, match="BAIDU_PUSH_TOKEN"):
        call_command("baidu_push")


def test_given_up_urls_can_be_retried_from_the_back_office(baidu, draft, publish):
    publish(draft)
    BaiduPush.objects.update(status=Status.FAILED, attempts=push.MAX_ATTEMPTS, last_error="HTTP 401")

    assert push.push_retry(entries=BaiduPush.objects.all()) == 1

    assert push.push_due().sent == [f"{SITE}/article/{draft.pk}/"]


@pytest.mark.parametrize(
    "token, site_, site_url, ids",
    [
        ("", "", "", []),
        ("t", "", "", ["feeds.E001"]),
        ("t", "news.example.org", "", ["feeds.E002"]),
        ("t", "https://news.example.org/news/", "", ["feeds.E002"]),
        ("t", "https://news.example.org", "https://www.example.org", ["feeds.W001"]),
        ("t", "", "https://news.example.org", []),
        ("t", "https://news.example.org", "https://news.example.org", []),
    ],
)
def test_a_switched_on_push_must_be_configured_to_work(settings, token, site_, site_url, ids):
    settings.BAIDU_PUSH_TOKEN, settings.BAIDU_PUSH_SITE, settings.SITE_URL = token, site_, site_url

    from xinwen.feeds.checks import baidu_push_configuration

    assert [message.id for message in baidu_push_configuration()] == ids
    assert all(isinstance(message, checks.CheckMessage) for message in baidu_push_configuration())


@pytest.mark.django_db(transaction=True)
def test_the_editor_never_waits_for_baidu(baidu, tree, site, editor, settings):
    """With the background thread on and a slow Baidu, publishing returns at once and the URL still goes out."""
    settings.BAIDU_PUSH_THREAD = True
    baidu.delay = 2.0
    article = make_article(category=tree["company"], status="review")

    started = time.monotonic()
    services.article_publish(article=article, user=editor)  # autocommit: after-commit notices run at once
    elapsed = time.monotonic() - started

    assert elapsed < 1.0
    assert worker.is_running()
    # Wait for the thread without touching the database meanwhile (in-memory SQLite locks whole tables).
    deadline = time.monotonic() + 20
    while worker.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not worker.is_running(), "the worker thread ends when the queue is empty"
    assert BaiduPush.objects.get().status == Status.SENT
    assert baidu.requests[0]["urls"] == [f"{SITE}/article/{article.pk}/"]
