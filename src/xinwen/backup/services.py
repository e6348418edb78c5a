"""Back up a whole site into one archive, and restore one into an empty site.

"Empty" means: no content. The database may be missing, un-migrated, or freshly migrated
(`xinwen migrate` only creates roles, permissions and content types, which the archive
brings back anyway); no other table may hold a row, and MEDIA_ROOT holds no file. Restore
never merges and never overwrites a site that has articles, accounts or uploads.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings

from xinwen import stamps

from .archive import FORMAT, ArchiveWriter, archive_unpack
from .databases import database_for
from .errors import ArchiveCorrupt, BackupError, SiteNotEmpty

__all__ = ["BackupResult", "RestoreResult", "site_backup", "site_restore", "site_content_tables"]

# (stage, done, total): stage is "数据库" / "媒体文件" / "校验"; done and total in bytes.
Progress = Callable[[str, int, int], None]

# Tables `migrate` fills by itself: a freshly migrated site is still an empty one.
MIGRATION_TABLES = {"django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}


@dataclass
class BackupResult:
    path: Path
    size: int
    tables: dict[str, int]
    media_files: int
    media_bytes: int
    seconds: float


@dataclass
class RestoreResult:
    tables: dict[str, int]
    media_files: int
    media_bytes: int
    seconds: float
    xinwen_version: str


def _xinwen_version() -> str:
    try:
        return version("xinwen")
    except PackageNotFoundError:
        return "unknown"


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def site_backup(*, path: Path, database: dict | None = None, media_root: Path | None = None, progress: Progress | None = None) -> BackupResult:
    """Write the database snapshot, then the media files, then the manifest into the archive at `path`.

    The media are copied after the snapshot, so every file a captured row names was already
    there (uploads are written before their row); files uploaded meanwhile may be in the
    archive without a row, which is harmless. A file deleted meanwhile is left out and listed
    under media.vanished.
    """
    started = time.monotonic()
    path = Path(path)
    db = database_for(database or settings.DATABASES["default"])
    media_root = Path(media_root or settings.MEDIA_ROOT)
    writer = ArchiveWriter(path)
    try:
        with tempfile.TemporaryDirectory(prefix=".xinwen-backup-", dir=path.parent) as work:
            snapshot_file = Path(work) / "database"
            snapshot_at = _now()
            if progress:
                progress("数据库", 0, 1)
            snapshot = db.snapshot(snapshot_file)
            size = snapshot_file.stat().st_size
            writer.add_file(db.member, snapshot_file)
            if progress:
                progress("数据库", 1, 1)
        media_started = _now()
        files = _media_files(media_root)
        total = sum(f.stat().st_size for f in files if f.exists())
        done, vanished, media_bytes = 0, [], 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress("媒体文件", done, total)

        for file in files:
            name = "media/" + file.relative_to(media_root).as_posix()
            try:
                media_bytes += writer.add_file(name, file, progress=advance)["size"]
            except FileNotFoundError:
                vanished.append(name)
        if progress:
            progress("媒体文件", total, total)
        manifest = {
            "format": FORMAT,
            "xinwen_version": _xinwen_version(),
            "created_at": _now(),
            "database": {
                "engine": db.engine,
                "member": db.member,
                "server_version": snapshot.server_version,
                "snapshot_at": snapshot_at,
                "snapshot_bytes": size,
                "tables": snapshot.tables,
                "migrations": snapshot.migrations,
            },
            "media": {
                "captured_after_database": True,
                "started_at": media_started,
                "files": len(files) - len(vanished),
                "bytes": media_bytes,
                "vanished": vanished,
            },
        }
        writer.finish(manifest)
    except BaseException:
        writer.abort()
        raise
    return BackupResult(
        path=path,
        size=path.stat().st_size,
        tables=snapshot.tables,
        media_files=len(files) - len(vanished),
        media_bytes=media_bytes,
        seconds=time.monotonic() - started,
    )


def site_content_tables(*, database: dict | None = None) -> dict[str, int]:
    """Tables of the site that hold rows `migrate` does not create: {} for an empty site."""
    counts = database_for(database or settings.DATABASES["default"]).table_counts()
    return {name: count for name, count in counts.items() if count and name not in MIGRATION_TABLES and not _derived(name)}


def _derived(name: str) -> bool:
    # SQLite's own bookkeeping and the full-text index's shadow tables (their config rows
    # exist right after migrate); the rows they describe live in ordinary tables.
    return name == "sqlite_sequence" or name.startswith("search_fts")


def _refuse_unless_empty(database: dict | None, media_root: Path) -> None:
    content = site_content_tables(database=database)
    if content:
        listed = "，".join(f"{name}（{count} 行）" for name, count in sorted(content.items())[:5])
        raise SiteNotEmpty(
            f"目标站点不是空的：{listed}。恢复只写入空站点（未迁移或刚运行过 xinwen migrate 的数据库），"
            "不会覆盖或合并已有内容；请换一个新的数据库和 VAR_DIR。"
            "The target site already has content; restore only into an empty site."
        )
    if media_root.is_dir() and any(path.is_file() for path in media_root.rglob("*")):
        raise SiteNotEmpty(
            f"媒体目录 {media_root} 中已有文件：恢复只写入空站点，请换一个空的 MEDIA_ROOT。MEDIA_ROOT is not empty."
        )


def _refuse_tables_not_in(db, manifest: dict) -> None:
    """pg_restore --clean replaces the tables of the dump; a table it does not know would stay behind."""
    if db.engine != "postgresql":
        return  # SQLite: the whole file is replaced
    extra = sorted(set(db.table_counts()) - set(manifest["database"]["tables"]))
    if extra:
        raise SiteNotEmpty(
            f"目标数据库有备份中没有的表（如 {extra[0]}），可能由更新版本的 xinwen 迁移而来；"
            "请恢复到一个未迁移的空数据库，再运行 xinwen migrate。The target has tables the backup lacks."
        )


def _media_into_place(staged: Path, media_root: Path) -> Callable[[], None]:
    """Move the verified media folder to MEDIA_ROOT (one rename); returns how to take it back out.

    A MEDIA_ROOT that is a mount point (shared storage) cannot be replaced, so its
    top-level entries are moved in instead.
    """
    existed = media_root.exists()
    if existed and os.path.ismount(media_root):
        moved = []
        for child in sorted(staged.iterdir()):
            moved.append(Path(shutil.move(child, media_root / child.name)))

        def undo_moved() -> None:
            for path in moved:
                shutil.rmtree(path) if path.is_dir() else path.unlink()

        return undo_moved
    if existed:
        _remove_empty_folders(media_root)  # checked before: it holds no file
    staged.rename(media_root)

    def undo_rename() -> None:
        media_root.rename(staged)
        if existed:
            media_root.mkdir()

    return undo_rename


def _remove_empty_folders(root: Path) -> None:
    """rmdir bottom-up: fails (and so stops the restore) if a file appeared meanwhile."""
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        folder.rmdir()
    root.rmdir()


def _refuse_unknown_migrations(manifest: dict) -> None:
    """An archive from a newer xinwen has tables this code does not know: restore with that version."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [(app, name) for app, names in manifest["database"].get("migrations", {}).items() for name in names
               if (app, name) not in known]
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"备份来自更新的 xinwen（{manifest.get('xinwen_version')}），包含本版本没有的迁移 {app}.{name}："
            "请先升级 xinwen 再恢复。The archive was made by a newer xinwen."
        )


