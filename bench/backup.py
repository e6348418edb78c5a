"""Backup and restore round trip of the demo site: archive size, backup and restore time, rows and files compared.

Usage: .venv/bin/python bench/backup.py [--articles N] [--media-mb M] [--compress]

Runs `xinwen demo --no-server` in a throw-away VAR_DIR (optionally with N more articles and
M MB of extra media files, to see how the times grow), `xinwen backup` there, `xinwen restore`
into a second throw-away VAR_DIR, then compares every row of every table and every media
file byte for byte. SQLite, as the demo runs; the PostgreSQL path is covered by the tests.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from harness import demo_site, goals_report, progress, site_env, write_results, xinwen  # noqa: E402

GROW = r"""
import os, sys
import django
django.setup()
from xinwen.news.models import Article, Category
from django.conf import settings
articles, media_mb = int(sys.argv[1]), int(sys.argv[2])
category = Category.objects.exclude(parent=None).first()
body = "<p>" + "深化改革，推动制造业高质量发展。" * 100 + "</p>"
Article.objects.bulk_create(Article(category=category, title=f"基准文章{n}", body=body, status="draft") for n in range(articles))
folder = settings.MEDIA_ROOT / "attachments" / "bench"
folder.mkdir(parents=True, exist_ok=True)
for n in range(media_mb):
    (folder / f"file{n}.bin").write_bytes(os.urandom(1024 * 1024))
"""


def rows(db: Path) -> dict[str, list]:
    connection = sqlite3.connect(db)
    names = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
    result = {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    connection.close()
    return result


def media(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()} if root.is_dir() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=0, help="extra articles on top of the demo's")
    parser.add_argument("--media-mb", type=int, default=0, help="extra media files of 1 MB each")
    parser.add_argument("--compress", action="store_true", help="write a .tar.gz instead of a .tar")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xinwen-bench-backup-") as work:
        work = Path(work)
        source, target = work / "source", work / "target"
        source.mkdir()
        target.mkdir()
        env_source, env_target = site_env(source), site_env(target)
        progress("backup: building the demo site")
        demo_site(env_source, source)
        if args.articles or args.media_mb:
            subprocess.run([sys.executable, "-c", GROW, str(args.articles), str(args.media_mb)], env=env_source, cwd=source, check=True)
        archive = work / ("site.tar.gz" if args.compress else "site.tar")

        progress("backup: xinwen backup, then xinwen restore into an empty site")
        started = time.monotonic()
        xinwen(env_source, source, "backup", str(archive))
        backup_seconds = time.monotonic() - started
        archive_size = archive.stat().st_size
        started = time.monotonic()
        xinwen(env_target, target, "restore", str(archive))
        restore_seconds = time.monotonic() - started

        before, after = rows(source / "xinwen.sqlite3"), rows(target / "xinwen.sqlite3")
        files_before, files_after = media(source / "media"), media(target / "media")
        row_count = sum(len(r) for r in before.values())
        rows_equal = before == after
        files_equal = files_before == files_after

    print(f"database           SQLite, {len(before)} tables, {row_count} rows ({len(before.get('news_article', []))} articles)")
    print(f"media              {len(files_before)} files, {sum(map(len, files_before.values())) / 1e6:.2f} MB")
    print(f"archive size       {archive_size / 1e6:.2f} MB ({'gzip' if args.compress else 'plain tar'})")
    print(f"backup time        {backup_seconds:.2f} s   (the whole `xinwen backup` process, start-up included)")
    print(f"restore time       {restore_seconds:.2f} s   (the whole `xinwen restore` process, start-up included)")
    print(f"rows compared      {row_count}: {'all equal' if rows_equal else 'DIFFERENT'}")
    print(f"files compared     {len(files_before)}: {'all equal byte for byte' if files_equal else 'DIFFERENT'}")
    goals = goals_report({"restore gives back every row and file": (rows_equal and files_equal, f"{row_count} rows, {len(files_before)} files")})
    write_results("backup", {
        "settings": vars(args), "archive_bytes": archive_size, "backup_s": backup_seconds, "restore_s": restore_seconds,
        "rows": row_count, "files": len(files_before), "goals": goals,
    })  # fmt: skip
    if not (rows_equal and files_equal):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
