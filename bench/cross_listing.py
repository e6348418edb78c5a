"""What 同时发布到 costs a list page: CPU per render of section lists and home with cross-listing off and on.

Usage: .venv/bin/python bench/cross_listing.py [--articles 10000] [--renders 200] [--share 0.05] [--rounds 3]
                                              [--postgres]

Builds a throw-away site (SQLite in a temp folder, or a fresh PostgreSQL database with
--postgres, dropped afterwards): migrate, the demo, generated articles as bench/pages.py
makes them, and `--share` of them listed in one further section each (random, never their
own). Then a child process with production settings and PAGE_CACHE=0 calls xinwen's WSGI
application directly for 行业动态's list pages 1 and 50, 新闻中心's list (every section:
the articles listed twice must show once) and home, and measures time.process_time() per
render (CPU: load from other processes does not inflate it as it does wall time). The
site setting is switched off and on in alternating rounds over the same rows, so both
sides see the same machine; medians of the rounds.

Goal: every page with cross-listing on costs at most 1.25× its CPU with it off (the
rows are the same; the lists only gain an id subquery on the link table's index).
Writes bench/results/cross_listing-<time>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

GOAL_RATIO = 1.25


def pages(articles: int) -> dict[str, tuple[str, str]]:
    deep = max(min(50, articles // 4 // 20), 1)  # page 50, or the deepest a smaller site's section has
    return {
        "行业动态 page 1": ("/category/industry/", ""),
        f"行业动态 page {deep}": ("/category/industry/", f"page={deep}"),
        "新闻中心 page 1": ("/category/news/", ""),
        "home": ("/", ""),
    }


def cross_list(share: float) -> int:
    """Runs in the site's process: list `share` of the generated articles in one other section each (bulk)."""
    from xinwen.news.models import Article, Category

    sections = list(Category.objects.filter(parent__slug="news").values_list("pk", flat=True))
    rng = random.Random(20261205)
    rows = list(Article.objects.filter(source_name="集团新闻中心").values_list("pk", "category_id"))
    chosen = rng.sample(rows, int(len(rows) * share))
    through = Article.also_in.through
    through.objects.bulk_create(
        [through(article_id=pk, category_id=rng.choice([s for s in sections if s != own])) for pk, own in chosen],
        batch_size=1000,
    )
    return len(chosen)


def switch(on: bool) -> None:
    from xinwen.news.models import SiteSettings

    SiteSettings.objects.update_or_create(pk=SiteSettings.SINGLETON_PK, defaults={"cross_listing": on})
    SiteSettings.changed()


def measure(articles: int, renders: int, rounds: int, share: float) -> dict:
    """Runs in a child process with the site's environment; returns the figures."""
    import django

    django.setup()
    from profile_miss import _call

    from xinwen.wsgi import application as app

    listed = cross_list(share)
    PAGES = pages(articles)
    samples: dict[str, dict[str, list[float]]] = {side: {name: [] for name in PAGES} for side in ("off", "on")}
    shown: dict[str, dict[str, int]] = {"off": {}, "on": {}}
    for n in range(rounds):
        for side in ("off", "on") if n % 2 == 0 else ("on", "off"):
            switch(side == "on")
            for name, (path, query) in PAGES.items():
                for _ in range(3):  # warm: the tree, templates, the setting just switched
                    status, size = _call(app, path, query)
                if status != 200:
                    raise SystemExit(f"{path}?{query} answered {status} with cross-listing {side}")
                shown[side][name] = size
                values = []
                for _ in range(renders):
                    started = time.process_time()
                    _call(app, path, query)
                    values.append((time.process_time() - started) * 1000)
                samples[side][name].append(statistics.median(values))
    ms = {side: {name: round(statistics.median(v), 3) for name, v in pages.items()} for side, pages in samples.items()}
    return {"cross_listed": listed, "ms_cpu": ms, "bytes": shown}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.05, help="part of the generated articles listed in a further section")
    parser.add_argument("--postgres", action="store_true", help="measure on a fresh PostgreSQL database (BENCH_POSTGRES_URL)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # internal: the child
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.articles, args.renders, args.rounds, args.share)))
        return 0

    started = time.monotonic()
    var_dir = Path(tempfile.mkdtemp(prefix="xinwen-bench-cross-"))
    database = harness.postgres_database("cross") if args.postgres else contextlib.nullcontext(None)
    with database as url:
        extra = {"DATABASE_URL": url} if url else {}
        env = harness.site_env(var_dir, ALLOWED_HOSTS="127.0.0.1", DEBUG="0", PAGE_CACHE="0", **extra)
        harness.progress(f"building a site with {args.articles} generated articles ({'PostgreSQL' if url else 'SQLite'})")
        harness.demo_site(env, var_dir, args.articles)
        harness.progress(f"measuring {len(pages(args.articles))} pages × {args.renders} renders × {args.rounds} rounds, off and on")
        command = [sys.executable, __file__, "--measure", "--articles", str(args.articles), "--renders", str(args.renders),
                   "--rounds", str(args.rounds), "--share", str(args.share)]  # fmt: skip
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent)
        done = subprocess.run(command, env=env, cwd=var_dir, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"measuring failed:\n{done.stderr[-4000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(var_dir, ignore_errors=True)

    off, on = result["ms_cpu"]["off"], result["ms_cpu"]["on"]
    print(f"\n同时发布到: {result['cross_listed']} of {args.articles} generated articles listed in one further section"
          f" ({'PostgreSQL' if args.postgres else 'SQLite'}; ms of CPU per render, medians of {args.rounds} rounds)\n")  # fmt: skip
    print(f"{'page':<18}{'off':>10}{'on':>10}{'on/off':>10}")
    ratios = {}
    for name in off:
        ratios[name] = round(on[name] / off[name], 3)
        print(f"{name:<18}{off[name]:>10.2f}{on[name]:>10.2f}{ratios[name]:>9.2f}×")
    print()
    worst = max(ratios.values())
    goals = harness.goals_report({f"cross-listing on ≤ {GOAL_RATIO}× off on every page": (worst <= GOAL_RATIO, f"worst {worst:.2f}×")})
    path = harness.write_results(
        "cross_listing",
        {"args": vars(args), **result, "ratios": ratios, "goals": goals, "seconds": round(time.monotonic() - started, 1)},
    )
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