def site_restore(*, path: Path, database: dict | None = None, media_root: Path | None = None, progress: Progress | None = None) -> RestoreResult:
    """Verify the whole archive, then put its database and media files into this empty site.

    Every checksum is checked on a staged copy before the site is touched; then the media
    folder is moved into place and the database restored in one step (SQLite: one rename;
    PostgreSQL: pg_restore in one transaction). If the database step fails the media folder
    is moved back out, so the site is left as it was.
    """
    started = time.monotonic()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}。The archive does not exist.")
    database = database or settings.DATABASES["default"]
    db = database_for(database)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    _refuse_unless_empty(database, media_root)  # before the long unpacking, and again after it
    total = path.stat().st_size
    with tempfile.TemporaryDirectory(prefix=".xinwen-restore-", dir=media_root.parent) as work:
        staging = Path(work)
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress("校验", min(done, total), total)

        manifest = archive_unpack(path, staging, progress=advance)
        info = manifest["database"]
        if info.get("engine") != db.engine:
            raise BackupError(
                f"备份来自 {info.get('engine')} 数据库，当前站点使用 {db.engine}：请恢复到同一种数据库。"
                "The archive's database engine differs from this site's."
            )
        if info.get("member") != db.member:
            raise ArchiveCorrupt("清单中的数据库成员名称不符。The manifest names an unexpected database member.")
        _refuse_unknown_migrations(manifest)
        _refuse_unless_empty(database, media_root)
        _refuse_tables_not_in(db, manifest)
        staged_db = staging / Path(db.member)
        db.check_staged(staged_db, info["tables"])

        staged_media = staging / "media"
        staged_media.mkdir(exist_ok=True)
        undo = _media_into_place(staged_media, media_root)
        try:
            db.restore(staged_db, info["tables"])
        except BaseException:
            undo()
            raise
    # Rows arrived without notices: workers already serving drop the tree and glossary version they keep.
    for name in ("categories", "glossary", "site-settings"):
        stamps.bump(name)
    media = manifest.get("media", {})
    return RestoreResult(
        tables=info["tables"],
        media_files=media.get("files", 0),
        media_bytes=media.get("bytes", 0),
        seconds=time.monotonic() - started,
        xinwen_version=manifest.get("xinwen_version", ""),
    )
