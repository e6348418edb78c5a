"""Static publishing, this tree against another in the same run: full build time and the same bytes, incremental latency.

Usage: .venv/bin/python bench/publish_compare.py --baseline OTHER/src [--articles 1000] [--jobs 2] [--edits 4]

On a machine shared with other work only a comparison from one run means anything. Builds
a throw-away SQLite site (migrate, the demo, N generated articles as bench/pages.py makes
them), then, in a child process per source tree (alternating):
1. a full build with `--jobs` processes (`xinwen publish`'s service, progress bar on
   stderr): wall seconds, pages/s, CPU seconds of the build and its workers; the two
   release trees must be byte for byte the same (manifest included: one signing key);
2. `--edits` incremental publishes of one of the newest articles' title (which also
   rewrites every article page of its section: their 相关文章 show it): seconds from the
   service call until the article's page in the tree shows the new title, and until the
   whole run is done. No nginx needed: bench/static.py measures serving.
Exits 1 when the trees differ.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import harness

BENCH = Path(__file__).resolve().parent
THIS_SRC = str(BENCH.parent / "src")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_build(target: Path, jobs: int) -> dict:
    import django

    django.setup()
    from xinwen.publishing.services import site_publish

    t0, c0 = time.perf_counter(), _cpu()
    report = site_publish(target=target, jobs=jobs, progress=True)
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "pages": report.pages, "files": len(report.written)}


def child_edit(target: Path, n: int) -> dict:
    import django

    django.setup()
    from xinwen.news.models import Article
    from xinwen.news.services import article_save
    from xinwen.publishing.services import site_publish_changed

    article = Article.objects.published().filter(external_url="").order_by("-publish_at", "-pk")[5]
    page = target / f"article/{article.pk}/index.html"
    article.title = f"基准测试第{n}次修改的标题{os.getpid()}"
    wanted = article.title.encode()
    seen = {}

    def watch():
        while "at" not in seen:
            try:
                if wanted in page.read_bytes():
                    seen["at"] = time.perf_counter()
                    return
            except FileNotFoundError:
                pass
            time.sleep(0.002)

    watcher = threading.Thread(target=watch, daemon=True)
    t0 = time.perf_counter()
    watcher.start()
    article_save(article=article, user=None, changed_fields=["title"])
    report = site_publish_changed(target=target)
    done = time.perf_counter()
    watcher.join(5)
    return {"visible": seen.get("at", done) - t0, "done": done - t0, "pages": report.pages}


def _run(var_dir: Path, source: str, *args: str) -> dict:
    env = harness.site_env(var_dir, PYTHONPATH=source, PYTHONUNBUFFERED="1")
    run = subprocess.run([sys.executable, __file__, "--child", *args], env=env, cwd=var_dir, stdout=subprocess.PIPE, text=True)
    if run.returncode:
        raise SystemExit(f"child {args} with {source} failed")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="the other checkout's src folder (required)")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--edits", type=int, default=4)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, target, number = args.child[0], Path(args.child[1]), int(args.child[2])
        result = child_build(target, number) if kind == "build" else child_edit(target, number)
        print(json.dumps(result))
        return 0
    if not args.baseline:
        parser.error("--baseline OTHER/src is required")

    load_before = os.getloadavg()
    var_dir = Path(tempfile.mkdtemp(prefix="xinwen-bench-publish-"))
    var_dir.chmod(0o755)
    env = harness.site_env(var_dir, PYTHONPATH=THIS_SRC)
    harness.progress(f"building the site in {var_dir}: migrate, demo, {args.articles:,} articles")
    if args.articles:
        harness.demo_site(env, var_dir, args.articles)
    else:  # the demo alone (pages.py takes --generate 0 for no generation at all)
        harness.xinwen(env, var_dir, "migrate", "--no-input", "--verbosity", "0")
        harness.xinwen(env, var_dir, "demo", "--no-server")
    trees = {"baseline": args.baseline, "this": THIS_SRC}
    targets = {name: var_dir / "public" / name / "site" for name in trees}
    builds = {}
    for name in ("baseline", "this"):
        harness.progress(f"full build, {name} ({trees[name]}), {args.jobs} processes")
        builds[name] = _run(var_dir, trees[name], "build", str(targets[name]), str(args.jobs))
    harness.progress("comparing the two releases byte for byte")
    before, after = _tree(targets["baseline"].resolve()), _tree(targets["this"].resolve())
    differing = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
    edits = {"baseline": [], "this": []}
    for n in range(args.edits):
        for name in (("baseline", "this") if n % 2 == 0 else ("this", "baseline")):
            harness.progress(f"edit {n + 1}/{args.edits}, {name}")
            edits[name].append(_run(var_dir, trees[name], "edit", str(targets[name]), str(n)))

    print()
    print(f"static publishing, {args.articles:,} generated articles + the demo, {args.jobs} processes, "
          f"load {load_before[0]:.1f} → {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'measure':<46}{'baseline':>12}{'this':>12}{'ratio':>8}")
    rows = []
    for label, key in (("full build, wall (s)", "seconds"), ("full build, CPU incl. workers (s)", "cpu")):
        rows.append((label, builds["baseline"][key], builds["this"][key]))
    rows.append(("  pages/s (wall)", builds["baseline"]["pages"] / builds["baseline"]["seconds"], builds["this"]["pages"] / builds["this"]["seconds"]))
    rows.append(("  CPU ms per page", builds["baseline"]["cpu"] / builds["baseline"]["pages"] * 1000, builds["this"]["cpu"] / builds["this"]["pages"] * 1000))
    for label, key in (("incremental → page visible", "visible"), ("incremental → run done", "done")):
        for stat, fn in (("p50", statistics.median), ("max", max)):
            rows.append((f"{label}, {stat} (s)", fn(e[key] for e in edits["baseline"]), fn(e[key] for e in edits["this"])))
    rows.append(("  pages rewritten per edit (median)", statistics.median(e["pages"] for e in edits["baseline"]), statistics.median(e["pages"] for e in edits["this"])))
    for label, old, new in rows:
        print(f"{label:<46}{old:>12.2f}{new:>12.2f}{(new / old if old else 0):>8.2f}")
    print(f"pages / files: {builds['this']['pages']:,} / {len(after):,}; files that differ: {len(differing)}")
    for name in differing[:10]:
        print(f"  differs: {name}")
    harness.write_results(
        "publish_compare",
        {"articles": args.articles, "jobs": args.jobs, "load_before": load_before, "builds": builds, "edits": edits,
         "differing": differing[:50], "files": len(after)},  # fmt: skip
    )
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
