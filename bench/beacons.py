"""Beacons per second against `xinwen serve` (granian) on 127.0.0.1, and proof that none is lost.

Usage: .venv/bin/python bench/beacons.py [--stores sqlite,redis] [--seconds 10] [--connections 16]
                                         [--workers 2] [--redis-url redis://127.0.0.1:6379/3]

For each counting store it builds a throw-away site (SQLite in a temp folder, or
PostgreSQL when DATABASE_URL is set, with --stores postgres / postgres+redis), starts
`xinwen serve` (granian) with PROXY_COUNT=1, and drives it with wrk (Debian package `wrk`) posting
beacons exactly as beacon.js does. Every request comes from a different client address
(X-Forwarded-For), so de-duplication hides nothing and every accepted beacon must add
exactly one view. After the run the server is stopped gracefully (its workers flush) and
`xinwen flush_views` runs; the article's count in the database must then equal the
number of beacons the server answered with "counted": true. Goals: >= 2,000/s with
Redis, >= 500/s with SQLite, 0 lost. Without wrk a slower Python load generator is used.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import harness

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
GOALS = {"sqlite": 500, "redis": 2000, "postgres": 500, "postgres+redis": 2000}

WRK_SCRIPT = harness.BEACON_INIT_LUA + r"""
-- Beacons as beacon.js sends them, each from a different client address (PROXY_COUNT=1).
counter, ok, counted, other = 0, 0, 0, 0  -- globals: done() reads them with thread:get()
local threads = {}
local id = 0

function setup(thread)
  id = id + 1
  thread:set("tid", id)
  table.insert(threads, thread)
end


function request()
  counter = counter + 1
  -- 10.<thread>.x.y, 65,000 addresses per thread; 2001:db8:<thread>:<n>:: beyond that.
  local n = counter
  local address
  if n < 65000 then
    address = string.format("10.%d.%d.%d", tid, math.floor(n / 250), n % 250 + 1)
  else
    address = string.format("2001:db8:%x:%x::1", tid, n)
  end
  wrk.headers["X-Forwarded-For"] = address
  return wrk.format()
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if string.find(body, '"counted": true', 1, true) then counted = counted + 1 end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local t_ok, t_counted, t_other = 0, 0, 0
  for _, thread in ipairs(threads) do
    t_ok = t_ok + thread:get("ok")
    t_counted = t_counted + thread:get("counted")
    t_other = t_other + thread:get("other")
  end
  io.write(string.format("RESULT ok=%d counted=%d other=%d requests=%d seconds=%.3f p50=%.2f p99=%.2f errors=%d\n",
    t_ok, t_counted, t_other, summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
"""


def children_cpu() -> float:
    """CPU seconds of this process's finished children: the load generator, once it has exited."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_shares(before: dict, after: dict, seconds: float, server_pid: int, load_generator: float) -> dict[str, float]:
    """Cores used during the run by the app (granian), the load generator, Redis and everything else."""
    shares = {"app": 0.0, "load generator": load_generator, "redis": 0.0, "other processes": 0.0}
    for pid, (name, parent, cpu) in after.items():
        used = cpu - before.get(pid, (name, parent, 0.0))[2]
        if pid == server_pid or parent == server_pid:
            shares["app"] += used
        elif pid == os.getpid():
            continue
        elif name.startswith("redis-server"):
            shares["redis"] += used
        else:
            shares["other processes"] += used
    return {key: round(value / seconds, 2) for key, value in shares.items()}


def shell(env: dict, cwd: Path, code: str) -> str:
    # The last line: Django's shell may announce its automatic imports first.
    return harness.xinwen(env, cwd, "shell", "--no-imports", "-c", textwrap.dedent(code)).strip().splitlines()[-1]


def site_env(store: str, var_dir: Path, redis_url: str, database_url: str | None) -> dict[str, str]:
    env = harness.site_env(
        var_dir,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        PROXY_COUNT="1",
        CACHE_PREFIX=f"xinwen-bench-{secrets.token_hex(4)}",
    )
    if store.startswith("postgres"):
        env["DATABASE_URL"] = database_url
    if store.endswith("redis"):
        env["REDIS_URL"] = redis_url
    return env


def run_wrk(url: str, article_id: int, seconds: int, connections: int, threads: int, folder: Path) -> dict:
    script = folder / "beacon.lua"
    script.write_text(WRK_SCRIPT)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
               f"{url}/stats/view/", "--", str(article_id), UA]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True)
    match = re.search(r"RESULT (.*)", run.stdout)
    if run.returncode or not match:
        raise SystemExit(f"wrk failed:\n{run.stdout}\n{run.stderr}")
    return {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}


