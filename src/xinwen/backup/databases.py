"""Native snapshots of the site's database, and putting one back, per engine.

Native, not dumpdata/loaddata: a JSON round trip loses the microseconds of timestamps,
sequence positions and the search index tables. SQLite uses the online backup API (one
consistent read while the site keeps writing, thanks to WAL); PostgreSQL uses pg_dump in
custom format with the row counts taken in the very snapshot pg_dump reads.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import BackupError, DatabaseToolError

__all__ = ["Snapshot", "database_for", "SqliteDatabase", "PostgresDatabase"]


@dataclass
class Snapshot:
    """What one database snapshot holds: rows per table and the applied migrations."""

    tables: dict[str, int]
    migrations: dict[str, list[str]]
    server_version: str = ""


def _migrations(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def database_for(settings_dict: dict):
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return SqliteDatabase(settings_dict)
    if engine in ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"):
        return PostgresDatabase(settings_dict)
    raise BackupError(f"不支持备份此数据库引擎：{engine}（支持 SQLite 和 PostgreSQL）。Unsupported database engine.")


class SqliteDatabase:
    engine = "sqlite"
    member = "database/xinwen.sqlite3"

    def __init__(self, settings_dict: dict):
        self.path = Path(settings_dict["NAME"])

    # --- reading --------------------------------------------------------------
    @staticmethod
    def _tables(connection) -> list[str]:
        # Virtual (FTS5) tables cannot be scanned; their shadow tables hold the data and are counted.
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
        return [name for (name,) in rows]

    def _describe(self, connection) -> Snapshot:
        tables = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in self._tables(connection)}
        migrations = _migrations(connection.execute("SELECT app, name FROM django_migrations")) if "django_migrations" in tables else {}
        return Snapshot(tables=tables, migrations=migrations, server_version=sqlite3.sqlite_version)

    def table_counts(self) -> dict[str, int]:
        """Rows per table of the live database; {} when there is no database file yet."""
        if not self.path.exists():
            return {}
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return self._describe(connection).tables
        finally:
            connection.close()

    def snapshot(self, target: Path) -> Snapshot:
        """Copy the live database to `target` with the online backup API and describe the copy."""
        if not self.path.exists():
            raise BackupError(f"数据库文件不存在：{self.path}。先运行 xinwen migrate。The database file does not exist.")
        source = sqlite3.connect(self.path, timeout=20)
        copy = sqlite3.connect(target)
        try:
            return self._copy(source, copy)
        except sqlite3.Error as exc:
            raise DatabaseToolError(f"读取 SQLite 数据库失败（{exc}）。Could not read the database.") from exc
        finally:
            copy.close()
            source.close()

    def _copy(self, source, copy) -> Snapshot:
        # pages=-1 copies everything under one read transaction: a consistent picture, and
        # in WAL mode the site's writers are not blocked meanwhile. (Copying in steps would
        # start over after every write of the site and might never finish on a busy one.)
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return self._describe(copy)

    # --- restoring ------------------------------------------------------------
    def check_staged(self, staged: Path, tables: dict[str, int]) -> None:
        """The staged copy must be a sound database holding exactly the rows the manifest lists."""
        connection = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"备份中的数据库未通过完整性检查（{result}）：没有恢复任何内容。integrity_check failed.")
            actual = self._describe(connection).tables
        finally:
            connection.close()
        if actual != tables:
            raise BackupError("备份中的数据库与清单记录的行数不符：没有恢复任何内容。Row counts differ from the manifest.")

    def restore(self, staged: Path, tables: dict[str, int]) -> None:
        """Check the staged file, then move it into place in one rename (the old file is replaced whole)."""
        self.check_staged(staged, tables)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        incoming = self.path.with_name(self.path.name + ".restoring")
        try:
            shutil.copyfile(staged, incoming)
            with open(incoming, "rb+") as handle:
                os.fsync(handle.fileno())
        except BaseException:
            incoming.unlink(missing_ok=True)
            raise
        if self.path.exists():
            # Fold the empty site's WAL into its file first: a -wal left beside the new file
            # would be replayed onto it.
            connection = sqlite3.connect(self.path)
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, self.path)


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise DatabaseToolError(
            f"找不到 {name}：请安装与数据库服务器同一主版本（或更新）的 PostgreSQL 客户端"
            f"（Debian：apt-get install postgresql-client）。{name} is not installed."
        )
    return path


class PostgresDatabase:
    engine = "postgresql"
    member = "database/xinwen.pgdump"

    def __init__(self, settings_dict: dict):
        self.settings = settings_dict

    def _params(self) -> dict[str, str]:
        s = self.settings
        params = {"dbname": s.get("NAME"), "user": s.get("USER"), "password": s.get("PASSWORD"), "host": s.get("HOST"), "port": s.get("PORT")}
        params.update({key: value for key, value in (s.get("OPTIONS") or {}).items() if key in {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}})
        return {key: str(value) for key, value in params.items() if value not in (None, "")}

    def _env(self) -> dict[str, str]:
        """libpq environment for pg_dump/pg_restore: the password never appears on a command line."""
        names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT",
                 "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
                 "connect_timeout": "PGCONNECT_TIMEOUT"}
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env.update({names[key]: value for key, value in self._params().items()})
        return env

    def _connect(self):
        import psycopg

        try:
            return psycopg.connect(**self._params())
        except psycopg.OperationalError as exc:
            raise DatabaseToolError(f"无法连接 PostgreSQL 数据库（{exc}）：请检查 DATABASE_URL。Cannot connect.") from exc

    def _run(self, args: list[str], what: str) -> str:
        result = subprocess.run(args, env=self._env(), capture_output=True, text=True)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()
            hint = ""
            if "version mismatch" in detail or "unsupported version" in detail:
                hint = " 客户端版本低于服务器或备份：请安装同一主版本或更新的 PostgreSQL 客户端。"
            raise DatabaseToolError(f"{what}失败：{detail}{hint}")
        return result.stdout

    @staticmethod
    def _tables(cursor) -> list[str]:
        cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        return [name for (name,) in cursor.fetchall()]

    def _describe(self, cursor) -> Snapshot:
        from psycopg import sql

        tables = {}
        for name in self._tables(cursor):
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name)))
            tables[name] = cursor.fetchone()[0]
        migrations = {}
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _migrations(cursor.fetchall())
        cursor.execute("SHOW server_version")
        return Snapshot(tables=tables, migrations=migrations, server_version=cursor.fetchone()[0])

    def table_counts(self) -> dict[str, int]:
        with self._connect() as connection, connection.cursor() as cursor:
            return self._describe(cursor).tables

    def snapshot(self, target: Path) -> Snapshot:
        """pg_dump in custom format, reading the snapshot in which the rows were counted."""
        import psycopg

        pg_dump = _pg_tool("pg_dump")
        with self._connect() as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                described = self._describe(cursor)
                # The exported snapshot lives as long as this transaction: pg_dump runs inside it.
                self._run([pg_dump, "--format=custom", "--no-owner", "--no-password", f"--snapshot={snapshot_id}",
                           f"--file={target}"], "pg_dump ")
        return described

    def check_staged(self, staged: Path, tables: dict[str, int]) -> None:
        """pg_restore must be able to read the dump (format and version) before anything is touched."""
        self._run([_pg_tool("pg_restore"), "--list", str(staged)], "读取备份中的数据库转储（pg_restore --list）")

    def restore(self, staged: Path, tables: dict[str, int]) -> None:
        """pg_restore in one transaction: either the whole dump goes in or the database stays as it was."""
        self.check_staged(staged, tables)
        # --clean drops the (empty) tables a freshly migrated site already has, inside the same transaction.
        self._run([_pg_tool("pg_restore"), "--no-owner", "--no-acl", "--no-password", "--clean", "--if-exists",
                   "--single-transaction", "--exit-on-error", f"--dbname={self._params().get('dbname', '')}", str(staged)],
                  "pg_restore ")
        actual = self.table_counts()
        if actual != tables:
            raise BackupError("恢复后的行数与清单不符，请检查数据库。Row counts differ from the manifest after pg_restore.")
