"""The page cache's disk store as it fills: CPU per stored page at growing sizes, with this tree and another.

Usage: .venv/bin/python bench/store.py [--entries 20000] [--step 5000] [--baseline OTHER/src] [--rounds 2]

A crawler walking a long archive stores page after page, so what a put costs when the store
already holds many entries is what matters, not what the first put costs. A child process
(no Django, no server) makes a DiskStore in a throw-away folder with the default size cap
(PAGE_CACHE_MAX_MB: 512) and stores `--entries` article-sized entries (a 19 KB page, identity
and brotli bodies, six tags each, as an article page carries), timing each block of `--step`
puts with os.times(): user and system CPU per put, sweeps included. With --baseline, the same
runs with another checkout's src/, alternating, for a before/after in one run.

Goal: the CPU of a put does not grow with the store: the last block within 1.5x of the second
(the first also creates the store's folders).
Writes bench/results/store-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import harness

SRC = Path(__file__).resolve().parent.parent / "src"

CHILD = r"""
import json, os, sys, time
from xinwen.pagecache.entry import entry_build
from xinwen.pagecache.store_disk import DiskStore

root, entries, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
store = DiskStore(root, max_bytes=512 * 1024 * 1024)
body = ("<!doctype html><article>" + "".join(f"<p>第{n}段：新闻中心发布的企业动态与行业资讯。</p>" for n in range(250)) + "</article>").encode()  # ~19 KB, as an article page
blocks = []
start = os.times()
for n in range(entries):
    now = time.time()
    entry = entry_build(key=f"http://127.0.0.1/article/{n}/", status="200 OK",
                        headers=[("Content-Type", "text/html; charset=utf-8")], body=body,
                        tags=(f"article:{n}", "section:company", "home", "list:company", "nav", "site"),
                        expires=now + 3600, now=now, encodings=("br",))
    store.put(entry, epoch=store.epoch())
    if (n + 1) % step == 0:
        end = os.times()
        blocks.append({"stored": n + 1, "user_ms": (end.user - start.user) * 1000 / step,
                       "system_ms": (end.system - start.system) * 1000 / step})
        start = os.times()
print(json.dumps(blocks))
"""


def run(src: str, entries: int, step: int) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="xinwen-bench-store-"))
    try:
        env = {**os.environ, "PYTHONPATH": src}
        done = subprocess.run([sys.executable, "-c", CHILD, str(folder / "pagecache"), str(entries), str(step)],
                              env=env, capture_output=True, text=True, check=True)  # fmt: skip
        return json.loads(done.stdout.splitlines()[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--step", type=int, default=5000)
    parser.add_argument("--baseline", help="another checkout's src/ folder, measured in alternating runs")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    trees = {"this tree": str(SRC), **({"baseline": args.baseline} if args.baseline else {})}
    results: dict[str, list[list[dict]]] = {name: [] for name in trees}
    for round_ in range(1, args.rounds + 1):
        for name, src in trees.items():
            harness.progress(f"store: {name}, round {round_} of {args.rounds}: {args.entries:,} puts")
            results[name].append(run(src, args.entries, args.step))

    print(f"ms of CPU per put (user + system), by entries stored; {args.rounds} round(s), lowest shown")
    print(f"{'stored':>10}" + "".join(f"{name:>22}" for name in trees))
    def cpu(block: dict) -> float:
        return block["user_ms"] + block["system_ms"]

    # Per block, the round that cost least: load from other processes only ever adds.
    best = {name: [min((run[i] for run in runs), key=cpu) for i in range(len(runs[0]))] for name, runs in results.items()}
    for i, block in enumerate(best["this tree"]):
        cells = "".join(f"{b[i]['user_ms']:>10.3f} + {b[i]['system_ms']:<9.3f}" for b in best.values())
        print(f"{block['stored']:>10,}{cells}")
    blocks = best["this tree"]
    first, last = cpu(blocks[min(1, len(blocks) - 1)]), cpu(blocks[-1])
    goals = harness.goals_report({
        "a put's CPU does not grow with the store (last block ≤ 1.5x the second)": (last <= 1.5 * first, f"{first:.3f} → {last:.3f} ms"),
    })  # fmt: skip
    harness.write_results("store", {"entries": args.entries, "step": args.step, "rounds": args.rounds,
                                    "runs": results, "goals": goals})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