def _python_client(args) -> tuple[int, int, int]:
    url, article_id, deadline, index = args
    import http.client

    host, port = url.removeprefix("http://").split(":")
    ok = counted = other = 0
    n = 0
    while time.monotonic() < deadline:
        n += 1
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("POST", "/stats/view/", body=f"article={article_id}", headers={
            "Content-Type": "application/x-www-form-urlencoded", "User-Agent": UA, "Accept-Language": "zh-CN",
            "X-Forwarded-For": f"10.{index}.{n // 250 % 256}.{n % 250 + 1}" if n < 64000 else f"2001:db8:{index:x}:{n:x}::1",
        })  # fmt: skip
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status == 200:
            ok += 1
            counted += b'"counted": true' in body
        else:
            other += 1
    return ok, counted, other


def run_python(url: str, article_id: int, seconds: int, connections: int) -> dict:
    started = time.monotonic()
    deadline = started + seconds
    with multiprocessing.Pool(connections) as pool:
        parts = pool.map(_python_client, [(url, article_id, deadline, i + 1) for i in range(connections)])
    elapsed = time.monotonic() - started
    ok, counted, other = (sum(p[i] for p in parts) for i in range(3))
    return {"ok": ok, "counted": counted, "other": other, "requests": ok + other, "seconds": elapsed,
            "p50": float("nan"), "p99": float("nan"), "errors": 0}  # fmt: skip


def bench(store: str, args) -> dict | None:
    """One store's row, or None when the service it needs (PostgreSQL, Redis) does not answer."""
    if store.endswith("redis") and not harness.redis_reachable(args.redis_url):
        harness.progress(f"beacons: {store} skipped: Redis not reachable at {args.redis_url} (set BENCH_REDIS_URL)")
        return None
    with contextlib.ExitStack() as stack:
        database_url = None
        if store.startswith("postgres"):
            database_url = os.environ.get("DATABASE_URL") or stack.enter_context(harness.postgres_database("beacons"))
            if not database_url:
                return None
        return _bench(store, args, database_url)


