"""site_backup / site_restore: damaged archives change nothing, and a busy SQLite site backs up consistently."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from xinwen.backup.errors import ArchiveCorrupt, SiteNotEmpty
from xinwen.backup.services import site_restore

from .sites import Site


def _rewrite(archive: Path, target: Path, change) -> Path:
    """Copy `archive` member by member, letting change(name, data) return new bytes or None to drop it."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for info in source:
            data = change(info.name, source.extractfile(info).read())
            if data is None:
                continue
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def _flip_byte_in(member_prefix: str):
    def corrupt(archive: Path, target: Path) -> Path:
        data = bytearray(archive.read_bytes())
        with tarfile.open(archive) as tar:
            info = next(i for i in tar if i.name.startswith(member_prefix))
        data[info.offset_data + info.size // 2] ^= 0x01
        target.write_bytes(data)
        return target

    return corrupt


def _truncate(archive: Path, target: Path) -> Path:
    target.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return target


def _drop_attachment(archive: Path, target: Path) -> Path:
    return _rewrite(archive, target, lambda name, data: None if name.startswith("media/attachments/") else data)


def _tamper_manifest(archive: Path, target: Path) -> Path:
    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"]["tables"]["news_article"] = 4
            return json.dumps(manifest).encode()
        return data

    return _rewrite(archive, target, change)


def _tamper_manifest_and_its_sum(archive: Path, target: Path) -> Path:
    """An edited manifest whose own checksum was updated too: the members no longer match it."""
    import hashlib

    edited = {}

    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            media = next(n for n in manifest["members"] if n.startswith("media/covers/"))
            manifest["members"][media]["sha256"] = "0" * 64
            edited["bytes"] = json.dumps(manifest).encode()
            return edited["bytes"]
        if name == "manifest.json.sha256":
            return hashlib.sha256(edited["bytes"]).hexdigest().encode()
        return data

    return _rewrite(archive, target, change)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_flip_byte_in("database/"), "校验和不符"),
        (_flip_byte_in("media/covers/"), "校验和不符"),
        (_truncate, "不完整或已损坏"),
        (_drop_attachment, "缺少 1 个成员"),
        (_tamper_manifest, "清单（manifest.json）与它的校验和不符"),
        (_tamper_manifest_and_its_sum, "校验和不符"),
    ],
    ids=["flipped-byte-in-database", "flipped-byte-in-image", "truncated", "missing-member", "manifest-edited", "manifest-and-sum-edited"],
)
def test_a_damaged_archive_is_refused_and_the_site_left_as_it_was(source, make_site, tmp_path, damage, message):
    _, archive, _ = source
    target = make_site("target")
    damaged = damage(archive, tmp_path / "damaged.tar")

    with pytest.raises(ArchiveCorrupt, match=message):
        site_restore(path=damaged, database=target.database, media_root=target.media_root)

    assert target.rows() == {} if target.database_url else not (target.var_dir / "xinwen.sqlite3").exists()
    assert not target.media_root.exists()
    assert [p.name for p in target.var_dir.iterdir()] == []  # no staging folder left behind either

    # The same empty site then takes the sound archive, un-migrated as it is.
    site_restore(path=archive, database=target.database, media_root=target.media_root)
    assert len(target.rows()["news_article"]) == 5


def test_restore_refuses_a_site_with_uploaded_files(source, make_site):
    _, archive, _ = source
    target = make_site("target")
    (target.media_root / "covers").mkdir(parents=True)
    (target.media_root / "covers" / "mine.png").write_bytes(b"not mine to overwrite")

    with pytest.raises(SiteNotEmpty, match="媒体目录"):
        site_restore(path=archive, database=target.database, media_root=target.media_root)

    assert target.media() == {"covers/mine.png": b"not mine to overwrite"}


WRITER = r"""
import sys, time
import django
django.setup()
from xinwen.news.models import Article, Category
category = Category.objects.get(slug="company")
stop = time.monotonic() + float(sys.argv[1])
n = 0
while time.monotonic() < stop:
    Article.objects.create(category=category, title=f"并发写入{n}", body="<p>" + "内容" * 500 + "</p>")
    n += 1
    if n == 20:
        print("writing", flush=True)
"""


def test_backup_of_a_sqlite_site_that_is_being_written_is_consistent(tmp_path):
    site = Site(var_dir=tmp_path / "busy")
    site.var_dir.mkdir()
    site.xinwen("migrate", "--no-input", "--verbosity", "0")
    site.python("import django; django.setup()\nfrom xinwen.news.models import Category\nCategory.objects.create(name='公司新闻', slug='company')")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, "60"], env=site.env, cwd=site.var_dir, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        archive = tmp_path / "busy.tar.gz"
        site.xinwen("backup", str(archive))
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
        captured = manifest["database"]["tables"]["news_article"]
        deadline = time.monotonic() + 20
        while _count(site.var_dir / "xinwen.sqlite3") <= captured and time.monotonic() < deadline:
            time.sleep(0.1)
        live = _count(site.var_dir / "xinwen.sqlite3")
    finally:
        writer.kill()
        writer.wait()

    assert 20 <= captured < live  # the writer was busy before the snapshot and went on after it

    target = Site(var_dir=tmp_path / "restored")
    target.var_dir.mkdir()
    target.xinwen("restore", str(archive))
    restored = sqlite3.connect(target.var_dir / "xinwen.sqlite3")
    assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert restored.execute("SELECT count(*) FROM news_article").fetchone()[0] == captured
    restored.close()


def _count(path: Path) -> int:
    connection = sqlite3.connect(path, timeout=20)
    try:
        return connection.execute("SELECT count(*) FROM news_article").fetchone()[0]
    finally:
        connection.close()
