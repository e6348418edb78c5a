"""Worker memory of `xinwen serve`: RSS, PSS and USS per worker, with and without loading before the fork.

Usage: .venv/bin/python bench/memory.py [--articles 1000] [--workers 2] [--requests 200]

Builds a throw-away SQLite site (migrate, demo, generated articles, search index), then
starts, one after the other, on the same site:

- `granian … xinwen.wsgi:application` directly: every worker loads everything itself
  (how `xinwen serve` ran before it loaded the site before forking);
- `xinwen serve` with SERVE_PRELOAD=none (site, templates and OpenCC loaded before the fork);
- `xinwen serve` with XINWEN_OPENCC=library (the opencc library's dictionaries, not the table);
- `xinwen serve` as configured by default (SERVE_PRELOAD=pinyin,search: the pinyin and
  search dictionaries too; OpenCC from its mapped table).

Each serves the same requests (articles in all four scripts, lists, home, `?ruby=1` pages
and searches), and then each worker's RSS, PSS and USS is read from /proc/PID/smaps_rollup.
Goals: ≤ 150 MB RSS and ≤ 100 MB PSS per worker. Writes bench/results/memory-<time>.json.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import harness
import pages

BENCH = Path(__file__).resolve().parent
WORDS = ["智能制造", "新能源", "安全生产", "数字化转型", "科技创新"]


def _traffic(url: str, first: int, last: int, requests: int) -> None:
    span = last - first + 1
    for n in range(requests):
        prefix = ("", "/zh-hant", "/zh-tw", "/zh-hk")[n % 4]
        pages.fetch(f"{url}{prefix}/article/{first + (n * 13) % span}/")
        if n % 10 == 0:
            pages.fetch(f"{url}{prefix}/article/{first + (n * 17) % span}/?ruby=1")
            pages.fetch(f"{url}/search/?q={urllib.parse.quote(WORDS[n // 10 % len(WORDS)])}")
            pages.fetch(f"{url}{prefix}/category/company/?page={n // 10 % 5 + 1}")
            pages.fetch(f"{url}{prefix}/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or shutil.which("granian")

    var_dir = Path(tempfile.mkdtemp(prefix="xinwen-bench-memory-"))
    env = pages.site_env(var_dir, page_cache=False)
    harness.progress(f"memory: building the site in {var_dir}: migrate, demo, {args.articles:,} articles, search index")
    ids = harness.demo_site(env, var_dir, args.articles)
    harness.xinwen(env, var_dir, "reindex")

    port = harness.free_port()
    plain = [granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
             "--blocking-threads", "4", "--backpressure", "64", "--no-ws", "--no-access-log", "xinwen.wsgi:application"]  # fmt: skip
    runs = {
        "each worker loads everything (granian directly)": (plain, {}),
        "xinwen serve, SERVE_PRELOAD=none": (pages.serve_command(port, args.workers), {"SERVE_PRELOAD": "none"}),
        "xinwen serve, XINWEN_OPENCC=library": (pages.serve_command(port, args.workers), {"XINWEN_OPENCC": "library"}),
        "xinwen serve (default: pinyin, search too)": (pages.serve_command(port, args.workers), {}),
    }  # fmt: skip
    results = {}
    for name, (command, extra) in runs.items():
        harness.progress(f"{name}: {args.requests} requests")
        server = pages.start(command, {**env, **extra}, var_dir, var_dir / "serve.log", f"http://127.0.0.1:{port}/")
        try:
            _traffic(f"http://127.0.0.1:{port}", ids["first"], ids["last"], args.requests)
            time.sleep(1)
            results[name] = pages.workers_memory(server.pid)
        finally:
            pages.stop(server)

    print(f"{'':<56}{'RSS':>8}{'PSS':>8}{'USS':>8}   (MB per worker, after the requests)")
    for name, workers in results.items():
        for n, size in enumerate(workers, 1):
            print(f"{name if n == 1 else '':<56}{size['rss']:>8.1f}{size['pss']:>8.1f}{size['uss']:>8.1f}")
    served = results["xinwen serve (default: pinyin, search too)"]
    worst_rss = max((w["rss"] for w in served), default=0)
    worst_pss = max((w["pss"] for w in served), default=0)
    goals = harness.goals_report({
        "worker RSS ≤ 150 MB (xinwen serve)": (bool(served) and worst_rss <= 150, f"largest {worst_rss:.1f} MB"),
        "worker PSS ≤ 100 MB (xinwen serve)": (bool(served) and worst_pss <= 100, f"largest {worst_pss:.1f} MB"),
    })  # fmt: skip
    harness.write_results("memory", {"articles": args.articles, "workers": args.workers, "requests": args.requests,
                                     "runs": results, "goals": goals})  # fmt: skip
    shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
