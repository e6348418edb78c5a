"""Pages per second: xinwen behind its page cache against nginx and a bare WSGI app, with wrk.

Usage: .venv/bin/python bench/pages.py [--articles 10000] [--seconds 5] [--runs 3] [--connections 32]
                                       [--workers 2] [--keep]

Builds a throw-away site (SQLite in a temp folder): migrate, the demo news center, then
10,000 generated articles of about 2,000 characters recombined from the demo's Chinese
sentences, in the demo's sections. Then it measures with wrk (Debian package `wrk`;
1 thread, 32 connections, 5 s, 3 runs, medians of req/s, p50 and p99):

- the ceilings: nginx (its own config, 2 workers) serving a saved copy of one article
  page, and a bare WSGI app returning the same bytes under the same server and flags
  as `xinwen serve` (granian), and under gunicorn's sync worker for comparison;
- `xinwen serve` (production settings, 2 workers) with the page cache on: the article
  page in each script (hits), home, category list pages 1 and 50 (hits), the article
  page with a cold cache (a different article on every request, asking for brotli as
  browsers and crawlers do: render + compress + store), and the view beacon (POST /stats/view/, each from its own client address, so
  every one is counted: none is de-duplicated or rate-limited);
- `xinwen serve` with PAGE_CACHE=0: the article page in each script (a different article
  on every request), home, list pages 1 and 50, and search (when the search app answers);
- the peer: a plain Django project (bench/peer.py: Django's default middleware, one view,
  3 queries) rendering the same articles from the same database under the same server and
  flags, so the ratio of a xinwen miss to a plain Django render is measured in the run.

All servers stay up during the measurements and each run goes through every row in turn,
so a change in the machine's load (it may be shared) touches all rows alike: compare the
ratios within one run. It prints one table (req/s, p50, p99, ratio to nginx, and the CPU the
server's processes used per request: compare it with bench/profile_miss.py's in-process figure), the
memory of every worker after the runs (RSS, PSS and USS from /proc/PID/smaps_rollup), and
the goals, each met or NOT met; and writes bench/results/pages-<time>.json. Progress goes
to stderr. Without wrk or nginx it stops before building anything and names the package to install.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import harness
import peer

ROOT = Path(__file__).resolve().parent
VARIANTS = {"zh-hans": "", "zh-hant": "/zh-hant", "zh-tw": "/zh-tw", "zh-hk": "/zh-hk"}
SECTIONS = ("company", "industry", "notices", "media")
SEARCH_WORDS = ["智能制造", "新能源", "安全生产", "数字化转型", "科技创新", "工业互联网", "人才招聘", "招标", "质量", "职工"]
PEER = "plain Django article, 3 queries (granian)"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

ROTATE_LUA = r"""
-- A different article on every request: args = first id, last id, script prefix[, Accept-Encoding].
-- With the prefix "*" the scripts take turns (each article in all four, a page each) and the
-- run stops at the first page-cache hit: past that point every page has been stored and the
-- requests would measure hits. wrk then still divides by the whole duration, so such a run
-- says "wrapped" and its rate is a lower bound.
local first, count, prefix, headers, n
local scripts = {"", "/zh-hant", "/zh-tw", "/zh-hk"}
function init(args)
  first = tonumber(args[1]); count = tonumber(args[2]) - first + 1; prefix = args[3] or ""
  headers = {}
  if args[4] and args[4] ~= "" then headers["Accept-Encoding"] = args[4] end
  n = math.random(0, count - 1) * (prefix == "*" and 4 or 1)
  if prefix == "*" then  -- defined only here: wrk reads the answers' headers only for a script that asks
    response = function(status, answer, body)
      if answer["X-Page-Cache"] == "hit" then
        wrapped = true
        wrk.thread:stop()
      end
    end
  end
end
function request()
  n = n + 1
  if prefix == "*" then
    return wrk.format("GET", scripts[n % 4 + 1] .. "/article/" .. (first + math.floor(n / 4) % count) .. "/", headers)
  end
  return wrk.format("GET", prefix .. "/article/" .. (first + n % count) .. "/", headers)
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") then io.write("wrapped: a page-cache hit stopped the run\n") end
  end
