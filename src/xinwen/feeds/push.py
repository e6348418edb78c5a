"""Baidu active push: new and updated article URLs are queued after publish and sent in the background.

The editor's save only adds a queue row (after its transaction commits, through
news.changes); a worker — a thread of the web process started on demand, or the
`xinwen baidu_push` command — sends due rows in batches, retries failures with
exponential backoff and gives up after MAX_ATTEMPTS. Off unless BAIDU_PUSH_TOKEN and
a public origin (BAIDU_PUSH_SITE or SITE_URL) are set.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone

from xinwen.feeds import baidu, conf, links
from xinwen.feeds.models import BaiduPush
from xinwen.news.models import Article

__all__ = ["push_article_follow", "push_enqueue", "push_due", "push_retry", "next_due_in", "backoff", "PushReport"]

log = logging.getLogger(__name__)

Status = BaiduPush.Status
PUSH_ACTIONS = {"create", "publish", "schedule", "change", "rollback"}  # may (re)publish content
WITHDRAW_ACTIONS = {"unpublish", "archive", "delete"}
BATCH = 100
MAX_ATTEMPTS = 10  # with the backoff below: about two days of retries
LEASE = timedelta(minutes=5)
KEEP_SENT = timedelta(days=30)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most six hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def article_url(article_id: int) -> str:
    return conf.baidu_site() + links.path_of("news:article", pk=article_id)


def push_article_follow(*, article_id: int, action: str) -> None:
    """news.changes subscriber: runs after the editor's transaction has committed."""
    if not conf.baidu_enabled():
        return
    if action in WITHDRAW_ACTIONS:
        BaiduPush.objects.filter(article_id=article_id, status=Status.PENDING).delete()
        return
    if action not in PUSH_ACTIONS:
        return
    article = Article.objects.released().filter(pk=article_id).only("id", "publish_at").first()
    if article is None or article.publish_at is None:
        return
    push_enqueue(article=article)
    if conf.baidu_thread():
        from xinwen.feeds import worker

        worker.kick()


def push_enqueue(*, article: Article, now: datetime | None = None) -> None:
    """Queue the article's URL, due when it is public (a scheduled article waits for its time)."""
    now = now or timezone.now()
    due = max(now, article.publish_at)
    try:
        with transaction.atomic():
            # Clearing the lease makes a worker that is sending this row right now leave it pending,
            # so the newer content is pushed again.
            BaiduPush.objects.update_or_create(
                url=article_url(article.pk),
                status=Status.PENDING,
                defaults={"article": article, "due_at": due, "claim": None, "claimed_until": None},
            )
    except IntegrityError:
        # A concurrent save queued the same URL first; that row will be sent.
        log.debug("Baidu push for article %s already queued", article.pk)


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    retrying: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # no longer public: nothing to push
    error: str = ""

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.rejected) + len(self.retrying) + len(self.given_up) + len(self.dropped)


def _lease_free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _claim(now: datetime, batch: int) -> uuid.UUID:
    """Lease up to `batch` due rows; the conditional UPDATE makes each row go to one worker only."""
    token = uuid.uuid4()
    due = BaiduPush.objects.filter(_lease_free(now), status=Status.PENDING, due_at__lte=now)
    ids = list(due.order_by("due_at", "id").values_list("id", flat=True)[:batch])
    if ids:
        due.filter(pk__in=ids).update(claim=token, claimed_until=now + LEASE)
    return token


