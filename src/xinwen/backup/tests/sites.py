"""Throw-away sites for the backup tests: their own VAR_DIR and (on PostgreSQL) their own database.

The sites are driven as an operator would, through `xinwen` subprocesses; the tests'
pytest-django database is never involved. The engine follows the suite's DATABASE_URL, so
the tests run on SQLite in one run of the suite and on PostgreSQL in the other.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

NOT_INHERITED = {"DATABASE_URL", "REDIS_URL", "DEBUG", "MEDIA_ROOT", "STATIC_ROOT", "VAR_DIR", "PAGE_CACHE_DIR"}
XINWEN = [sys.executable, "-m", "xinwen"]

# Run inside a site by `Site.python`: content of every kind a backup must bring back.
POPULATE = r"""
import io
from datetime import datetime, timezone

import django
django.setup()
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from PIL import Image

from xinwen.news import services
from xinwen.news.models import Article, Attachment, Category

admin = User.objects.create_superuser("boss", password="correct-horse-battery-42", email="boss@example.org")
editor = User.objects.create_user("editor", password="correct-horse-battery-42", is_staff=True)
editor.groups.add(Group.objects.get(name="编辑"))
root = services.category_save(category=Category(name="新闻中心", slug="news"), user=admin)
company = services.category_save(category=Category(name="公司新闻", slug="company", parent=root), user=admin)
for n in range(5):
    article = Article(category=company, title=f"集团召开第{n}次工作会议", body=f"<p>会议内容{n}：深化改革。</p>", source_name="集团办公室")
    services.article_save(article=article, user=editor)
    article.title += "（修订）"
    services.article_save(article=article, user=editor, changed_fields=["title"])
    services.article_publish(article=article, user=editor, publish_at=datetime(2024, 3, 5, 8, 9, 10, 123451 + n, tzinfo=timezone.utc))
image = io.BytesIO()
Image.new("RGB", (40, 30), (200, 30, 30)).save(image, "PNG")
article.cover.save("cover.png", ContentFile(image.getvalue()))
Attachment.objects.create(article=article, title="年度报告", file=ContentFile(b"%PDF-1.4\n" + bytes(range(256)) * 40, name="report.pdf"))
print(Article.objects.count())
"""


@dataclass
class Site:
    var_dir: Path
    database_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
        self.env.update(
            DJANGO_SETTINGS_MODULE="xinwen.settings",
            SECRET_KEY="backup-test-" + secrets.token_urlsafe(50),
            ALLOWED_HOSTS="testserver",
            HTTPS="0",
            VAR_DIR=str(self.var_dir),
            LOG_LEVEL="WARNING",
        )
        if self.database_url:
            self.env["DATABASE_URL"] = self.database_url

    @property
    def media_root(self) -> Path:
        return self.var_dir / "media"

    @property
    def database(self) -> dict:
        """The site's DATABASES["default"], as its settings module would build it."""
        if self.database_url:
            return dj_database_url.parse(self.database_url)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": self.var_dir / "xinwen.sqlite3"}

    def xinwen(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([*XINWEN, *args], env=self.env, cwd=self.var_dir, capture_output=True, text=True, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"`xinwen {' '.join(args)}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def python(self, code: str) -> str:
        result = subprocess.run([sys.executable, "-c", code], env=self.env, cwd=self.var_dir, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise AssertionError(f"site script failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def rows(self) -> dict[str, list[tuple]]:
        """Every row of every table (sorted), read straight from the database."""
        if not self.database_url:
            connection = sqlite3.connect(self.var_dir / "xinwen.sqlite3")
            names = [n for (n,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
            tables = {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
            connection.close()
            return tables
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as connection:
            names = [n for (n,) in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
            return {
                name: sorted(connection.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(name))).fetchall(), key=repr)
                for name in names
            }

    def media(self) -> dict[str, bytes]:
        if not self.media_root.is_dir():
            return {}
        return {p.relative_to(self.media_root).as_posix(): p.read_bytes() for p in self.media_root.rglob("*") if p.is_file()}


def new_database_url() -> str | None:
    """A new empty PostgreSQL database beside the suite's DATABASE_URL, or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if not url or parts.scheme.startswith("sqlite"):
        return None
    import psycopg
    from psycopg import sql

    name = f"xinwen_backup_{secrets.token_hex(4)}"
    maintenance = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return parts._replace(path=f"/{name}").geturl()


def drop_database(url: str | None) -> None:
    if not url:
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    maintenance = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(parts.path.lstrip("/"))))
