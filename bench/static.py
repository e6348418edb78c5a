"""Static publishing: build time and memory, nginx serving the tree, incremental publish latency, a publish storm.

Builds a throw-away site (SQLite in a temp folder): migrate, the demo news center, then
N generated articles (bench/pages.py's generator, about 2,000 characters each). Then:
1. full build with `xinwen publish`'s service using every core (--jobs): seconds,
   pages, files, peak memory (this process and the build's children);
2. nginx with `xinwen nginx-conf` serving an article page from the tree against the
   ceiling: the same nginx answering with the same bytes, headers and body, from one plain
   file (wrk, 1 thread); and, for reference, a bare ceiling: the body alone, with nginx's
   default headers (the page's security headers are about 1 KB of every answer);
3. incremental publish: an article saved through the service (the publishing worker
   thread does the rest), timed until nginx serves the new title; p50 / p95;
4. a storm: 100 edits (new articles, unpublishes, title edits) in 10 s while a reader in
   another process fetches pages through nginx in two scripts and follows every link;
   any partial page, torn .gz twin or link to a missing page is an inconsistent read.

Goals (issue 16): article page ≥ 0.95× the nginx ceiling; full build of 10,000 articles in
four scripts ≤ 3 min on 2 cores; incremental publish p95 ≤ 1 s; zero inconsistent reads.
Smaller --articles runs extrapolate the build time linearly in pages.
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import harness

LINK = re.compile(rb'href="(/(?:zh-[a-z]+/)?(?:article|category)/[^"?#]+/)"')
STARTS = ["/", "/zh-tw/", "/category/company/", "/zh-hk/category/industry/"]


def get(url: str, **headers) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return response.status, body
    except urllib.error.HTTPError as error:
        return error.code, b""
    except (OSError, EOFError) as error:
        return 0, str(error).encode()


def reader(origin: str, stop, results) -> None:
    """In its own process: fetch, check completeness, follow links; report (reads, problems)."""
    reads, problems = 0, []
    while not stop.is_set():
        for start in STARTS:
            for encoding in ("identity", "gzip"):
                status, body = get(origin + start, **{"Accept-Encoding": encoding})
                reads += 1
                if status != 200 or not body.rstrip().endswith(b"</html>"):
                    problems.append(f"{start} ({encoding}): {status}, {len(body)} bytes")
                    continue
                for link in sorted(set(LINK.findall(body))):
                    linked, page = get(origin + link.decode())
                    reads += 1
                    if linked == 200 and page.rstrip().endswith(b"</html>"):
                        continue
                    _, again = get(origin + start)
                    if link in LINK.findall(again):  # still linked now: not just an old page read before an unpublish
                        problems.append(f"{start} links to {link.decode()}: {linked}")
    results.put((reads, problems))


NGINX_CONF = """user root;
worker_processes 2;
pcre_jit on;  # as README's 静态发布 section advises: the tree's one regular expression per page, compiled
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/nginx-tmp; proxy_temp_path {tmp}/nginx-tmp; fastcgi_temp_path {tmp}/nginx-tmp;
    uwsgi_temp_path {tmp}/nginx-tmp; scgi_temp_path {tmp}/nginx-tmp;
    include {tmp}/xinwen.conf;
    server {{  # the ceiling: the same answer (headers and body) from one plain file, nothing else
        listen 127.0.0.1:{ceiling_port};
        root {tmp}/ceiling;
        charset utf-8;
        server_tokens off;
        {headers}
    }}
    server {{  # the bare ceiling: the same body with nginx's default headers
        listen 127.0.0.1:{bare_port};
        root {tmp}/ceiling;
    }}
}}
"""


def answer_headers(url: str) -> list[tuple[str, int]]:
    """(name, length of value) of each header of a GET, but those of the day and the file (Date, ETag, Last-Modified)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return sorted((name.lower(), len(value)) for name, value in response.headers.items()
                      if name.lower() not in ("date", "etag", "last-modified"))  # fmt: skip


