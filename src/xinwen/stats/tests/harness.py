"""Counting in real OS processes against one shared database (helpers, not tests).

Children are started with multiprocessing's spawn method, so each one imports Django
afresh and calls django.setup() with the environment it is given, exactly like separate
app processes; none shares a connection, a cache or a lock with another.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import threading
import traceback
from dataclasses import dataclass

SPAWN = multiprocessing.get_context("spawn")
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinwen.settings")
    import django
    from django.db.backends.signals import connection_created

    django.setup()
    connection_created.connect(_commit_without_waiting_for_the_disk, weak=False)


def _commit_without_waiting_for_the_disk(sender, connection, **kwargs) -> None:
    # PostgreSQL waits for the WAL to reach the disk at every commit, which on a busy test
    # machine costs milliseconds per view. These tests are about concurrent processes, not
    # durability through a power cut; locking and isolation are exactly as in production.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


# --- what runs in the children -------------------------------------------------------------


def create_article(base: int) -> int:
    """A published article in a category of its own; returns its id."""
    from datetime import timedelta

    from django.utils import timezone

    from xinwen.news.models import Article, Category

    category = Category.objects.create(name="并发测试", slug=f"concurrency-{secrets.token_hex(4)}")
    article = Article.objects.create(
        title="并发计数测试",
        category=category,
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=1),
        view_count=base,
    )
    return article.pk


def record_with_service(article_id: int, worker: int, first: int, n: int) -> None:
    """What the beacon does: views number first..first+n-1 of this worker, each by a different reader."""
    from xinwen.stats.services import view_record

    for i in range(first, first + n):
        view_record(article_id=article_id, address=f"10.{worker}.{i // 250}.{i % 250 + 1}", user_agent=READER_UA)


def record_naively(article_id: int, worker: int, first: int, n: int) -> None:
    """The DedeCMS way: read the count, add one, write it back. Loses counts under concurrency."""
    from xinwen.news.models import Article

    for _ in range(n):
        current = Article.objects.values_list("view_count", flat=True).get(pk=article_id)
        Article.objects.filter(pk=article_id).update(view_count=current + 1)


def process_now() -> str:
    """This process's clock (ISO): the test's own clock may be moved by XINWEN_TEST_CLOCK, a child's is not."""
    from django.utils import timezone

    return timezone.now().isoformat()


def beacons_from_one_network(article_id: int, n: int, when: str) -> int:
    """n beacons from one address at the instant `when` (ISO); returns how many the rate limit let through."""
    from datetime import datetime

    from xinwen.stats.errors import RateLimited
    from xinwen.stats.services import view_record

    allowed = 0
    for _ in range(n):
        try:
            view_record(article_id=article_id, address="203.0.113.7", user_agent=READER_UA, now=datetime.fromisoformat(when))
            allowed += 1
        except RateLimited:
            pass
    return allowed


COUNTERS = {"service": record_with_service, "naive": record_naively}


def totals(article_id: int) -> dict[str, int]:
    """Flush, then what the database holds for the article, and what Redis still holds."""
    from django.db.models import Sum

    from xinwen.news.models import Article
    from xinwen.stats.models import DailyViews
    from xinwen.stats.services import counting_store, views_flush

    views_flush()
    store = counting_store()
    leftover = 0
    if store.name == "redis":
        leftover = len(store.client.keys(f"{store.prefix}pending:*")) + store.client.zcard(store.batches)
    return {
        "view_count": Article.objects.get(pk=article_id).view_count,
        "daily": DailyViews.objects.filter(article_id=article_id).aggregate(n=Sum("views"))["n"] or 0,
        "redis_leftovers": leftover,
    }


def stored_totals(article_id: int) -> dict[str, int]:
    """What the database holds, without flushing first."""
    from django.db.models import Sum

    from xinwen.news.models import Article
    from xinwen.stats.models import DailyViews

    return {
        "view_count": Article.objects.get(pk=article_id).view_count,
        "daily": DailyViews.objects.filter(article_id=article_id).aggregate(n=Sum("views"))["n"] or 0,
    }


def record_then_die_while_flushing(article_id: int, first: int, n: int, moment: str) -> None:
    """Count n views, then flush and get killed with SIGKILL "before_commit" or "after_commit"."""
    import signal

    from xinwen.stats import store_redis
    from xinwen.stats.services import views_flush

    record_with_service(article_id, 99, first, n)

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if moment == "after_commit":
        store_redis.RedisStore._forget = die  # the batch is in the database; Redis still has it
    else:
        store_redis.counts_apply = die  # inside the transaction
    views_flush()
    raise AssertionError("still alive after SIGKILL")


def cleanup(article_id: int) -> None:
    """Delete what a test committed to the shared database and to Redis."""
    from xinwen.news.models import Article
    from xinwen.stats.models import DailySecret, FlushedBatch, ViewFingerprint
    from xinwen.stats.services import counting_store

    article = Article.objects.filter(pk=article_id).select_related("category").first()
    if article is not None:
        category = article.category
        article.delete()  # and its DailyViews
        category.delete()
    ViewFingerprint.objects.all().delete()
    DailySecret.objects.all().delete()
    FlushedBatch.objects.all().delete()
    store = counting_store()
    if store.name == "redis":
        store.keys_delete()


