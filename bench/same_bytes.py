"""Same bytes before and after: every demo page in every script, rendered by two xinwen source trees.

Usage: .venv/bin/python bench/same_bytes.py --baseline OTHER/src [--articles 40]

A speed-up of the cache-miss render must not change a byte of what readers get. Builds a
throw-away SQLite site (migrate, the demo, a few generated articles as bench/pages.py makes
them), then renders in a child process per source tree, with the page cache off and the same
clock, every public page of the demo (home, every section page, every 标签 and 专题 page, the
site map, every published article with and without pinyin) under every script prefix, and
compares the responses byte for byte. Exits 1 and names the first differing pages if any differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import harness

BENCH = Path(__file__).resolve().parent
PREFIXES = ("", "/zh-hant", "/zh-tw", "/zh-hk")


def pages() -> list[str]:
    """Every public page of the site (runs in the child, with Django set up)."""
    from xinwen.news.models import Article, Category, Tag, Topic

    paths = ["/", "/sitemap/"]
    paths += [f"/category/{slug}/" for slug in Category.objects.values_list("slug", flat=True)]
    paths += [f"/tag/{slug}/" for slug in Tag.objects.values_list("slug", flat=True)]
    paths += [f"/topic/{slug}/" for slug in Topic.objects.filter(is_public=True).values_list("slug", flat=True)]
    for pk in Article.objects.published().filter(external_url="").values_list("pk", flat=True).order_by("pk"):
        paths += [f"/article/{pk}/", f"/article/{pk}/?ruby=1"]
    return [prefix + path for prefix in PREFIXES for path in paths]


def _body(app, path: str, query: str) -> tuple[int, bytes]:
    """One GET through the WSGI app, as bench/profile_miss.py makes it; (status, body)."""
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": "GET", "HTTP_HOST": "127.0.0.1",
               "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0", "HTTP_ACCEPT_ENCODING": "identity"}  # fmt: skip
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = "127.0.0.1"
    status = []
    chunks = app(environ, lambda s, h, exc_info=None: status.append(int(s.split()[0])))
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0], body


def render(out: Path) -> dict[str, str]:
    """{path: status and sha256 of the body}, each page rendered twice (it must not differ from itself);
    the bodies go to `out` for a diff."""
    from xinwen.wsgi import application

    out.mkdir(parents=True, exist_ok=True)
    found = {}
    for n, path in enumerate(pages()):
        url, _, query = path.partition("?")
        status, body = _body(application, url, query)
        again = _body(application, url, query)[1]
        (out / f"{n}.html").write_bytes(body)
        found[path] = f"{status} {hashlib.sha256(body).hexdigest()}" + ("" if body == again else " unstable")
    return found


def _child(var_dir: Path, source: str | None, out: Path) -> dict[str, str]:
    env = harness.site_env(var_dir, ALLOWED_HOSTS="127.0.0.1", DEBUG="0", PAGE_CACHE="0", PYTHONUNBUFFERED="1")
    if source:
        env["PYTHONPATH"] = source
    command = [sys.executable, __file__, "--render", str(out)]
    done = subprocess.run(command, env=env, cwd=var_dir, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"rendering with {source or 'this tree'} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="SRC", required=False, help="the other source tree (e.g. a checkout of main's src/)")
    parser.add_argument("--articles", type=int, default=40, help="generated articles beside the demo's")
    parser.add_argument("--render", metavar="OUT", help=argparse.SUPPRESS)  # internal: the child
    args = parser.parse_args()
    if args.render:
        print(json.dumps(render(Path(args.render))))
        return 0
    var_dir = Path(tempfile.mkdtemp(prefix="xinwen-bench-bytes-"))
    env = harness.site_env(var_dir)
    harness.progress(f"same_bytes: building the site in {var_dir}: migrate, demo, {args.articles} articles")
    harness.demo_site(env, var_dir, args.articles)
    harness.progress("rendering with this tree")
    mine = _child(var_dir, None, var_dir / "this")
    harness.progress(f"rendering with {args.baseline or 'this tree again'}")
    theirs = _child(var_dir, args.baseline, var_dir / "baseline")
    differ = sorted(path for path in mine if mine[path] != theirs.get(path))
    unstable = sorted(path for path in mine if mine[path].endswith("unstable"))
    for path in differ[:3]:
        n = list(mine).index(path)
        print(f"differs: {path}: diff {var_dir / 'baseline' / f'{n}.html'} {var_dir / 'this' / f'{n}.html'}")
    articles = sum(1 for path in mine if "/article/" in path)
    goals = harness.goals_report({
        "every page the same bytes in both trees": (not differ and mine.keys() == theirs.keys(), f"{len(mine)} pages ({articles} article pages), {len(differ)} differ: {differ[:5]}"),
        "every page the same bytes when rendered twice": (not unstable, f"{len(unstable)} unstable: {unstable[:5]}"),
        "every page answers 200": (all(v.startswith("200 ") for v in mine.values()), ""),
    })  # fmt: skip
    harness.write_results("same_bytes", {"pages": len(mine), "differ": differ, "unstable": unstable, "goals": goals})
    return 1 if differ or unstable else 0


if __name__ == "__main__":
    sys.exit(main())