def wrk(url: str, seconds: int, connections: int) -> dict:
    run = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url], capture_output=True, text=True)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", run.stdout)
    if run.returncode or not rps:
        raise SystemExit(f"wrk failed for {url}:\n{run.stdout}\n{run.stderr}")
    return {"rps": float(rps.group(1)), "non_2xx": int(non2xx.group(1)) if non2xx else 0}


def peak_memory_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(children, 1)


def cpu_seconds() -> float:
    """User + system CPU of this process and its waited-for children (the build's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seconds", type=int, default=5, help="wrk seconds per run")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs per row (median)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--edits", type=int, default=20, help="timed incremental publishes")
    parser.add_argument("--storm", type=int, default=100, help="edits in the storm")
    parser.add_argument("--storm-seconds", type=float, default=10.0)
    args = parser.parse_args()
    nginx = harness.require_tools("wrk", "nginx")["nginx"]
    load_before = os.getloadavg()
    started = time.monotonic()

    var_dir = Path(harness.in_process_site("xinwen-bench-static-"))
    var_dir.chmod(0o755)
    from django.conf import settings
    from django.db import connections

    harness.progress(f"building the site in {var_dir}: migrate, demo, {args.articles:,} articles")
    harness.demo_site(dict(os.environ), var_dir, args.articles)  # in child processes: this one's database is opened after

    from xinwen.news.models import Article
    from xinwen.news.services import article_save, article_unpublish
    from xinwen.publishing import worker
    from xinwen.publishing.nginx import nginx_conf, page_headers
    from xinwen.publishing.services import site_publish

    # 1. Full build.
    target = var_dir / "public" / "site"
    connections.close_all()
    harness.progress(f"full build with {args.jobs} processes")
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    report = site_publish(target=target, jobs=args.jobs, progress=True)
    build_seconds = time.perf_counter() - t0
    build_cpu = cpu_seconds() - cpu0
    # On a machine shared with other work the wall time says little: CPU time over the cores
    # is what the build would take with both cores to itself.
    own_cores = build_cpu / args.jobs
    own_mb, children_mb = peak_memory_mb()
    files = sum(1 for p in target.resolve().rglob("*") if p.is_file())
    per_page = build_seconds / report.pages
    published = Article.objects.published().count()
    # 10,000 articles in four scripts: pages grow with the articles (lists and sitemaps too).
    scale = 10_000 / max(published, 1)
    extrapolated = build_seconds * scale if published < 10_000 else build_seconds
    extrapolated_cpu = own_cores * scale if published < 10_000 else own_cores

    # 2. nginx: the tree against the ceiling.
    tmp = var_dir / "nginx"
    (tmp / "nginx-tmp").mkdir(parents=True)
    (tmp / "ceiling").mkdir()
    port, ceiling_port, bare_port = harness.free_port(), harness.free_port(), harness.free_port()
    article_id = Article.objects.published().order_by("-publish_at").values_list("pk", flat=True)[5]
    page_bytes = (target / f"article/{article_id}/index.html").read_bytes()
    (tmp / "ceiling/article.html").write_bytes(page_bytes)
    (tmp / "xinwen.conf").write_text(nginx_conf(root=str(target), listen=f"127.0.0.1:{port}", app="127.0.0.1:9"))
    (tmp / "nginx.conf").write_text(
        NGINX_CONF.format(tmp=tmp, ceiling_port=ceiling_port, bare_port=bare_port, headers="\n        ".join(page_headers()))
    )
    server = subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"])
    origin, ceiling, bare = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ceiling_port}", f"http://127.0.0.1:{bare_port}"
    try:
        harness.wait_until_serving(server, f"{ceiling}/article.html", tmp / "nginx-error.log")
        assert get(f"{origin}/article/{article_id}/")[1] == page_bytes == get(f"{ceiling}/article.html")[1]
        # The same answer: every header the tree sends, at the same length, and nothing more.
        assert answer_headers(f"{origin}/article/{article_id}/") == answer_headers(f"{ceiling}/article.html")
        harness.progress(f"wrk: {args.runs} × {args.seconds} s each, tree and ceiling alternating")
        tree_runs, ceiling_runs, bare_runs = [], [], []
        for _ in range(args.runs):
            ceiling_runs.append(wrk(f"{ceiling}/article.html", args.seconds, args.connections))
            tree_runs.append(wrk(f"{origin}/article/{article_id}/", args.seconds, args.connections))
            bare_runs.append(wrk(f"{bare}/article.html", args.seconds, args.connections))
        tree_rps = statistics.median(r["rps"] for r in tree_runs)
        ceiling_rps = statistics.median(r["rps"] for r in ceiling_runs)
        bare_rps = statistics.median(r["rps"] for r in bare_runs)
        bad = sum(r["non_2xx"] for r in tree_runs + ceiling_runs + bare_runs)

        # 3. Incremental publish, through the worker thread, until nginx serves it.
        settings.PUBLISH_DIR = str(target)
        settings.PUBLISH_BACKGROUND = True
        harness.progress(f"{args.edits} incremental publishes, each timed until nginx serves the new title")
        latencies = []
        edited = Article.objects.get(pk=article_id)
        for n in range(args.edits):
            edited.title = f"基准测试第{n}次修改的标题"
            t0 = time.perf_counter()
            article_save(article=edited, user=None, changed_fields=["title"])
            wanted = edited.title.encode()
            while wanted not in get(f"{origin}/article/{article_id}/")[1]:
                if time.perf_counter() - t0 > 120:
                    raise SystemExit("an incremental publish did not show within 120 s")
                time.sleep(0.005)
            latencies.append(time.perf_counter() - t0)
            worker.wait_idle(120)

        # 4. The storm.
        harness.progress(f"storm: {args.storm} edits in {args.storm_seconds:.0f} s with a reader in another process")
        context = multiprocessing.get_context("spawn")
        stop, results = context.Event(), context.Queue()
        reading = context.Process(target=reader, args=(origin, stop, results))
        reading.start()
        time.sleep(1.0)
        company = Article.objects.published().filter(category__slug="company").order_by("-publish_at")
        listed = list(company[:40])
        category = listed[0].category
        storm_start = time.perf_counter()
        for n in range(args.storm):
            kind = n % 4
            if kind == 0:
                fresh = Article(title=f"风暴中发布的第{n}篇", body="<p>风暴测试正文。</p>", category=category,
                                status=Article.Status.PUBLISHED, publish_at=None)  # fmt: skip
                from django.utils import timezone

                fresh.publish_at = timezone.now()
                article_save(article=fresh, user=None)
                listed.insert(0, fresh)
            elif kind == 1:
                article_unpublish(article=listed.pop(), user=None)
            else:
                item = listed[n % 7]
                item.title = f"风暴中改过的标题{n}"
                article_save(article=item, user=None, changed_fields=["title"])
            time.sleep(max(0.0, storm_start + (n + 1) * args.storm_seconds / args.storm - time.perf_counter()))
        storm_sent = time.perf_counter() - storm_start
        worker.wait_idle(600)
        storm_settled = time.perf_counter() - storm_start
        time.sleep(1.0)
        stop.set()
        reads, problems = results.get(timeout=120)
        reading.join(timeout=30)
        worker.worker_stop()
    finally:
        server.terminate()
        server.wait(timeout=10)

    ratio = tree_rps / ceiling_rps
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    load_after = os.getloadavg()
    print()
    print(f"static publishing, {published:,} published articles, {args.jobs} build processes, load {load_before[0]:.1f} → {load_after[0]:.1f}")
    print(f"{'measure':<52}{'value':>14}  goal")
    rows = [
        ("full build (s)", f"{build_seconds:.1f}", ""),
        ("  pages / files in the release", f"{report.pages:,} / {files:,}", ""),
        ("  ms per page (wall, all processes)", f"{per_page * 1000:.1f}", ""),
        ("  extrapolated to 10,000 articles (s)", f"{extrapolated:.0f}", "≤ 180"),
        ("  CPU time (s) / per page (ms)", f"{build_cpu:.0f} / {build_cpu / report.pages * 1000:.1f}", ""),
        (f"  CPU time / {args.jobs} cores, at 10,000 articles (s)", f"{extrapolated_cpu:.0f}", "(idle machine)"),
        ("  peak memory: parent / largest child (MB)", f"{own_mb:.0f} / {children_mb:.0f}", ""),
        ("nginx ceiling, same answer from one file (req/s)", f"{ceiling_rps:,.0f}", ""),
        ("nginx from the tree, /article/N/ (req/s)", f"{tree_rps:,.0f}", ""),
        ("  ratio to the ceiling", f"{ratio:.3f}", "≥ 0.95"),
        ("nginx bare ceiling, body only (req/s)", f"{bare_rps:,.0f}", ""),
        ("  ratio of the tree to the bare ceiling", f"{tree_rps / bare_rps:.3f}", ""),
        ("incremental publish → visible, p50 (s)", f"{p50:.3f}", ""),
        ("incremental publish → visible, p95 (s)", f"{p95:.3f}", "≤ 1"),
        (f"storm: {args.storm} edits sent in (s)", f"{storm_sent:.1f}", f"{args.storm_seconds:.0f}"),
        ("  all published after (s)", f"{storm_settled:.1f}", ""),
        ("  reads / inconsistent reads", f"{reads:,} / {len(problems)}", "0"),
    ]
    for name, value, goal in rows:
        print(f"{name:<52}{value:>14}  {goal}")
    for problem in problems[:10]:
        print(f"  inconsistent: {problem}")
    goals = harness.goals_report(
        {
            "nginx from the tree ≥ 0.95× the ceiling": (ratio >= 0.95, f"{ratio:.3f}"),
            "full build of 10,000 articles ≤ 3 min": (
                extrapolated <= 180,
                f"{build_seconds:.0f} s for {published:,} articles"
                + (f", {extrapolated:.0f} s extrapolated" if published < 10_000 else "")
                + f"; CPU time over {args.jobs} cores {extrapolated_cpu:.0f} s",
            ),
            "incremental publish p95 ≤ 1 s": (p95 <= 1.0, f"p95 {p95:.3f} s over {len(latencies)} edits"),
            "zero inconsistent reads in the storm": (not problems and reads > 0, f"{len(problems)} of {reads} reads"),
        }
    )
    harness.write_results(
        "static",
        {
            "articles": published,
            "jobs": args.jobs,
            "load_before": load_before,
            "load_after": load_after,
            "build": {"seconds": round(build_seconds, 2), "pages": report.pages, "files": files,
                      "extrapolated_10000_seconds": round(extrapolated, 1), "peak_mb_parent": own_mb,
                      "cpu_seconds": round(build_cpu, 1), "cpu_over_cores_10000_seconds": round(extrapolated_cpu, 1),
                      "peak_mb_child": children_mb},  # fmt: skip
            "nginx": {"tree_rps": tree_rps, "ceiling_rps": ceiling_rps, "ratio": round(ratio, 3), "non_2xx": bad,
                      "bare_ceiling_rps": bare_rps, "ratio_to_bare": round(tree_rps / bare_rps, 3),
                      "runs": args.runs, "seconds": args.seconds},  # fmt: skip
            "incremental": {"p50": round(p50, 3), "p95": round(p95, 3), "samples": [round(x, 3) for x in latencies]},
            "storm": {"edits": args.storm, "sent_seconds": round(storm_sent, 2), "settled_seconds": round(storm_settled, 2),
                      "reads": reads, "inconsistent": problems[:50]},  # fmt: skip
            "goals": goals,
            "wall_seconds": round(time.monotonic() - started, 1),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
