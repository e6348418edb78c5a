"""Scale-out on one machine: nginx in front of two `xinwen serve` instances on PostgreSQL and Redis.

Usage: BENCH_REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/scaleout.py [--articles 100] [--beacons 300]

Real processes throughout: a PostgreSQL database created for the run (and dropped),
Redis (BENCH_REDIS_URL, a database the bench may write to; page cache, counters and
stamps under a prefix of its own), two `xinwen serve` instances (separate ports, one
worker each, the same DATABASE_URL and REDIS_URL) and nginx load-balancing them with
`proxy_next_upstream` (idempotent GETs that fail on one instance are retried on the other).
While wrk reads article pages through nginx, a publisher process (a Django process of
the same site, writing through news.services) publishes `--articles` new articles and
edits each one's title, and after every write polls both instances directly until the
new title is served; view beacons go through nginx, each from its own client address.
A third of the way through, instance B (its main process and worker) is killed with
SIGKILL, and started again three seconds later, as a process manager would.

Reported: wrk's requests and failures (non-2xx and socket errors), the time until each
edit was visible on each instance (p50 / p99 / max), and views: beacons answered
"counted" against what the database holds after `xinwen flush_views`.
Goals: no failed read, every edit visible on both instances within 1 s, view counts exact.
Writes bench/results/scaleout-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import harness
import pages

BENCH = Path(__file__).resolve().parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
VISIBLE_GOAL_S = 1.0

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-tmp/body;
    proxy_temp_path {tmp}/nginx-tmp/proxy;
    fastcgi_temp_path {tmp}/nginx-tmp/fastcgi;
    uwsgi_temp_path {tmp}/nginx-tmp/uwsgi;
    scgi_temp_path {tmp}/nginx-tmp/scgi;
    upstream xinwen {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=2s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=2s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://xinwen;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $http_x_forwarded_for;
            # A GET that fails on one instance (refused, reset, 502) is tried on the other;
            # a POST (a beacon) is not: it may have been counted already.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 1s;
        }}
    }}
}}
"""


# --- the publisher (a Django process of the site) --------------------------------------------


def _title_on(url: str, pk: int, title: str, deadline: float) -> float | None:
    """Seconds until `url` serves article `pk` with `title`; None when the instance does not answer."""
    started = time.monotonic()
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/article/{pk}/", timeout=2) as response:
                if title in response.read().decode():
                    return time.monotonic() - started
        except urllib.error.HTTPError:
            pass  # 404 until the publish is visible
        except OSError:
            return None  # refused: the instance is down (killed)
        time.sleep(0.01)
    return float("inf")


def publish(count: int, instances: list[str]) -> None:
    """Publish `count` articles and edit each; print one JSON line per write with its visibility per instance."""
    import django

    django.setup()
    from django.utils import timezone

    from xinwen.news import services
    from xinwen.news.models import Article, Category

    category = Category.objects.filter(parent__isnull=False).order_by("pk").first()
    for n in range(count):
        article = Article(title=f"扩展测试稿件第{n}号", body=f"<p>多台应用服务器共同发布的第{n}篇稿件。</p>", category=category)
        services.article_save(article=article, user=services.OPERATOR)
        services.article_publish(article=article, user=services.OPERATOR, publish_at=timezone.now(), confirmed=True)
        for kind, title in (("publish", article.title), ("edit", f"扩展测试稿件第{n}号（已修改）")):
            if kind == "edit":
                article.title = title
                services.article_save(article=article, user=services.OPERATOR, changed_fields=["title"])
            written = time.monotonic()
            seen = [_title_on(url, article.pk, title, written + 10) for url in instances]
            print(json.dumps({"n": n, "kind": kind, "id": article.pk, "visible": seen}), flush=True)


# --- the run ----------------------------------------------------------------------------------