end
"""

# What browsers and search engines' crawlers send: a stored miss is compressed in brotli.
CRAWLER_ENCODING = "gzip, deflate, br"
COLD = "article, cache miss (cold, stored), 4 scripts"

SEARCH_LUA = r"""
-- Site search, cycling through common words (query strings are URL-encoded by the bench).
local queries = {QUERIES}
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "/search/?q=" .. queries[n % #queries + 1])
end
"""

BEACON_LUA = harness.BEACON_INIT_LUA + r"""
-- Each beacon from its own client address (the servers run with PROXY_COUNT=1).
local n = 0
function request()
  n = n + 1
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(n / 62500) % 250 + 1, math.floor(n / 250) % 250, n % 250 + 1)
  return wrk.format()
end
"""

RAW_APP = '''
"""The ceiling for any Python WSGI app: the article page's bytes from memory."""
from pathlib import Path

PAGE = Path(__file__).with_name("www").joinpath("article.html").read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [PAGE]
'''

NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/nginx-access.log combined buffer=64k;
    client_body_temp_path {tmp}/nginx-tmp/body;
    proxy_temp_path {tmp}/nginx-tmp/proxy;
    fastcgi_temp_path {tmp}/nginx-tmp/fastcgi;
    uwsgi_temp_path {tmp}/nginx-tmp/uwsgi;
    scgi_temp_path {tmp}/nginx-tmp/scgi;
    keepalive_requests 1000000;
    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        location / {{ root {tmp}/www; default_type "text/html; charset=utf-8"; }}
    }}
}}
"""


progress = harness.progress


# --- the site -----------------------------------------------------------------------------


def generate(count: int) -> None:
    """Runs inside a Django process (see main): bulk-insert `count` published articles."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinwen.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from xinwen.site import demo_content
    from xinwen.news.models import Article, Category

    rng = random.Random(20260501)
    sentences, titles = [], []
    for item in demo_content.ARTICLES:
        text = re.sub(r"<[^>]+>", "", item["body"])
        sentences += [s for s in re.findall(r"[^。！？；]+[。！？；]", text) if len(s) > 8]
        titles.append(item["title"])
    places = ["上海", "苏州", "成都", "西安", "武汉", "天津", "青岛", "合肥", "长沙", "宁波"]
    topics = ["智能制造", "安全生产", "科技创新", "党建工作", "质量提升", "数字化转型", "人才培养", "节能降碳", "国际合作", "产业链协同"]
    events = ["座谈会", "推进会", "签约仪式", "培训班", "现场会", "调研", "发布会", "专题会议", "技能竞赛", "开放日"]
    categories = {c.slug: c for c in Category.objects.filter(slug__in=SECTIONS)}
    now = timezone.now()
    batch = []
    for i in range(count):
        paragraphs, length = [], 0
        while length < 2000:
            paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
            paragraphs.append(f"<p>{paragraph}</p>")
            length += len(paragraph)
        title = f"{rng.choice(places)}{rng.choice(topics)}{rng.choice(events)}在{rng.choice(places)}举行" if i % 3 else rng.choice(titles) + f"（{i}）"
        batch.append(
            Article(
                title=title,
                summary="",
                body="".join(paragraphs),
                category=categories[SECTIONS[i % len(SECTIONS)]],
                source_name="集团新闻中心",
                author=rng.choice(["王磊", "李娜", "张伟", "刘洋", "陈静"]),
                status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(days=3 + i * 0.1, minutes=rng.randint(0, 600)),
                pinned=False,
                view_count=rng.randint(0, 5000),
                source_script="zh-hans",
            )
        )
        if len(batch) == 1000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    ids = list(Article.objects.filter(source_name="集团新闻中心").order_by("pk").values_list("pk", flat=True))
    print(json.dumps({"first": ids[0], "last": ids[-1]}))


def site_env(var_dir: Path, *, page_cache: bool) -> dict[str, str]:
    env = harness.site_env(
        var_dir,
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        PAGE_CACHE="1" if page_cache else "0",
        # Beacons come from many addresses via X-Forwarded-For; search is measured, not throttled.
        PROXY_COUNT="1",
        SEARCH_RATE_LIMIT="100000000/60",
        CACHE_PREFIX=f"xinwen-bench-{secrets.token_hex(4)}",
        PYTHONUNBUFFERED="1",
    )
    env.pop("PAGE_CACHE_DIR", None)
    return env


def start(command: list[str], env: dict, cwd: Path, log: Path, probe: str) -> subprocess.Popen:
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    harness.wait_until_serving(process, probe, log)
    return process


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    process.send_signal(sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# --- measuring ----------------------------------------------------------------------------


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_once(url: str, args, script: Path | None = None, script_args: tuple = ()) -> dict:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    command += [url]
    if script_args:
        command += ["--", *map(str, script_args)]
    run = subprocess.run(command, capture_output=True, text=True)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
    p50 = re.search(r"^\s+50%\s+(\S+)", run.stdout, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", run.stdout, re.M)
    if run.returncode or not (rps and p50 and p99):
        raise SystemExit(f"wrk failed:\n{' '.join(command)}\n{run.stdout}\n{run.stderr}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", run.stdout)
    errors = re.search(r"Socket errors: (.*)", run.stdout)
    total = re.search(r"(\d+) requests in", run.stdout)
    return {
        "rps": float(rps.group(1)),
        "p50": _ms(p50.group(1)),
        "p99": _ms(p99.group(1)),
        "requests": int(total.group(1)) if total else 0,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
        "wrapped": "wrapped:" in run.stdout,
    }


@dataclass
class Row:
    """One line of the table: what wrk requests, and what must happen before each run."""

    name: str
    url: str
    script: Path | None = None
    script_args: tuple = ()
    before_each: object = None
    note: str = ""
    server: subprocess.Popen | None = None  # whose CPU each request costs (its process and every descendant)
    runs: list = field(default_factory=list)


def tree_cpu_seconds(pid: int) -> float:
    """CPU (user + system) used so far by a process and every descendant still running."""
    processes = harness.cpu_times()
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, (_, of, _) in processes.items() if of == parent and child not in tree]
        tree.update(children)
        frontier += children
    return sum(processes[member][2] for member in tree if member in processes)


def summarise(row: Row) -> dict:
    runs = row.runs
    cpu = [r["server_cpu_ms"] for r in runs if r.get("server_cpu_ms") is not None]
    summary = {
        "name": row.name,
        "url": row.url,
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50"] for r in runs),
        "p99_ms": statistics.median(r["p99"] for r in runs),
        "server_cpu_ms": statistics.median(cpu) if cpu else None,
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "runs": runs,
        "note": row.note,
    }
    notes = [row.note] if row.note else []
    if summary["non_2xx"]:
        notes.append(f"{summary['non_2xx']} non-2xx answers")
    timeouts = sum(int(m.group(1)) for r in runs if (m := re.search(r"timeout (\d+)", r["socket_errors"])))
    if timeouts:
        # wrk leaves requests slower than 2 s out of its latency figures: they are not fast, they are missing.
        notes.append(f"{timeouts} timeouts (> 2 s, not in p50/p99)")
    wrapped = sum(r.get("wrapped", False) for r in runs)
    if wrapped:
        notes.append(f"{wrapped} of {len(runs)} runs ran out of pages (a lower bound: use more --articles)")
    summary["wrapped_runs"] = wrapped
    summary["note"] = "; ".join(notes)
    return summary


def measure_all(rows: list[Row], args) -> list[dict]:
    """Every run goes through every row in turn, so a change in the machine's load touches all rows alike."""
    for n in range(args.runs):
        for row in rows:
            if row.before_each:
                row.before_each()
            before = tree_cpu_seconds(row.server.pid) if row.server else None
            row.runs.append(wrk_once(row.url, args, row.script, row.script_args))
            last = row.runs[-1]
            if before is not None and last["requests"]:
                last["server_cpu_ms"] = (tree_cpu_seconds(row.server.pid) - before) * 1000 / last["requests"]
            progress(f"run {n + 1}/{args.runs}: {row.name}: {last['rps']:.0f} req/s, p50 {last['p50']:.2f} ms, p99 {last['p99']:.2f} ms")
    return [summarise(row) for row in rows]


def workers_memory(master_pid: int) -> list[dict]:
    """RSS, PSS and USS (MB) of each worker (child) of a server's main process, from /proc.

    RSS counts every page a worker touches, shared or not; PSS divides shared pages among
    the processes that share them (the sum over workers is what the machine pays); USS is
    what the worker alone holds (what stopping it would free).
    """
    sizes = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            if int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1)) != master_pid:
                continue
            rollup = Path(f"/proc/{entry}/smaps_rollup").read_text()
        except (OSError, AttributeError):
            continue
        kb = {key: int(value) for key, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
        sizes.append({
            "rss": round(kb.get("Rss", 0) / 1024, 1),
            "pss": round(kb.get("Pss", 0) / 1024, 1),
            "uss": round((kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)) / 1024, 1),
        })  # fmt: skip
    return sorted(sizes, key=lambda size: size["rss"])


def serve_command(port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "xinwen", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]


# --- the run ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (database, logs, saved page)")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)  # internal: runs inside the site's environment
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return 0
    nginx = harness.require_tools("wrk", "nginx")["nginx"]
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which("granian")

    tmp = Path(tempfile.mkdtemp(prefix="xinwen-bench-pages-"))
    tmp.chmod(0o755)  # nginx workers run as another user and read the saved page from here
    memory: dict[str, list[dict]] = {}
    load_before = os.getloadavg()
    started = time.time()
    servers: dict[str, subprocess.Popen] = {}
    try:
        env_on, env_off = site_env(tmp, page_cache=True), site_env(tmp, page_cache=False)
        env_off["SECRET_KEY"] = env_on["SECRET_KEY"]
        progress(f"building the site in {tmp}: migrate, demo, {args.articles:,} articles")
        ids = harness.demo_site(env_on, tmp, args.articles)
        progress(f"articles {ids['first']}..{ids['last']}; indexing for search")
        search_indexed = subprocess.run(
            [sys.executable, "-m", "xinwen", "reindex"], env=env_on, cwd=tmp, capture_output=True, text=True
        ).returncode == 0
        article = (ids["first"] + ids["last"]) // 2

        scripts = tmp / "lua"
        scripts.mkdir()
        (scripts / "rotate.lua").write_text(ROTATE_LUA)
        (scripts / "beacon.lua").write_text(BEACON_LUA)
        quoted = ", ".join(f'"{urllib.parse.quote(word)}"' for word in SEARCH_WORDS)
        (scripts / "search.lua").write_text(SEARCH_LUA.replace("{QUERIES}", "{" + quoted + "}"))

        # Every server is started first and stays up (idle ones cost nothing); the runs then
        # cycle through all rows.
        ports = {name: harness.free_port() for name in ("cached", "uncached", "nginx", "raw", "raw-gunicorn", "peer")}
        url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        progress(f"xinwen serve with and without the page cache, {args.workers} workers each")
        servers["cached"] = start(serve_command(ports["cached"], args.workers), env_on, tmp, tmp / "serve-cached.log", url["cached"] + "/")
        servers["uncached"] = start(serve_command(ports["uncached"], args.workers), env_off, tmp, tmp / "serve-uncached.log", url["uncached"] + "/")

        status, headers, page = fetch(f"{url['cached']}/article/{article}/")
        if status != 200:
            raise SystemExit(f"/article/{article}/ answered {status}")
        (tmp / "www").mkdir()
        (tmp / "www" / "article.html").write_bytes(page)
        (tmp / "rawapp.py").write_text(RAW_APP)
        progress(f"saved /article/{article}/: {len(page):,} bytes, {len(page.decode()):,} characters")
        (tmp / "nginx-tmp").mkdir()
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=ports["nginx"]))
        servers["nginx"] = start([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"], env_on, tmp,
                                 tmp / "nginx-out.log", f"{url['nginx']}/article.html")  # fmt: skip
        served = fetch(f"{url['nginx']}/article.html")
        if served[2] != page:
            raise SystemExit(f"nginx on port {ports['nginx']} does not serve the saved page: {served[0]}, {len(served[2])} bytes\n"
                             f"{served[2][:300]!r}\n{(tmp / 'nginx-error.log').read_text(errors='replace')}")  # fmt: skip
        # The same server and flags as `xinwen serve` (granian), and gunicorn's sync worker for comparison.
        servers["raw"] = start([granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(ports["raw"]),
                                "--workers", str(args.workers), "--blocking-threads", "4", "--backpressure", "64",
                                "--no-ws", "--no-access-log", "--working-dir", str(tmp), "rawapp:application"],
                               env_on, tmp, tmp / "raw.log", url["raw"] + "/")  # fmt: skip
        if gunicorn:  # optional: a comparison row only
            servers["raw-gunicorn"] = start([gunicorn, "rawapp:application", "--chdir", str(tmp), "--workers", str(args.workers),
                                             "--no-control-socket", "--bind", f"127.0.0.1:{ports['raw-gunicorn']}"],
                                            env_on, tmp, tmp / "raw-gunicorn.log", url["raw-gunicorn"] + "/")  # fmt: skip
        peer.write(tmp, tmp / "xinwen.sqlite3")
        servers["peer"] = start([granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(ports["peer"]),
                                 "--workers", str(args.workers), "--blocking-threads", "4", "--backpressure", "64",
                                 "--no-ws", "--no-access-log", "--working-dir", str(tmp), "peerapp.wsgi:application"],
                                env_on, tmp, tmp / "peer.log", f"{url['peer']}/article/{article}/")  # fmt: skip
        if fetch(f"{url['peer']}/article/{article}/")[0] != 200:
            raise SystemExit(f"the plain Django peer did not answer /article/{article}/:\n{(tmp / 'peer.log').read_text()}")

        def warm(target):
            return lambda: fetch(target)

        def clear():
            harness.xinwen(env_on, tmp, "pagecache_clear")

        rotate = scripts / "rotate.lua"
        rows = [
            Row("nginx, the saved page (static file)", f"{url['nginx']}/article.html"),
            Row("bare WSGI app, same bytes (granian)", url["raw"] + "/", note="same server and flags as xinwen serve"),
        ]
        if gunicorn:
            rows.append(Row("bare WSGI app, same bytes (gunicorn sync)", url["raw-gunicorn"] + "/",
                            note="comparison: one request per connection"))  # fmt: skip
        for code, prefix in VARIANTS.items():
            target = f"{url['cached']}{prefix}/article/{article}/"
            rows.append(Row(f"article, cache hit, {code}", target, before_each=warm(target)))
        # Page 50 of a section at full size; the last page when the quick run has fewer.
        deep = max(1, min(50, args.articles // len(SECTIONS) // 20))
        for name, path in (("home, cache hit", "/"), ("list page 1, cache hit", "/category/company/"),
                           (f"list page {deep}, cache hit", f"/category/company/?page={deep}")):  # fmt: skip
            rows.append(Row(name, url["cached"] + path, before_each=warm(url["cached"] + path)))
        rows += [
            Row(COLD, url["cached"] + "/", rotate, (ids["first"], ids["last"], "*", CRAWLER_ENCODING), before_each=clear,
                note=f"a different page each request, Accept-Encoding: {CRAWLER_ENCODING}: render + brotli + store"),
            Row("view beacon POST /stats/view/", url["cached"] + "/stats/view/", scripts / "beacon.lua", (article, UA),
                note="each from its own address: every beacon counted"),
        ]  # fmt: skip
        for code, prefix in VARIANTS.items():
            rows.append(Row(f"article, cache off, {code}", url["uncached"] + "/", rotate, (ids["first"], ids["last"], prefix),
                            note="a different article each request"))  # fmt: skip
        rows.append(Row(PEER, url["peer"] + "/", rotate, (ids["first"], ids["last"], ""),
                        note="a different article each request; same server and flags"))  # fmt: skip
        for name, path in (("home, cache off", "/"), ("list page 1, cache off", "/category/company/"),
                           (f"list page {deep}, cache off", f"/category/company/?page={deep}")):  # fmt: skip
            rows.append(Row(name, url["uncached"] + path))
        search_status = fetch(f"{url['uncached']}/search/?q={urllib.parse.quote('智能制造')}")[0]
        if search_status == 200:
            note = "10 words in turn" + ("" if search_indexed else "; `xinwen reindex` failed: empty index")
            rows.append(Row("search /search/?q=…", url["uncached"] + "/", scripts / "search.lua", note=note))

        for row in rows:  # each row's CPU is its server's: the process wrk talks to and its workers
            row.server = next((servers[name] for name in servers if row.url.startswith(url[name] + "/")), None)
        results = measure_all(rows, args)
        if search_status != 200:
            results.append({"name": "search /search/?q=…", "rps": None, "p50_ms": None, "p99_ms": None,
                            "note": f"n/a: the search page answered {search_status}"})  # fmt: skip
        memory["page cache on"] = workers_memory(servers["cached"].pid)
        memory["page cache off"] = workers_memory(servers["uncached"].pid)
        memory["plain Django peer"] = workers_memory(servers["peer"].pid)
    finally:
        for name, process in servers.items():
            stop(process, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    report(results, memory, args, load_before, started, tmp if args.keep else None)
    return 0


def report(rows, memory, args, load_before, started, kept) -> None:
    ceiling = rows[0]["rps"]
    load_after = os.getloadavg()
    print()
    print(f"xinwen pages: wrk -t1 -c{args.connections} -d{args.seconds}s, median of {args.runs} runs, "
          f"{args.workers} workers, {args.articles:,} articles, {os.cpu_count()} cores")  # fmt: skip
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")  # fmt: skip
    # CPU/req: the CPU time of the server's processes (main and workers) over the run, per request answered.
    print(f"{'':<46}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'/ nginx':>9}{'CPU/req':>9}  note")
    for row in rows:
        if row["rps"] is None:
            print(f"{row['name']:<46}{'n/a':>9}{'':>9}{'':>9}{'':>9}{'':>9}  {row['note']}")
            continue
        row["ratio_to_nginx"] = round(row["rps"] / ceiling, 3)
        cpu = "" if row.get("server_cpu_ms") is None else f"{row['server_cpu_ms']:.2f}ms"
        print(f"{row['name']:<46}{row['rps']:>9.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
              f"{row['ratio_to_nginx']:>8.1%}{cpu:>9}  {row.get('note', '')}")  # fmt: skip
    print("worker memory after the runs (MB, RSS / PSS / USS):")
    for name, sizes in memory.items():
        print(f"  {name}: " + "; ".join(f"{m['rss']:.0f} / {m['pss']:.0f} / {m['uss']:.0f}" for m in sizes))

    by_name = {row["name"]: row for row in rows}
    hits = [by_name[f"article, cache hit, {code}"] for code in VARIANTS]
    misses = [by_name[f"article, cache off, {code}"] for code in VARIANTS]
    bare, plain = by_name["bare WSGI app, same bytes (granian)"], by_name[PEER]
    cold = by_name[COLD]
    xinwen_workers = [m for name, sizes in memory.items() if name != "plain Django peer" for m in sizes]
    rss = max((m["rss"] for m in xinwen_workers), default=0)
    pss = max((m["pss"] for m in xinwen_workers), default=0)
    slowest_miss = min(m["rps"] for m in misses)
    slowest_hit = min(h["rps"] for h in hits)
    goals = harness.goals_report({
        "cache-miss article >= 600 req/s (2 workers), every script": (slowest_miss >= 600, f"lowest {slowest_miss:.0f} req/s"),
        # The miss readers meet with the default settings: a crawler walking old articles.
        "cache-miss article >= 600 req/s with the page cache on (cold, stored)": (
            cold["rps"] >= 600, f"{cold['rps']:.0f} req/s, {cold['rps'] / slowest_miss:.2f} x the slowest cache-off miss"),
        "cache-miss article >= 1.2 x plain Django (3 queries)": (
            slowest_miss >= 1.2 * plain["rps"], f"{slowest_miss / plain['rps']:.2f} x ({slowest_miss:.0f} / {plain['rps']:.0f} req/s)"),
        "cache hit within 10% of the bare WSGI app": (
            slowest_hit >= 0.9 * bare["rps"], f"lowest {slowest_hit / bare['rps']:.1%} of {bare['rps']:.0f} req/s"),
        "cache hit p99 <= 10 ms": (max(h["p99_ms"] for h in hits) <= 10, f"highest {max(h['p99_ms'] for h in hits):.2f} ms"),
        "RSS per worker <= 150 MB": (rss <= 150, f"largest {rss:.1f} MB"),
        "PSS per worker <= 100 MB": (pss <= 100, f"largest {pss:.1f} MB"),
    })  # fmt: skip
    harness.write_results("pages", {
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "settings": {k: getattr(args, k) for k in ("articles", "seconds", "runs", "connections", "workers")},
        "load_average_before": load_before,
        "load_average_after": load_after,
        "rows": rows,
        "worker_memory_mb": memory,
        "goals": goals,
    })  # fmt: skip
    if kept:
        print(f"site kept in {kept}")


if __name__ == "__main__":
    sys.exit(main())