def _count_in_step(index, n, counter, flush_every, base, start, done, shared_id) -> dict | None:
    """One process's part of a run; the first process creates the article and reports the totals."""
    if index == 0:
        shared_id.value = create_article(base)
    start.wait(timeout=120)
    article_id = shared_id.value
    record = COUNTERS[counter]
    step = flush_every or n
    for first in range(0, n, step):
        record(article_id, index, first, min(step, n - first))
        if flush_every:
            from xinwen.stats.services import views_flush

            views_flush()  # flushes racing each other and the counting
    done.wait(timeout=300)
    if index != 0:
        return None
    try:
        return totals(article_id)
    finally:
        cleanup(article_id)


def _serve(env, index, tasks, results, start, done, shared_id) -> None:
    """A long-lived child: django.setup() once, then counting runs as the parent hands them out."""
    try:
        setup_django(env)
    except BaseException:
        results.put(("error", f"worker {index} did not start:\n{traceback.format_exc()}"))
        return
    from django.conf import settings

    from xinwen.stats import salts, services

    while (task := tasks.get()) is not None:
        overrides, arguments = task
        try:
            for name, value in overrides.items():  # e.g. REDIS_URL: which store this run counts in
                setattr(settings, name, value)
            services._stores.clear()
            salts.forget_cached()
            results.put(("ok", _count_in_step(index, *arguments, start, done, shared_id)))
        except BaseException as exc:
            broken = isinstance(exc, threading.BrokenBarrierError)
            results.put(("broken" if broken else "error", f"worker {index}:\n{traceback.format_exc()}"))
            start.abort()
            done.abort()


@dataclass
class RunResult:
    view_count: int
    daily: int
    redis_leftovers: int


class CountingProcesses:
    """`size` spawned processes on one database, each set up once, counting one article in step.

    Reused across runs so that the tests pay for starting Django in 8 processes only once.
    """

    def __init__(self, env: dict[str, str], size: int):
        self.size = size
        self.start, self.done = SPAWN.Barrier(size), SPAWN.Barrier(size)
        self.shared_id, self.results = SPAWN.Value("q", 0), SPAWN.Queue()
        self.tasks = [SPAWN.Queue() for _ in range(size)]
        self.children = [
            SPAWN.Process(
                target=_serve,
                args=(env, index, self.tasks[index], self.results, self.start, self.done, self.shared_id),
                daemon=True,
            )
            for index in range(size)
        ]
        for child in self.children:
            child.start()

    def run(self, *, views_each: int, counter: str, base: int = 0, flush_every: int = 0, settings: dict | None = None) -> RunResult:
        """Every process counts `views_each` views of one new article at the same time (a barrier
        starts them together), optionally flushing every `flush_every` views; then a final flush."""
        if self.start.broken or self.done.broken:
            raise AssertionError("an earlier run broke the processes' barriers")
        for queue in self.tasks:
            queue.put((settings or {}, (views_each, counter, flush_every, base)))
        messages = [self.results.get(timeout=300) for _ in self.children]
        errors = [text for status, text in messages if status == "error"] or [t for s, t in messages if s == "broken"]
        if errors:
            raise AssertionError("a counting process failed:\n" + "\n".join(errors))
        (report,) = [payload for _status, payload in messages if payload]
        return RunResult(**report)

    def close(self) -> None:
        for queue in self.tasks:
            queue.put(None)
        for child in self.children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()


# --- one child at a time -----------------------------------------------------------------


def _call(env, name, args, results) -> None:
    try:
        setup_django(env)
        results.put(("ok", globals()[name](*args)))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def call_and_expect_death(env: dict[str, str], name: str, *args, timeout: float = 120) -> int:
    """Run a function that kills its own process; returns the exit code (-9 for SIGKILL)."""
    results = SPAWN.Queue()
    child = SPAWN.Process(target=_call, args=(env, name, args, results), daemon=True)
    child.start()
    child.join(timeout=timeout)
    if child.is_alive():
        child.kill()
        raise AssertionError(f"{name} did not end within {timeout} s")
    if not results.empty():
        status, payload = results.get()
        raise AssertionError(f"{name} ended without being killed ({status}):\n{payload}")
    return child.exitcode


def call(env: dict[str, str], name: str, *args, timeout: float = 120):
    """Run one of this module's functions in a fresh spawned process and return its result."""
    results = SPAWN.Queue()
    child = SPAWN.Process(target=_call, args=(env, name, args, results), daemon=True)
    child.start()
    try:
        status, payload = results.get(timeout=timeout)
    finally:
        child.join(timeout=30)
    if status != "ok":
        raise AssertionError(f"{name} failed in a child process:\n{payload}")
    return payload