def push_due(*, now: datetime | None = None, batch: int = BATCH) -> PushReport:
    """Send one batch of due URLs to Baidu and record the outcome of each."""
    report = PushReport()
    if not conf.baidu_enabled():
        return report
    now = now or timezone.now()
    token = _claim(now, batch)
    mine = BaiduPush.objects.filter(claim=token)
    entries = list(
        mine.select_related("article").only("id", "url", "attempts", "article__status", "article__publish_at")
    )
    if not entries:
        return report

    sendable: list[BaiduPush] = []
    for entry in entries:
        article = entry.article
        if article is None or not article.is_released or article.publish_at is None:
            mine.filter(pk=entry.pk).delete()
            report.dropped.append(entry.url)
        elif article.publish_at > now:  # rescheduled after it was queued
            mine.filter(pk=entry.pk).update(due_at=article.publish_at, claim=None, claimed_until=None)
        else:
            sendable.append(entry)
    if not sendable:
        return report

    urls = list(dict.fromkeys(entry.url for entry in sendable))
    outcome = baidu.submit(
        urls,
        endpoint=conf.baidu_endpoint(),
        site=conf.baidu_site(),
        token=conf.baidu_token(),
        timeout=conf.baidu_timeout(),
    )
    _record(outcome, sendable, mine, now, report)
    BaiduPush.objects.filter(status=Status.SENT, sent_at__lt=now - KEEP_SENT).delete()
    return report


def _record(outcome: baidu.Outcome, entries: list[BaiduPush], mine, now: datetime, report: PushReport) -> None:
    released = {"claim": None, "claimed_until": None}
    if outcome.error:
        report.error = outcome.error
        log.warning("Baidu push of %d URL(s) failed: %s", len(entries), outcome.error)
        for entry in entries:
            attempts = entry.attempts + (0 if outcome.over_quota else 1)
            if attempts >= MAX_ATTEMPTS:
                mine.filter(pk=entry.pk).update(
                    status=Status.FAILED, attempts=attempts, last_error=outcome.error, **released
                )
                report.given_up.append(entry.url)
                continue
            if outcome.over_quota:  # the daily quota comes back after midnight (Beijing time on Baidu's side)
                due = timezone.localtime(now).replace(hour=0, minute=5, second=0, microsecond=0) + timedelta(days=1)
            else:
                due = now + backoff(attempts)
            mine.filter(pk=entry.pk).update(due_at=due, attempts=attempts, last_error=outcome.error, **released)
            report.retrying.append(entry.url)
        return
    for entry in entries:
        if entry.url in outcome.rejected:
            reason = outcome.rejected[entry.url]
            mine.filter(pk=entry.pk).update(
                status=Status.FAILED, attempts=entry.attempts + 1, last_error=reason, **released
            )
            report.rejected[entry.url] = reason
        else:
            mine.filter(pk=entry.pk).update(
                status=Status.SENT, sent_at=now, attempts=entry.attempts + 1, last_error="", **released
            )
            report.sent.append(entry.url)
    if report.rejected:
        log.warning("Baidu refused %d URL(s): %s", len(report.rejected), report.rejected)
    log.info("Baidu push: %d URL(s) sent, quota left today: %s", len(report.sent), outcome.remain)


def next_due_in(*, now: datetime | None = None) -> float | None:
    """Seconds until a pending row can be sent (leased rows count from the end of their lease); None if none wait."""
    now = now or timezone.now()
    pending = BaiduPush.objects.filter(status=Status.PENDING)
    free = pending.filter(_lease_free(now)).aggregate(at=Min("due_at"))["at"]
    leased = pending.exclude(_lease_free(now)).aggregate(at=Min("claimed_until"))["at"]
    times = [t for t in (free, leased) if t is not None]
    return max((min(times) - now).total_seconds(), 0.0) if times else None


@transaction.atomic
def push_retry(*, entries) -> int:
    """Send given-up rows again from now on (the back office's 「重新推送」 action)."""
    count = 0
    for entry in entries.filter(status=Status.FAILED):
        if BaiduPush.objects.filter(url=entry.url, status=Status.PENDING).exists():
            entry.delete()  # already waiting to go out again
        else:
            BaiduPush.objects.filter(pk=entry.pk).update(
                status=Status.PENDING, due_at=timezone.now(), attempts=0, last_error="", claim=None, claimed_until=None
            )
        count += 1
    return count
