"""`xinwen backup` and `xinwen restore` as an operator runs them: real processes, throw-away sites."""

from __future__ import annotations

import json
import tarfile
from datetime import datetime


def test_round_trip_brings_back_every_row_and_media_file_exactly(source, make_site):
    site, archive, backup = source
    target = make_site("target")
    target.xinwen("migrate", "--no-input", "--verbosity", "0")  # a freshly migrated site counts as empty

    restored = target.xinwen("restore", str(archive))

    assert "已恢复" in restored.stdout
    before, after = site.rows(), target.rows()
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], f"table {table} differs after restore"
    # The values a JSON round trip would have cut: microseconds of the publish times.
    publish_times = [row for row in before["news_article"] if any(isinstance(v, (str, datetime)) and "10.12345" in str(v) for v in row)]
    assert len(publish_times) == 5
    assert {"editorial_auditentry", "reversion_version", "auth_user", "news_category", "news_attachment"} <= {
        table for table, rows in after.items() if rows
    }
    media = site.media()
    assert any(name.startswith("covers/") for name in media) and any(name.startswith("attachments/") for name in media)
    assert target.media() == media


def test_manifest_describes_what_was_captured(source):
    site, archive, backup = source
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[0].startswith("database/") and names[-2:] == ["manifest.json", "manifest.json.sha256"]
    assert manifest["xinwen_version"] == "0.1.0"
    assert manifest["database"]["engine"] == ("postgresql" if site.database_url else "sqlite")
    assert manifest["database"]["tables"]["news_article"] == 5
    assert "0001_initial" in manifest["database"]["migrations"]["news"]
    assert manifest["media"] == {**manifest["media"], "files": 2, "captured_after_database": True, "vanished": []}
    assert set(manifest["members"]) == set(names) - {"manifest.json", "manifest.json.sha256"}
    assert all(len(entry["sha256"]) == 64 and entry["size"] > 0 for entry in manifest["members"].values())
    assert "文章 5 篇" in backup.stdout


def test_restore_refuses_a_site_with_content_and_leaves_it_alone(source):
    site, archive, _ = source
    before = site.rows()

    result = site.xinwen("restore", str(archive), check=False)

    assert result.returncode == 1
    assert "目标站点不是空的" in result.stderr and "auth_user" in result.stderr
    assert site.rows() == before


def test_backup_into_a_missing_folder_is_a_clear_error(source, tmp_path):
    site, _, _ = source
    result = site.xinwen("backup", str(tmp_path / "nowhere" / "b.tar"), check=False)
    assert result.returncode == 1 and "不存在" in result.stderr and "Traceback" not in result.stderr


def test_backup_of_an_unreachable_database_is_a_clear_error_and_leaves_no_file(tmp_path):
    from .sites import Site

    site = Site(var_dir=tmp_path, database_url="postgres://xinwen:secret@127.0.0.1:1/xinwen")
    archive = tmp_path / "b.tar"

    result = site.xinwen("backup", str(archive), check=False)

    assert result.returncode == 1 and "无法连接 PostgreSQL" in result.stderr and "Traceback" not in result.stderr
    assert not archive.exists() and not (tmp_path / "b.tar.partial").exists()
