"""Search at scale: index build time, index size and query latency on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/search.py [--articles 100000] [--queries 1000] [--backends sqlite,postgresql]
       [--database-url URL]

Generates articles of about 1,500 characters from the demo news center's sentences,
with invented names, figures and codes mixed in (and one in twenty written in
Traditional script), bulk-inserts them, builds the index with the same service as
`xinwen reindex`, then times 1,000 realistic queries (words, word pairs, names,
numbers and codes, Traditional script, quoted phrases, single characters, section
and date filters): parse + rank + the first page of public articles, without the
result cache, twice (the first pass reads the index from disk, the second finds it in
the page cache, as a busy site does), and once more through the full results page. Each backend runs in its
own process. PostgreSQL runs in a database created for the run and dropped after it, on
the server of BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
--database-url names an existing database instead, which is emptied and refilled (with --reuse,
kept as it is when it already holds the index of --articles articles: run the queries again).
--explain N prints EXPLAIN (ANALYZE, BUFFERS) of every statement of the N slowest queries of the
second pass, run again as they ran (same transaction, same settings), to stderr and the JSON.
Progress goes to stderr; the table, the goals (p99 at most 50 ms on every backend, SQLite
index at most 1.5 times the stored text) to stdout, and bench/results/search-<time>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html import unescape

import harness

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志文斌辉宇浩凯健俊帆鹏晨阳欣怡雨婷涵萱思远博嘉琪曦岚峰"
PLACES = ["滨江", "临海", "青川", "云岭", "江北", "南湖", "西山", "东港", "北原", "长屿"]
PRODUCTS = ["减速器", "伺服电机", "储能柜", "变流器", "控制器", "机器人", "数控机床", "传感器", "充电桩", "光伏组件"]


def _corpus():
    from xinwen.site import demo_content

    sentences, titles = [], []
    for item in demo_content.ARTICLES:
        text = unescape(re.sub(r"<[^>]+>", "", item["body"] + item["summary"]))
        sentences += [s for s in re.findall(r"[^。！？；]+[。！？；]", text) if len(s) > 8]
        titles.append(item["title"])
    return sentences, titles


class Generator:
    """Realistic news text: demo sentences, recombined, with new names, places, figures and codes."""

    def __init__(self, seed: int = 20240501):
        self.rng = random.Random(seed)
        self.sentences, self.titles = _corpus()

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def code(self) -> str:
        return f"ZL-{self.rng.choice('ABCDEFGHK')}{self.rng.randint(10, 999)}"

    def _vary(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            text = re.sub(r"\d+", lambda m: str(rng.randint(1, 3000)), text)
        if rng.random() < 0.2:
            text = text.replace("滨江", rng.choice(PLACES))
        return text

    def article(self) -> tuple[str, str, str]:
        rng = self.rng
        title = self._vary(rng.choice(self.titles))
        if rng.random() < 0.3:
            title = f"{rng.choice(PLACES)}{rng.choice(PRODUCTS)}项目{rng.choice(['开工', '投产', '通过验收', '签约'])}"
        paragraphs, length, current = [], 0, []
        while length < 1500:
            sentence = self._vary(rng.choice(self.sentences))
            roll = rng.random()
            if roll < 0.15:
                sentence = f"{self.name()}表示，{sentence}"
            elif roll < 0.2:
                sentence = f"{rng.choice(PRODUCTS)}型号{self.code()}{sentence}"
            current.append(sentence)
            length += len(sentence)
            if len(current) >= rng.randint(3, 6):
                paragraphs.append("".join(current))
                current = []
        if current:
            paragraphs.append("".join(current))
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        summary = paragraphs[0][:100]
        return title, summary, body


def build(count: int) -> None:
    """Bulk-insert `count` generated articles (no index yet)."""
    from datetime import datetime, timedelta, timezone

    from django.db import transaction

    from xinwen.hanzi.convert import convert
    from xinwen.site import demo_content
    from xinwen.news.models import Article, Category

    categories = {}
    for slug, name, parent, order, description in demo_content.CATEGORIES:
        categories[slug] = Category.objects.create(slug=slug, name=name, parent=categories.get(parent), order=order)
    leaves = [c for slug, c in categories.items() if slug != "news"]
    generator = Generator()
    start = datetime(2016, 1, 1, tzinfo=timezone.utc)
    span = (datetime(2026, 1, 1, tzinfo=timezone.utc) - start).total_seconds()
    batch = []
    started = time.perf_counter()
    for n in range(count):
        title, summary, body = generator.article()
        script = "zh-hans"
        if n % 20 == 19:  # some offices write in Traditional script
            title, summary, body = (convert(t, "zh-tw", source="zh-hans") for t in (title, summary, body))
            script = "zh-hant"
        batch.append(
            Article(
                title=title[:200], summary=summary, body=body, category=generator.rng.choice(leaves),
                source_name=generator.rng.choice(["本站", "集团工会", "科技发展部", "中国工业报", "滨江日报"]),
                author=generator.name(), status=Article.Status.PUBLISHED, source_script=script,
                publish_at=start + timedelta(seconds=generator.rng.random() * span),
            )
        )  # fmt: skip
        if len(batch) == 2000 or n == count - 1:
            with transaction.atomic():
                Article.objects.bulk_create(batch)
            batch = []
            print(f"  articles {n + 1}/{count} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


def queries(count: int, seed: int = 7) -> list[dict]:
    """Realistic searches: mostly one or two words; names, figures, Traditional script, phrases, filters."""
    from xinwen.hanzi.convert import convert
    from xinwen.hanzi.segment import Segmenter, normalise

    rng = random.Random(seed)
    generator = Generator(seed=99)
    segmenter = Segmenter()
    words = [t.text for s in generator.titles + generator.sentences[:300] for t in segmenter.tokens(normalise(s)) if len(t.text) >= 2 and t.is_cjk]
    out = []
    for n in range(count):
        roll = rng.random()
        if roll < 0.30:
            q = rng.choice(words)
        elif roll < 0.45:
            q = f"{rng.choice(words)} {rng.choice(words)}"
        elif roll < 0.55:
            q = generator.name()
        elif roll < 0.62:
            q = rng.choice([f"{rng.randint(2016, 2025)}年", "5G", "RV减速器", generator.code(), f"{rng.randint(1, 99)}.{rng.randint(1, 9)}%", rng.choice(PRODUCTS)])
        elif roll < 0.72:
            q = convert(rng.choice(words), "zh-tw", source="zh-hans")
        elif roll < 0.78:
            sentence = rng.choice(generator.sentences)
            start = rng.randint(0, max(len(sentence) - 6, 0))
            q = f'"{sentence[start:start + rng.randint(4, 6)]}"'
        elif roll < 0.84:
            q = rng.choice("钢碳凉聘锋铁桥港芯云网")
        elif roll < 0.92:
            q = rng.choice(words)
            out.append({"q": q, "category": rng.choice(["company", "industry", "notices", "media"])})
            continue
        else:
            q = rng.choice(words)
            year = rng.randint(2016, 2025)
            out.append({"q": q, "from": f"{year}-01-01", "to": f"{year}-06-30"})
            continue
        out.append({"q": q})
    return out


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _explained(run) -> list[dict]:
    """Run `run()` with every SELECT it makes preceded by EXPLAIN (ANALYZE, BUFFERS) of the same statement."""
    from django.db import connection

    plans = []

    def explain(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and not many:
            raw = context["cursor"].cursor
            raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [row[0] for row in raw.fetchall()]
            total = next((float(m.group(1)) for line in lines if (m := re.match(r"Execution Time: ([\d.]+) ms", line.strip()))), 0.0)
            plans.append({"sql": sql, "params": [str(p)[:200] for p in params or ()], "ms": total, "plan": lines})
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        run()
    return plans


@contextlib.contextmanager
def _collections():
    """The ms of each full (generation 2) collection the garbage collector runs inside the block."""
    pauses, started = [], []

    def callback(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append((time.perf_counter() - started.pop()) * 1000)

    gc.callbacks.append(callback)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(callback)


def worker(backend: str, articles: int, query_count: int, *, reuse: bool = False, explain: int = 0) -> dict:
    import django

    django.setup()
    from datetime import date

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from xinwen.news.models import Category
    from xinwen.news.statistics import article_statistics_refresh
    from xinwen.search import selectors
    from xinwen.search.backends import get_backend
    from xinwen.search.dictionary import current_segmenter
    from xinwen.search.query import parse_query
    from xinwen.search.services import search_rebuild

    from xinwen.search.models import SearchDocument

    print(f"[{backend}] migrating …", file=sys.stderr)
    call_command("migrate", verbosity=0)
    build_seconds = 0.0
    if reuse and SearchDocument.objects.count() == articles:
        print(f"[{backend}] reusing the index of {articles} articles already in the database", file=sys.stderr)
    else:
        call_command("flush", interactive=False, verbosity=0)
        print(f"[{backend}] generating {articles} articles …", file=sys.stderr)
        build(articles)
        # As an import does after its bulk load (news/statistics.py): without it PostgreSQL with
        # autovacuum off takes the 100,000 articles for a few dozen rows and reads every one of
        # them to fetch a results page (40 ms a search).
        article_statistics_refresh()

        print(f"[{backend}] building the index …", file=sys.stderr)
        last = [0.0]

        def progress(done, total):
            if time.perf_counter() - last[0] > 10 or done == total:
                last[0] = time.perf_counter()
                print(f"  indexed {done}/{total} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

        started = time.perf_counter()
        search_rebuild(progress=progress)
        build_seconds = time.perf_counter() - started
    size = get_backend().size()

    selectors.RESULTS_CACHE_SECONDS = 0  # measure the search, not the result cache
    workload = queries(query_count)
    sections = {c.slug: c for c in Category.objects.all()}
    segmenter = current_segmenter()
    def search(item):
        query = parse_query(item["q"], current_segmenter())
        found = selectors.ranked_articles(
            query,
            category=sections.get(item.get("category", "")),
            date_from=date.fromisoformat(item["from"]) if "from" in item else None,
            date_to=date.fromisoformat(item["to"]) if "to" in item else None,
        )
        selectors.search_page(found, 1)
        return found

    passes = []
    tracked = len(gc.get_objects())
    # As a serving worker does after preloading (serving/prefork.py): what was loaded to here
    # is frozen, so a full collection does not walk it inside a timed search.
    gc.collect()
    gc.freeze()
    for label in ("first", "second"):  # the second pass runs with the index in the OS page cache
        timings, matched, truncated = [], 0, 0
        print(f"[{backend}] {len(workload)} queries, {label} pass …", file=sys.stderr)
        with _collections() as collected:
            for item in workload:
                started = time.perf_counter()
                found = search(item)
                timings.append((time.perf_counter() - started) * 1000)
                matched += bool(found.article_ids)
                truncated += found.more
        passes.append(timings)
    print(f"[{backend}] second pass: {len(collected)} full collections, {sum(collected):.0f} ms "
          f"(longest {max(collected, default=0):.0f} ms), {tracked:,} objects tracked", file=sys.stderr)  # fmt: skip
    assert segmenter is current_segmenter()
    cold, timings = passes

    explained = []
    explain = explain if connection.vendor == "postgresql" else 0
    for ms, item in sorted(zip(timings, workload, strict=True), key=lambda pair: -pair[0])[:explain]:
        plans = _explained(lambda item=item: search(item))
        profile = cProfile.Profile()
        profile.runcall(search, item)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
        explained.append({"query": item, "ms": ms, "statements": plans, "profile": out.getvalue()})
        sql_ms = sum(p["ms"] for p in plans)
        print(f"\n=== {ms:.1f} ms ({sql_ms:.1f} ms in SQL): {json.dumps(item, ensure_ascii=False)}", file=sys.stderr)
        print(out.getvalue().split("\n\n", 1)[-1].strip(), file=sys.stderr)
        for plan in sorted(plans, key=lambda p: -p["ms"]):
            print(f"--- {plan['ms']:.1f} ms: {plan['sql'][:300]}  {plan['params']}", file=sys.stderr)
            if plan["ms"] >= 5:
                print("\n".join("    " + line for line in plan["plan"]), file=sys.stderr)

    from django.conf import settings

    settings.SEARCH_RATE_LIMIT = "1000000/60"
    client = Client()
    pages = []
    for item in workload:
        started = time.perf_counter()
        response = client.get("/search/", item)
        pages.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    cache.clear()
    return {
        "backend": f"{backend} {connection.Database.sqlite_version if backend == 'sqlite' else connection.cursor().connection.info.server_version}",
        "articles": articles,
        "build_s": build_seconds,
        "index_mb": size.get("index", 0) / 2**20,
        "documents_mb": size.get("documents", 0) / 2**20,
        "queries": len(timings),
        "matched": matched,
        "truncated": truncated,
        "cold_p50": statistics.median(cold),
        "cold_p99": percentile(cold, 99),
        "p50": statistics.median(timings),
        "p90": percentile(timings, 90),
        "p99": percentile(timings, 99),
        "max": max(timings),
        "full_collections": {"count": len(collected), "ms": sum(collected), "longest_ms": max(collected, default=0),
                             "objects_tracked": tracked},  # fmt: skip
        "page_p50": statistics.median(pages),
        "page_p99": percentile(pages, 99),
        "explained": explained,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""),
                        help="an existing PostgreSQL database to empty and fill (default: a new one, dropped after)")  # fmt: skip
    parser.add_argument("--reuse", action="store_true", help="with --database-url: keep an index of --articles articles already there")
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="EXPLAIN ANALYZE the N slowest queries (to stderr)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args.articles, args.queries, reuse=args.reuse, explain=args.explain)))
        return 0

    rows, skipped = [], []
    for backend in args.backends.split(","):
        var_dir = tempfile.mkdtemp(prefix=f"xinwen-bench-search-{backend}-")
        env = harness.site_env(var_dir)
        command = [sys.executable, __file__, "--worker", backend, "--articles", str(args.articles), "--queries", str(args.queries),
                   "--explain", str(args.explain)] + (["--reuse"] if args.reuse and args.database_url else [])  # fmt: skip
        harness.progress(f"search on {backend}: {args.articles:,} articles, {args.queries:,} queries")
        with contextlib.ExitStack() as stack:
            if backend == "postgresql":
                url = args.database_url or stack.enter_context(harness.postgres_database("search"))
                if not url:
                    skipped.append(backend)
                    continue
                env["DATABASE_URL"] = url
            result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
        shutil.rmtree(var_dir, ignore_errors=True)

    header = ("backend", "articles", "build", "index", "stored text", "1st pass p50", "1st pass p99", "p50", "p90", "p99", "max",
              "page p50", "page p99", "matched", "capped")  # fmt: skip
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in rows:
        print(
            f"{r['backend']} | {r['articles']:,} | {r['build_s']:.0f} s | {r['index_mb']:.0f} MB | {r['documents_mb']:.0f} MB | "
            f"{r['cold_p50']:.1f} ms | {r['cold_p99']:.1f} ms | "
            f"{r['p50']:.1f} ms | {r['p90']:.1f} ms | {r['p99']:.1f} ms | {r['max']:.0f} ms | "
            f"{r['page_p50']:.1f} ms | {r['page_p99']:.1f} ms | {r['matched']}/{r['queries']} | {r['truncated']}"
        )
    goals = {}
    for r in rows:
        name = r["backend"].split()[0]
        goals[f"{name} search p99 <= 50 ms"] = (r["p99"] <= 50, f"{r['p99']:.1f} ms at {r['articles']:,} articles")
        if name == "sqlite" and r["documents_mb"]:
            ratio = r["index_mb"] / r["documents_mb"]
            goals["sqlite index <= 1.5 x stored text"] = (ratio <= 1.5, f"{ratio:.2f} x ({r['index_mb']:.0f} MB / {r['documents_mb']:.0f} MB)")
    for backend in skipped:
        goals[f"{backend} search p99 <= 50 ms"] = (None, "skipped: no PostgreSQL server reachable (BENCH_POSTGRES_URL)")
    goals = harness.goals_report(goals)
    harness.write_results("search", {"settings": {"articles": args.articles, "queries": args.queries}, "rows": rows, "goals": goals})
    return 0


if __name__ == "__main__":
    sys.exit(main())
