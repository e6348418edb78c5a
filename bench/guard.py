"""A guard pass over a whole site: `xinwen guard --no-browser` against `xinwen serve` with ~1,000 pages in 4 scripts.

Usage: .venv/bin/python bench/guard.py [--articles 245] [--workers 2] [--profiles desktop phone baiduspider ...]

Builds a throw-away site (SQLite): migrate, the demo news center, then generated published
articles so that home, sections and articles make about (articles + 38) pages per script;
starts `xinwen serve` on 127.0.0.1 with the page cache on (as production runs), runs
`xinwen guard` over it with every non-browser profile, and prints pages, requests, time,
requests per second and the guard's exit code (0 expected: the site is untampered). The
browser profile is measured on its own (`--browser-pages`, default 40): Chromium's start-up,
then the time per page of the first N article pages opened as the guard opens them.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

GROW = r"""
import sys
import django
django.setup()
from django.utils import timezone
from xinwen.news.models import Article, Category
count = int(sys.argv[1])
category = Category.objects.exclude(parent=None).first()
body = "<p>" + "深化改革，推动制造业高质量发展，提升自主创新能力。" * 60 + "</p>"
now = timezone.now()
Article.objects.bulk_create(
    Article(category=category, title=f"基准文章第{n}篇：智能制造与数字化转型", body=body, status="published", publish_at=now)
    for n in range(count)
)
"""

BROWSE = r"""
import sys, time
import django
django.setup()
from xinwen.guard.browser import BrowserFetcher
base, count = sys.argv[1], int(sys.argv[2])
started = time.perf_counter()
browser = BrowserFetcher()
ready = time.perf_counter()
urls = [f"{base}/"] + [f"{base}/article/{n}/" for n in range(1, count)]
statuses = [browser(url).status for url in urls]
done = time.perf_counter()
browser.close()
print(f"browser profile: start-up {ready - started:.2f} s, {len(urls)} pages in {done - ready:.1f} s, "
      f"{(done - ready) / len(urls) * 1000:.0f} ms per page (statuses: {sorted(set(statuses))})")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=220, help="generated articles besides the demo's")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profiles", nargs="+", default=None)
    parser.add_argument("--browser-pages", type=int, default=40, help="pages to open in Chromium for its cost per page (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xinwen-guard-bench-") as folder:
        tmp = Path(folder)
        port = harness.free_port()
        env = harness.site_env(tmp / "var", ALLOWED_HOSTS="127.0.0.1,testserver")
        print(f"building the site: migrate, demo, {args.articles} more articles", file=sys.stderr)
        harness.xinwen(env, tmp, "migrate", "--no-input", "--verbosity", "0")
        harness.xinwen(env, tmp, "demo", "--no-server")
        subprocess.run([sys.executable, "-c", GROW, str(args.articles)], env=env, cwd=tmp, check=True)
        log = tmp / "serve.log"
        with open(log, "wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "xinwen", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
                env=env, cwd=tmp, stdout=out, stderr=subprocess.STDOUT,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            harness.wait_until_serving(server, base + "/", log)
            command = [sys.executable, "-m", "xinwen", "guard", "--base-url", base, "--no-browser"]
            if args.profiles:
                command += ["--profiles", *args.profiles]
            started = time.perf_counter()
            result = subprocess.run(command, env=env, cwd=tmp, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            browsed = ""
            if args.browser_pages:
                browsed = subprocess.run(
                    [sys.executable, "-c", BROWSE, base, str(args.browser_pages)], env=env, cwd=tmp, capture_output=True, text=True
                ).stdout.strip()
        finally:
            server.terminate()
            server.wait(timeout=30)
        summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        pages = int(re.search(r"检查了 (\d+) 个页面", summary).group(1)) if "检查了" in summary else 0
        requests = int(re.search(r"(\d+) 次请求", summary).group(1)) if "次请求" in summary else 0
        print(f"guard exit code: {result.returncode} (0: nothing found)")
        print(f"pages (all scripts): {pages}, requests: {requests}")
        print(f"time: {seconds:.1f} s (command, including start-up), {requests / seconds:.0f} requests/s, {seconds / max(pages, 1) * 1000:.0f} ms per page")
        print(f"findings: {len(result.stdout.splitlines())}")
        for line in result.stdout.splitlines()[:10]:
            print("  " + line)
        print(browsed or "browser profile: not measured")
        per_page = re.search(r"(\d+) ms per page", browsed)
        goals = harness.goals_report({
            "zero findings on the untampered site (exit 0)": (result.returncode == 0, f"exit {result.returncode}, {len(result.stdout.splitlines())} findings"),
            "pass over the site <= 10 min": (seconds <= 600, f"{seconds:.1f} s for {pages} pages, {requests} requests"),
        })
        harness.write_results("guard", {
            "settings": vars(args),
            "pages": pages,
            "requests": requests,
            "seconds": round(seconds, 2),
            "requests_per_second": round(requests / seconds, 1) if seconds else None,
            "ms_per_page": round(seconds / max(pages, 1) * 1000, 1),
            "findings": result.stdout.splitlines()[:50],
            "browser": browsed,
            "browser_ms_per_page": int(per_page.group(1)) if per_page else None,
            "goals": goals,
        })


if __name__ == "__main__":
    main()
