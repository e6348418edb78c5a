"""Content-check throughput: characters per second of the lexicon stage on a 20,000-character article.

Usage: .venv/bin/python bench/content_check.py [--chars 20000] [--rounds 200]

Builds the matcher from the built-in lexicon, makes an article of demo text (every demo
article's body, repeated to the length asked), warms the fold table as a running server's
would be, then times `Matcher.find` plus the keyword-stuffing scan over it. Also times one
article with a hit (the path that maps offsets back to the original text) and a cold start
(a process's first article after the fold table is built). Goal: >= 5 M chars/s for the warm lexicon stage.
The 错别字 stage (the built-in confusion set) and the 人名职务 stage (the demo's people plus
300 more listed names) are timed the same way and reported beside it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

from xinwen.guard.lexicon import builtin_entries  # noqa: E402
from xinwen.guard.matcher import _BMP, _TABLE, BLOCK, Matcher, _bmp_table, stuffing_hits  # noqa: E402
from xinwen.site.demo_content import ARTICLES  # noqa: E402


def article_text(chars: int) -> str:
    text = "".join(re.sub(r"<[^>]*>", "\n", a["body"]) for a in ARTICLES)
    return (text * (chars // len(text) + 1))[:chars]


def per_second(fn, text: str, rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        fn(text)
    return len(text) * rounds / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    entries = builtin_entries()
    _TABLE.clear()
    _BMP.clear()
    started = time.perf_counter()
    _bmp_table()
    table = time.perf_counter() - started
    started = time.perf_counter()
    matcher = Matcher(entries)
    build = time.perf_counter() - started
    text = article_text(args.chars)

    started = time.perf_counter()
    cold_hits = matcher.find(text)
    cold = time.perf_counter() - started

    def stage(t: str):
        return matcher.find(t) + stuffing_hits(t, category="广告/黑帽SEO", action=BLOCK)

    clean = per_second(stage, text, args.rounds)
    dirty_text = text[: len(text) // 2] + "久久 精\u200b品" + text[len(text) // 2 :]
    dirty = per_second(stage, dirty_text, args.rounds)
    print(f"fold table (once per process): {table * 1000:.0f} ms")
    print(f"lexicon: {len(entries)} entries, {matcher.size} folded keys, automaton built in {build * 1000:.1f} ms")
    print(f"article: {len(text)} characters, {len(cold_hits)} hits")
    print(f"cold (first article of a process): {cold * 1000:.1f} ms")
    print(f"warm, no hit:   {clean / 1e6:.2f} M chars/s  ({len(text) / clean * 1000:.2f} ms per article)")
    print(f"warm, one hit:  {dirty / 1e6:.2f} M chars/s  ({len(dirty_text) / dirty * 1000:.2f} ms per article)")

    import datetime

    from xinwen.guard.people import PeopleChecker, Post
    from xinwen.guard.typos import TypoFinder, _folded, builtin_confusions

    started = time.perf_counter()
    _folded("")
    finder = TypoFinder(builtin_confusions())
    typo_setup = time.perf_counter() - started
    posts = [Post("周建国", "党委书记"), Post("周建国", "董事长"), Post("刘振华", "总经理"), Post("陈立群", "副总经理"), Post("吴海涛", "总经理")]
    people = PeopleChecker(posts + [Post(f"测试{n:03d}", "处长") for n in range(300)])
    today = datetime.date.today()
    typos = per_second(finder.find, text, args.rounds)
    names = per_second(lambda t: people.find(t, today), text, args.rounds)
    print(f"错别字: {finder.size} entries, set up in {typo_setup * 1000:.0f} ms (once per process); {typos / 1e6:.2f} M chars/s ({len(text) / typos * 1000:.2f} ms per article)")
    print(f"人名职务: {people.size} names; {names / 1e6:.2f} M chars/s ({len(text) / names * 1000:.2f} ms per article)")
    goals = harness.goals_report({
        "lexicon stage >= 5 M chars/s (20,000-character article, no hit)": (clean >= 5e6, f"{clean / 1e6:.2f} M chars/s"),
        "all checks of a 20,000-character article well under 1 s": (
            len(text) / clean + len(text) / typos + len(text) / names < 0.5,
            f"{(len(text) / clean + len(text) / typos + len(text) / names) * 1000:.1f} ms",
        ),
    })
    harness.write_results("content_check", {
        "settings": vars(args),
        "entries": len(entries),
        "folded_keys": matcher.size,
        "fold_table_ms": round(table * 1000, 1),
        "cold_ms": round(cold * 1000, 2),
        "lexicon_chars_per_second": round(clean),
        "lexicon_chars_per_second_one_hit": round(dirty),
        "typo_chars_per_second": round(typos),
        "people_chars_per_second": round(names),
        "goals": goals,
    })


if __name__ == "__main__":
    main()
