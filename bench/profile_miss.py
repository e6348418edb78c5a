"""CPU per page-cache miss, in-process: ms of CPU per render of each page and script, and where it goes.

Usage: .venv/bin/python bench/profile_miss.py [--articles 2000] [--renders 300] [--top 25] [--no-profile] [--profile-script zh-tw]
                                              [--stored]
                                              [--baseline OTHER/src [--rounds 3]] [--instructions 40]

Builds a throw-away SQLite site (migrate, the demo, generated articles as bench/pages.py
makes them), then in a child process with production settings and PAGE_CACHE=0 calls
xinwen's WSGI application directly (no server, no network) for the article page in every
script (a different article each render), category list pages 1 and 50 and home, and
measures time.process_time() per render: CPU, which load from other processes on a shared
machine does not inflate the way it does wall time. A second child runs the plain Django
peer (bench/peer.py: 3 queries, the same shape of page) on the same database, so the ratio
to a plain Django render is measured in the same run. Then a cProfile of article renders
prints the functions with the most own time and the biggest cumulative ones.

With --stored, a third child measures article misses with the page cache on, as
bench/pages.py's "cache miss (cold, stored)" row serves them: each a different page,
asked for with brotli, rendered, compressed and stored; and profiles them.

With --baseline, another xinwen source tree (a checkout of an earlier commit's src/) is
measured on the same site in alternating rounds, for a before/after in one run.

With --instructions N (needs Debian's valgrind), each tree and the peer also render N
article pages under valgrind's instruction counter (cachegrind, no cache simulation), once
with N and once with none: the difference over N is the instructions of one render. A
count does not depend on the machine's load or its CPU's changing speed, so it settles
before/after questions that CPU time on a shared virtual machine leaves open (there, two
runs of one tree a minute apart can differ by 40 %).

Goal: ≤ 3 ms CPU per article miss (≈ 600 req/s on 2 workers) and ≤ 1/1.2 of the peer's CPU.
Writes bench/results/profile_miss-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

BENCH = Path(__file__).resolve().parent
SCRIPTS = {"zh-hans": "", "zh-hant": "/zh-hant", "zh-tw": "/zh-tw", "zh-hk": "/zh-hk"}
GOAL_MS = 3.0


ACCEPT = "identity"  # the stored child (--stored) asks as browsers and crawlers do


def _call(app, path: str, query: str = "") -> tuple[int, int]:
    """One GET through a WSGI app; (status, bytes)."""
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": "GET", "HTTP_HOST": "127.0.0.1",
               "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0", "HTTP_ACCEPT_ENCODING": ACCEPT}  # fmt: skip
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = "127.0.0.1"
    status = []
    body = app(environ, lambda s, h, exc_info=None: status.append(int(s.split()[0])))
    size = sum(len(chunk) for chunk in body)
    if hasattr(body, "close"):
        body.close()
    return status[0], size


def _time(app, paths: list[tuple[str, str]]) -> list[float]:
    samples = []
    for path, query in paths:
        started = time.process_time()
        status, _ = _call(app, path, query)
        samples.append((time.process_time() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path}?{query} answered {status}")
    return samples


def measure(which: str, first: int, last: int, renders: int, top: int, profile: bool, profile_script: str | None = None) -> dict:
    """Runs in a child process set up for `which` (xinwen or peer); returns its figures.

    With the page cache on (which == "stored"), only article pages, each one a cold miss that is
    rendered, compressed with brotli and stored, as bench/pages.py's "cache miss (cold, stored)" row.
    """
    global ACCEPT
    stored = which == "stored"
    if stored:
        which, ACCEPT = "xinwen", "gzip, deflate, br"
    if which == "peer":
        os.environ["DJANGO_SETTINGS_MODULE"] = "peerapp.settings"
        sys.path.insert(0, os.getcwd())
        from peerapp.wsgi import application as app
    else:
        from xinwen.wsgi import application as app
        try:
            from xinwen.serving.prefork import refresh_statistics
        except ImportError:  # a --baseline tree from before serve refreshed them
            pass
        else:
            refresh_statistics()  # as `xinwen serve` does before forking its workers
    if stored:
        from xinwen.pagecache.services import pages_purge_all

        pages_purge_all()  # cold: nothing stored by an earlier run
    span = last - first + 1

    def articles(prefix: str, offset: int) -> list[tuple[str, str]]:
        return [(f"{prefix}/article/{first + (offset + i * 7) % span}/", "") for i in range(renders)]

    pages: dict[str, list[tuple[str, str]]] = {}
    if which == "peer":
        pages["article zh-hans"] = articles("", 0)
    elif stored:  # the first three of each script warm up below; the rest are each rendered once
        pages = {f"article stored {code}": articles(prefix, n * renders * 7 + 1) for n, (code, prefix) in enumerate(SCRIPTS.items())}
    else:
        for n, (code, prefix) in enumerate(SCRIPTS.items()):
            pages[f"article {code}"] = articles(prefix, n * renders * 7 + 1)
        pages["list page 1"] = [("/category/company/", "")] * renders
        deep = max(min(50, span // len(SCRIPTS) // 20), 1)  # page 50, or the deepest a smaller site has
        pages[f"list page {deep}"] = [("/category/company/", f"page={deep}")] * renders
        pages["home"] = [("/", "")] * renders
    for name, rows in pages.items():  # warm: templates, the tree, connections, the first conversion of titles
        _time(app, rows[:3])
        if stored:
            pages[name] = rows[3:]
    # Interleaved in slices, so a change in the machine's load touches every page alike.
    samples: dict[str, list[float]] = {name: [] for name in pages}
    step = max(renders // 10, 1)
    for start in range(0, renders, step):
        for name, rows in pages.items():
            samples[name] += _time(app, rows[start : start + step])
    result = {"ms_cpu": {name: round(statistics.median(values), 3) for name, values in samples.items()}}
    if profile:
        import cProfile
        import io
        import pstats

        if which == "peer":
            rows = articles("", 3)
        elif stored:  # the same misses again, the store emptied first
            pages_purge_all()
            rows = [row for rows in pages.values() for row in rows[: renders // 4]]
        elif profile_script:
            rows = articles(SCRIPTS[profile_script], 5)
        else:
            rows = [r for code, prefix in SCRIPTS.items() for r in articles(prefix, 5)[: renders // 4]]
        profiler = cProfile.Profile()
        profiler.enable()
        for path, query in rows:
            _call(app, path, query)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
        if os.environ.get("PROFILE_CALLERS"):  # --callers: who calls the functions matching it
            stats.print_callers(os.environ["PROFILE_CALLERS"])
        result["profile"] = f"{len(rows)} article renders\n" + out.getvalue()
    return result


def count(which: str, first: int, last: int, renders: int, script: str) -> None:
    """Runs under valgrind in a child: three warm renders, then `renders` article renders in `script` (the peer: its one page)."""
    if which == "peer":
        os.environ["DJANGO_SETTINGS_MODULE"] = "peerapp.settings"
        sys.path.insert(0, os.getcwd())
        from peerapp.wsgi import application as app
    else:
        from xinwen.wsgi import application as app
    prefix = "" if which == "peer" else SCRIPTS[script]
    span = last - first + 1
    _time(app, [(f"{prefix}/article/{first + i}/", "") for i in range(3)])
    _time(app, [(f"{prefix}/article/{first + (3 + i * 7) % span}/", "") for i in range(renders)])


def _instructions(var_dir: Path, which: str, ids: dict, renders: int, script: str, source: str | None = None) -> float:
    """Millions of instructions of one article render: (count with `renders` − count with none) / renders."""
    counts = []
    for n in (0, renders):
        env = harness.site_env(var_dir, ALLOWED_HOSTS="127.0.0.1", DEBUG="0", PAGE_CACHE="0", PYTHONUNBUFFERED="1")
        if source:
            env["PYTHONPATH"] = source
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", sys.executable, __file__,
                   "--count", which, "--first", str(ids["first"]), "--last", str(ids["last"]), "--renders", str(n), "--profile-script", script]  # fmt: skip
        done = subprocess.run(command, env=env, cwd=var_dir, capture_output=True, text=True)
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if done.returncode or not found:
            raise SystemExit(f"counting {which} failed:\n{done.stderr[-4000:]}")
        counts.append(int(found.group(1).replace(",", "")))
    return (counts[1] - counts[0]) / renders / 1e6


def _count_all(var_dir: Path, ids: dict, args) -> dict:
    """Instructions per article render: this tree in every script, the baseline's if given, the peer's; a table and the ratios."""
    harness.progress(f"counting instructions under valgrind ({args.instructions} renders per tree and script, two runs each)")
    found = {f"this {code}": _instructions(var_dir, "xinwen", ids, args.instructions, code) for code in SCRIPTS}
    if args.baseline:
        found |= {f"baseline {code}": _instructions(var_dir, "xinwen", ids, args.instructions, code, args.baseline) for code in SCRIPTS}
    peer = _instructions(var_dir, "peer", ids, args.instructions, "zh-hans")
    print(f"{'article render':<24}{'M instructions':>15}{'peer / it':>11}")
    for name, millions in found.items():
        print(f"{name:<24}{millions:>15.2f}{peer / millions:>10.2f}×")
    print(f"{'peer (plain Django)':<24}{peer:>15.2f}")
    return {"m_instructions": found, "peer_m_instructions": peer}


def _child(var_dir: Path, which: str, ids: dict, args, *, source: str | None = None, profile: bool = True) -> dict:
    env = harness.site_env(var_dir, ALLOWED_HOSTS="127.0.0.1", DEBUG="0", PAGE_CACHE=str(int(which == "stored")), PYTHONUNBUFFERED="1",
                           PROFILE_CALLERS=args.callers or "", **({"REDIS_URL": args.redis} if args.redis else {}))  # fmt: skip
    if source:  # another xinwen source tree (a checkout's src/), imported before the installed one
        env["PYTHONPATH"] = source
    command = [sys.executable, __file__, "--measure", which, "--first", str(ids["first"]), "--last", str(ids["last"]),
               "--renders", str(args.renders), "--top", str(args.top)] + (["--profile-script", args.profile_script] if args.profile_script else []) + ([] if profile and not args.no_profile else ["--no-profile"])  # fmt: skip
    done = subprocess.run(command, env=env, cwd=var_dir, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"measuring {which} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _compare(var_dir: Path, ids: dict, args, mine: dict, theirs: dict) -> None:
    """This tree against --baseline and the peer, alternating round by round; medians of the rounds."""
    rounds = {"this": [mine["ms_cpu"]], "baseline": [], "peer": [theirs["ms_cpu"]]}
    for n in range(args.rounds):
        harness.progress(f"round {n + 1}/{args.rounds}: baseline, this tree, peer")
        rounds["baseline"].append(_child(var_dir, "xinwen", ids, args, source=args.baseline, profile=False)["ms_cpu"])
        if n:
            rounds["this"].append(_child(var_dir, "xinwen", ids, args, profile=False)["ms_cpu"])
            rounds["peer"].append(_child(var_dir, "peer", ids, args, profile=False)["ms_cpu"])
    median = {who: {page: statistics.median(r[page] for r in runs) for page in runs[0]} for who, runs in rounds.items()}
    peer_ms = median["peer"]["article zh-hans"]
    print(f"{'page':<18}{'baseline':>10}{'this':>10}{'change':>9}   ms CPU per render, medians of {args.rounds} rounds")
    for page, ms in median["this"].items():
        before = median["baseline"][page]
        print(f"{page:<18}{before:>10.2f}{ms:>10.2f}{(ms / before - 1) * 100:>8.0f}%")
    print(f"{'peer':<18}{peer_ms:>20.2f}")
    mine["baseline"] = median["baseline"]
    mine["ms_cpu"], theirs["ms_cpu"] = median["this"], median["peer"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--renders", type=int, default=300, help="renders per page and script")
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile table")
    parser.add_argument("--profile-script", choices=list(SCRIPTS), help="profile only this script's article renders")
    parser.add_argument("--no-profile", action="store_true", help="only the CPU per render")
    parser.add_argument("--stored", action="store_true", help="also article misses with the page cache on (render, brotli, store) and their profile")
    parser.add_argument("--redis", metavar="URL", help="the site's REDIS_URL (stamps and caches in Redis, as with several app servers)")
    parser.add_argument("--callers", metavar="REGEX", help="also list the callers of the profiled functions matching REGEX")
    parser.add_argument("--baseline", metavar="SRC", help="also measure the xinwen source tree SRC (e.g. a checkout of main's src/), "
                        "alternating with this one over --rounds rounds: before/after in one run")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="rounds with --baseline")
    parser.add_argument("--instructions", type=int, metavar="N", help="also count the instructions of N article renders per tree and "
                        "script under valgrind (immune to the machine's load)")  # fmt: skip
    parser.add_argument("--measure", choices=["xinwen", "peer", "stored"], help=argparse.SUPPRESS)  # internal: the child
    parser.add_argument("--count", choices=["xinwen", "peer"], help=argparse.SUPPRESS)  # internal: the child under valgrind
    parser.add_argument("--first", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        count(args.count, args.first, args.last, args.renders, args.profile_script or "zh-hans")
        return 0
    if args.measure:
        print(json.dumps(measure(args.measure, args.first, args.last, args.renders, args.top, not args.no_profile, args.profile_script)))
        return 0

    import peer

    var_dir = Path(tempfile.mkdtemp(prefix="xinwen-bench-miss-"))
    env = harness.site_env(var_dir)
    harness.progress(f"profile_miss: building the site in {var_dir}: migrate, demo, {args.articles:,} articles")
    ids = harness.demo_site(env, var_dir, args.articles)
    peer.write(var_dir, var_dir / "xinwen.sqlite3")
    harness.progress(f"measuring xinwen ({args.renders} renders per page)")
    mine = _child(var_dir, "xinwen", ids, args)
    harness.progress("measuring the plain Django peer")
    theirs = _child(var_dir, "peer", ids, args)
    if args.baseline:
        _compare(var_dir, ids, args, mine, theirs)
    stored = {}
    if args.stored:
        harness.progress("measuring xinwen's stored misses (page cache on)")
        stored = _child(var_dir, "stored", ids, args)
        mine["ms_cpu"] |= stored["ms_cpu"]
    counted = {}
    if args.instructions:
        if shutil.which("valgrind"):
            counted = _count_all(var_dir, ids, args)
        else:
            print("instructions not counted: valgrind is not installed (apt-get install valgrind)")

    if "profile" in mine:
        print("== xinwen: article renders, by own time, then cumulative ==")
        print(mine["profile"])
    if "profile" in stored:
        print("== xinwen: stored article misses (render, brotli, store), by own time, then cumulative ==")
        print(stored["profile"])
    print(f"{'page':<18}{'ms CPU/render':>15}")
    for name, ms in mine["ms_cpu"].items():
        print(f"{name:<18}{ms:>15.2f}")
    peer_ms = theirs["ms_cpu"]["article zh-hans"]
    print(f"{'peer (plain Django, 3 queries)':<30}{peer_ms:>8.2f}")
    worst = max(ms for name, ms in mine["ms_cpu"].items() if name.startswith("article") and "stored" not in name)
    ratio = peer_ms / worst if worst else 0
    goals = harness.goals_report({
        f"article miss ≤ {GOAL_MS} ms CPU in every script": (worst <= GOAL_MS, f"slowest script {worst:.2f} ms"),
        "article miss ≥ 1.2× the plain Django peer": (ratio >= 1.2, f"{ratio:.2f}× (peer {peer_ms:.2f} ms)"),
    })  # fmt: skip
    harness.write_results("profile_miss", {"articles": args.articles, "renders": args.renders, "xinwen": mine["ms_cpu"],
                                           "baseline": mine.get("baseline"),
                                           "peer": theirs["ms_cpu"], **counted, "goals": goals})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