def _kill_tree(process: subprocess.Popen) -> None:
    children = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(p) == process.pid]
    for pid in [process.pid, *children]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def _parent(pid: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("PPid:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def _beacons(url: str, article_ids: list[int], count: int, answers: list[dict]) -> None:
    for n in range(count):
        request = urllib.request.Request(
            f"{url}/stats/view/", data=f"article={article_ids[n % len(article_ids)]}".encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": pages.UA,
                     "Accept-Language": "zh-CN", "X-Forwarded-For": f"10.9.{n // 250}.{n % 250 + 1}"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answers.append({"article": article_ids[n % len(article_ids)], **json.loads(response.read())})
        except (OSError, ValueError) as exc:
            answers.append({"article": article_ids[n % len(article_ids)], "error": str(exc)})
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--beacons", type=int, default=300)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--publish", type=int, help=argparse.SUPPRESS)  # internal: the publisher process
    parser.add_argument("--instances", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publish:
        publish(args.publish, args.instances)
        return 0
    nginx = harness.require_tools("wrk", "nginx")["nginx"]
    if not harness.redis_reachable(REDIS_URL):
        harness.progress(f"scaleout skipped: Redis does not answer at {REDIS_URL} (set BENCH_REDIS_URL)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="xinwen-bench-scaleout-"))
    with harness.postgres_database("scaleout") as database_url:
        if database_url is None:
            harness.progress("scaleout skipped: it needs PostgreSQL (set BENCH_POSTGRES_URL)")
            return 0
        return _run(args, tmp, nginx, database_url)


def _run(args, tmp: Path, nginx: str, database_url: str) -> int:
    env = harness.site_env(
        tmp, DATABASE_URL=database_url, REDIS_URL=REDIS_URL, CACHE_PREFIX=f"xinwen-scaleout-{secrets.token_hex(4)}",
        ALLOWED_HOSTS="127.0.0.1", DEBUG="0", PAGE_CACHE="1", PROXY_COUNT="1", PYTHONUNBUFFERED="1",
        STATS_FLUSH_SECONDS="2",
    )  # fmt: skip
    harness.progress(f"scaleout: migrate and the demo site on PostgreSQL ({tmp})")
    harness.xinwen(env, tmp, "migrate", "--no-input", "--verbosity", "0")
    harness.xinwen(env, tmp, "demo", "--no-server")
    import psycopg

    with psycopg.connect(database_url) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM news_article WHERE status = 'published' ORDER BY id")]
        views_before = dict(db.execute("SELECT id, view_count FROM news_article").fetchall())
    ports = {name: harness.free_port() for name in ("a", "b", "nginx")}
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    servers: dict[str, subprocess.Popen] = {}

    def start(name: str) -> None:
        servers[name] = pages.start(pages.serve_command(ports[name], 1), env, tmp, tmp / f"serve-{name}.log", url[name] + "/")

    try:
        harness.progress("two xinwen serve instances (1 worker each) and nginx in front")
        start("a")
        start("b")
        (tmp / "nginx-tmp").mkdir()
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=ports["nginx"], a=ports["a"], b=ports["b"]))
        servers["nginx"] = pages.start([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                                       env, tmp, tmp / "nginx-out.log", url["nginx"] + "/")  # fmt: skip
        (tmp / "rotate.lua").write_text(pages.ROTATE_LUA)
        seconds = max(20, args.articles // 2)
        reads: dict = {}
        reader = threading.Thread(target=lambda: reads.update(pages.wrk_once(
            url["nginx"], argparse.Namespace(connections=args.connections, seconds=seconds), tmp / "rotate.lua", (ids[0], ids[-1], "")
        )))  # fmt: skip
        answers: list[dict] = []
        beacons = threading.Thread(target=_beacons, args=(url["nginx"], ids, args.beacons, answers))
        harness.progress(f"reading with wrk for {seconds} s; publishing and editing {args.articles} articles; beacons")
        reader.start()
        beacons.start()
        publisher = subprocess.Popen([sys.executable, __file__, "--publish", str(args.articles), "--instances", url["a"], url["b"]],
                                     env=env, cwd=tmp, stdout=subprocess.PIPE, text=True)  # fmt: skip
        writes, killed_at = [], None
        for line in publisher.stdout:
            writes.append(json.loads(line))
            if killed_at is None and len(writes) >= 2 * args.articles // 3:
                harness.progress("SIGKILL to instance B (main process and worker)")
                _kill_tree(servers["b"])
                killed_at = len(writes)
                threading.Timer(3, start, args=("b",)).start()
        publisher.wait()
        reader.join()
        beacons.join()
        if publisher.returncode:
            raise SystemExit("the publisher failed")
        time.sleep(1)
        for name in ("a", "b"):
            pages.stop(servers.pop(name))  # workers flush their counts on the way out
        harness.xinwen(env, tmp, "flush_views")
        with psycopg.connect(database_url) as db:
            views_after = dict(db.execute("SELECT id, view_count FROM news_article").fetchall())
    finally:
        for process in servers.values():
            pages.stop(process)

    counted = sum(1 for a in answers if a.get("counted"))
    stored = sum(views_after.get(pk, 0) - views_before.get(pk, 0) for pk in views_before)
    beacon_errors = sum(1 for a in answers if "error" in a)
    latencies = {name: [w["visible"][i] for w in writes if w["visible"][i] is not None] for i, name in enumerate(("a", "b"))}
    skipped_b = sum(1 for w in writes if w["visible"][1] is None)
    failed_reads = reads.get("non_2xx", 0)
    socket_errors = reads.get("socket_errors", "")
    print(f"reads through nginx: {reads.get('requests', 0):,} requests, {reads.get('rps', 0):.0f} req/s, "
          f"non-2xx {failed_reads}, socket errors: {socket_errors or 'none'}")  # fmt: skip
    print(f"writes: {len(writes)} (publish + edit of {args.articles} articles); B killed after write {killed_at}, "
          f"restarted 3 s later; {skipped_b} checks on B while it was down")  # fmt: skip
    for name, values in latencies.items():
        finite = sorted(values)
        if finite:
            p99 = finite[min(len(finite) - 1, int(len(finite) * 0.99))]
            print(f"visible on {name.upper()}: p50 {statistics.median(finite) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
                  f"max {finite[-1] * 1000:.0f} ms ({len(finite)} writes)")  # fmt: skip
    print(f"views: {len(answers)} beacons, {counted} answered counted, {beacon_errors} failed; "
          f"the database gained {stored}")  # fmt: skip
    worst = max((v for values in latencies.values() for v in values), default=float("inf"))
    goals = harness.goals_report({
        "no failed read through nginx": (failed_reads == 0 and not socket_errors, f"non-2xx {failed_reads}, socket errors {socket_errors or 'none'}"),
        f"every edit visible on both instances within {VISIBLE_GOAL_S:.0f} s": (worst <= VISIBLE_GOAL_S, f"slowest {worst * 1000:.0f} ms"),
        "view counts exact": (stored == counted, f"counted {counted}, stored {stored}"),
    })  # fmt: skip
    harness.write_results("scaleout", {"articles": args.articles, "reads": reads, "writes": writes, "killed_after": killed_at,
                                       "beacons": len(answers), "counted": counted, "stored": stored, "goals": goals})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
