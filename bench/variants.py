"""Serving cost of each script variant relative to the Simplified page (in-process, same run).

Usage: make bench   (or: .venv/bin/python bench/variants.py [--requests 300] [--rounds 5])

Builds a throw-away SQLite database with the demo content, then requests the same
article page in every variant through Django's full middleware stack (no network),
interleaving the variants request by request so machine noise hits them alike.
Prints the median time per request and the ratio to zh-Hans; the goal is at most 1.2.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per variant per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    var_dir = harness.in_process_site("xinwen-bench-")
    from django.test import Client

    from xinwen.hanzi.variants import VARIANTS
    from xinwen.news.models import Article

    harness.progress(f"variants: preparing the demo site in {var_dir}")
    harness.demo_site(dict(os.environ), Path(var_dir))  # in child processes, before this one opens the database
    article = Article.objects.get(title="深化国资央企与上海市合作 推动制造业发展座谈会在沪举行")
    client = Client()
    paths = {code: (f"/{v.prefix}" if v.prefix else "") + article.get_absolute_url() for code, v in VARIANTS.items()}

    cold = {}
    for code, path in paths.items():  # first render: conversion happens here
        started = time.perf_counter()
        response = client.get(path)
        cold[code] = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
    size = len(client.get(paths["zh-hans"]).content)

    # Round-robin, one request at a time in a shuffled order: load from other processes
    # on the machine then hits every variant alike, and medians shrug off the spikes.
    samples: dict[str, list[float]] = {code: [] for code in paths}
    order = list(paths)
    rng = random.Random(42)
    for round_number in range(args.rounds):
        for _ in range(args.requests):
            rng.shuffle(order)
            for code in order:
                started = time.perf_counter()
                client.get(paths[code])
                samples[code].append((time.perf_counter() - started) * 1000)
        harness.progress(f"variants: round {round_number + 1}/{args.rounds} done")

    base = statistics.median(samples["zh-hans"])
    print(f"\nArticle page ({size / 1024:.1f} KB, {article.body.count('<p>')} paragraphs), "
          f"{args.rounds} rounds x {args.requests} requests, median ms per request:")
    print(f"{'variant':<9} {'cold ms':>8} {'warm ms':>8} {'ratio':>6}")
    for code in paths:
        warm = statistics.median(samples[code])
        print(f"{code:<9} {cold[code]:>8.2f} {warm:>8.3f} {warm / base:>6.2f}")
    worst = max(statistics.median(samples[c]) for c in paths) / base
    print()
    goals = harness.goals_report({"Traditional / Simplified time per request <= 1.2": (worst <= 1.2, f"worst {worst:.2f}")})
    harness.write_results("variants", {
        "settings": {"requests": args.requests, "rounds": args.rounds},
        "rows": [{"variant": c, "cold_ms": cold[c], "warm_ms": statistics.median(samples[c])} for c in paths],
        "goals": goals,
    })  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