def _bench(store: str, args, database_url: str | None) -> dict:
    var_dir = Path(tempfile.mkdtemp(prefix=f"xinwen-bench-{store}-"))
    env = site_env(store, var_dir, args.redis_url, database_url)
    harness.progress(f"beacons: {store}: preparing a site in {var_dir}, then {args.seconds} s of wrk")
    harness.migrated_site(env, var_dir)
    article_id = int(shell(env, var_dir, """
        from django.utils import timezone
        from xinwen.news.models import Article, Category
        category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "压测"})
        article = Article.objects.create(title="压测文章", category=category, status="published",
                                         publish_at=timezone.now() - timezone.timedelta(hours=1), view_count=275)
        print(article.pk)
    """))  # fmt: skip
    port = harness.free_port()
    url = f"http://127.0.0.1:{port}"
    log = var_dir / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            # The access log lets the bench count every answer the server gave (it costs a little).
            [sys.executable, "-m", "xinwen", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--access-log"],
            env=env, cwd=var_dir, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        harness.wait_until_serving(server, url + "/", log)
        before, started, generator = harness.cpu_times(), time.monotonic(), children_cpu()
        if shutil.which("wrk") and not args.python_client:
            result = run_wrk(url, article_id, args.seconds, args.connections, args.threads, var_dir)
            tool = "wrk"
        else:
            result = run_python(url, article_id, args.seconds, args.connections)
            tool = "python"
        cores = cpu_shares(before, harness.cpu_times(), time.monotonic() - started, server.pid, children_cpu() - generator)
    finally:
        server.send_signal(signal.SIGTERM)  # graceful: every worker flushes on exit
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    after_stop = int(shell(env, var_dir, f"from xinwen.news.models import Article; print(Article.objects.get(pk={article_id}).view_count)"))
    harness.xinwen(env, var_dir, "flush_views", "--verbosity", "0")
    final = int(shell(env, var_dir, f"""
        from xinwen.news.models import Article
        import os
        from xinwen.stats.services import counting_store
        store = counting_store()
        if store.name == "redis":  # the counters, and what the pages put in Django's cache
            for key in store.client.scan_iter(match=os.environ["CACHE_PREFIX"] + ":*", count=500):
                store.client.delete(key)
        article = Article.objects.get(pk={article_id})
        print(article.view_count)
        category = article.category
        article.delete()
        category.delete()
    """))  # fmt: skip
    counted_in_db = final - 275
    # wrk drops the answers still in flight when its time is up; the server's access log has them all.
    answered_by_server = sum(1 for line in log.read_text(errors="replace").splitlines() if '"POST /stats/view/ ' in line and '" 200 ' in line)
    report = {
        "store": store,
        "tool": tool,
        "workers": args.workers,
        "beacons_per_second": round(result["requests"] / result["seconds"]),
        "requests": int(result["requests"]),
        "answered_200": int(result["ok"]),
        "counted_answers": int(result["counted"]),
        "non_200": int(result["other"]),
        "socket_errors": int(result["errors"]),
        "p50_ms": result["p50"],
        "p99_ms": result["p99"],
        "server_answered_200": answered_by_server,
        "in_db_after_graceful_stop": after_stop - 275,
        "in_db_after_flush_views": counted_in_db,
        # Every beacon came from a different address, so every 200 must have added one view.
        "lost": answered_by_server - counted_in_db,
        "goal_per_second": GOALS.get(store),
        # The machine is shared: how many of its cores each party used during the run.
        "cores_used": cores,
        "beacons_per_app_cpu_second": round(result["requests"] / result["seconds"] / max(cores["app"], 0.01)),
    }
    shutil.rmtree(var_dir, ignore_errors=True)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,redis", help="comma-separated: sqlite, redis, postgres, postgres+redis")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="app worker processes")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
                        help="a Redis database the bench may write to (its keys are removed after)")  # fmt: skip
    parser.add_argument("--python-client", action="store_true", help="use the Python load generator even if wrk exists")
    args = parser.parse_args()
    stores = [store.strip() for store in args.stores.split(",") if store.strip()]
    measured = {store: bench(store, args) for store in stores}
    reports = [r for r in measured.values() if r]
    load = os.getloadavg()
    print(f"\n{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other processes share the machine)")
    print(f"{'store':<19}{'beacons/s':>10}{'goal':>7}{'p50 ms':>8}{'p99 ms':>8}{'200s':>8}{'in DB':>8}{'lost':>6}"
          f"{'app cores':>10}{'others':>8}{'per app core':>13}")  # fmt: skip
    for r in reports:
        print(f"{r['store']:<19}{r['beacons_per_second']:>10}{r['goal_per_second'] or '':>7}{r['p50_ms']:>8.2f}{r['p99_ms']:>8.2f}"
              f"{r['server_answered_200']:>8}{r['in_db_after_flush_views']:>8}{r['lost']:>6}"
              f"{r['cores_used']['app']:>10.2f}{r['cores_used']['other processes']:>8.2f}{r['beacons_per_app_cpu_second']:>13}")  # fmt: skip
    failed = [r for r in reports if r["lost"] != 0 or r["non_200"] or r["counted_answers"] != r["answered_200"]]
    for r in failed:
        print(f"FAILED {r['store']}: lost={r['lost']} non-200={r['non_200']} uncounted 200s={r['answered_200'] - r['counted_answers']}")
    goals = {}
    for store, r in measured.items():
        if r is None:
            goals[f"{store}: >= {GOALS.get(store)} beacons/s, none lost"] = (None, "skipped: its server is not reachable")
        else:
            met = r["beacons_per_second"] >= (GOALS.get(store) or 0) and r not in failed
            goals[f"{store}: >= {GOALS.get(store)} beacons/s, none lost"] = (met, f"{r['beacons_per_second']}/s, {r['lost']} lost")
    goals = harness.goals_report(goals)
    harness.write_results("beacons", {"settings": {k: v for k, v in vars(args).items() if k != "redis_url"}, "rows": reports, "goals": goals})
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
