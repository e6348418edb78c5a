"""`xinwen import` from the shell: local sources, per-page failure isolation, reports, errors a person can act on."""

from __future__ import annotations

import io
import json
import os
import shutil

import pytest
from django.core.management import CommandError, call_command

from xinwen.importer.models import ImportRecord
from xinwen.importer.runner import SEED_PAGE
from xinwen.importer.tests.corpus_check import CORPUS
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, "--offline", "--no-progress", stdout=out)
    return out.getvalue()


def test_every_kind_of_broken_file_is_reported_and_skipped_while_the_rest_is_imported(tree, tmp_path):
    folder = tmp_path / "site"
    (folder / "news").mkdir(parents=True)
    shutil.copy(SEED_PAGE, folder / "news" / "1188.html")
    (folder / "news" / "junk.html").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    (folder / "news" / "broken.html").write_text("<html><head><title>x</title><body><div><p>", encoding="utf-8")
    (folder / "news" / "garbage.htm").write_bytes(bytes((i * 37 + 11) % 128 + 128 for i in range(5000)))
    with open(folder / "news" / "huge.html", "wb") as handle:  # 50 MB, sparse: refused before it is read
        handle.truncate(50 * 1024 * 1024)
    report = tmp_path / "report.json"

    out = run(str(folder), "--base-url", "http://www.dfzl.example/", "--report", str(report))

    rows = {row["ref"].rsplit("/", 1)[1]: row for row in json.loads(report.read_text(encoding="utf-8"))}
    assert rows["1188.html"]["status"] == "created"
    assert rows["junk.html"]["status"] == "failed" and "二进制" in rows["junk.html"]["error"]
    assert rows["broken.html"]["status"] == "failed" and "正文" in rows["broken.html"]["error"]
    assert rows["garbage.htm"]["status"] == "failed" and "编码" in rows["garbage.htm"]["error"]
    assert rows["huge.html"]["status"] == "failed" and "MB" in rows["huge.html"]["error"]
    assert "新建 1" in out and "失败 4" in out and "✗" in out
    record = ImportRecord.objects.get()
    assert record.ref == "http://www.dfzl.example/news/1188.html" and record.old_path == "/news/1188.html"


def test_a_wordpress_export_imports_published_posts_only(tree):
    run(str(CORPUS / "wordpress-export.xml"), "--create-categories")

    article = Article.objects.get()
    assert article.title == "公司与滨江大学签署产学研合作协议" and article.author == "王晓明"
    assert article.category.name == "公司新闻" and "百家乐" not in article.body
    assert article.body.count("<p>") >= 2  # WordPress's blank-line paragraphs became <p>


def test_a_dry_run_writes_nothing_and_reports_as_json(tree, tmp_path):
    report = tmp_path / "dry.json"
    out = run(str(CORPUS / "leaked-pinyin-hijacked-safety-utf-8.html"), "--dry-run", "--report", str(report), "--create-categories")

    assert Article.objects.count() == 0 and ImportRecord.objects.count() == 0
    assert "【试运行，未写入】" in out
    (row,) = json.loads(report.read_text(encoding="utf-8"))
    assert row["status"] == "would-create" and row["title"] == "集团召开2024年安全生产工作会议"
    assert any("网页被劫持" in text for text in row["repaired"])


def test_unknown_categories_stop_a_page_with_advice(tree, tmp_path):
    page = CORPUS / "clean-tw_library-utf-8.html"
    out = run(str(page))
    assert "--create-categories" in out and Article.objects.count() == 0

    run(str(page), "--category", "notices")
    assert Article.objects.get().category == tree["notices"]


@pytest.mark.parametrize(
    "args, message",
    [((), "请给出"), (("x.html", "--category", "nope"), "栏目 'nope' 不存在"), (("x.html", "--user", "ghost"), "没有账号")],
)
def test_bad_arguments_get_a_message_not_a_traceback(tree, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import", *args, "--no-progress", stdout=io.StringIO())


def test_missing_files_and_offline_urls_are_reported(tree):
    out = run("/no/such/file.html", "http://www.dfzl.example/news/1.html")
    assert "找不到文件" in out and "--offline" in out


def test_the_progress_bar_goes_to_stderr(tree, capsys):
    call_command("import", str(SEED_PAGE), "--offline", stdout=io.StringIO(), stderr=io.StringIO())
    assert Article.objects.count() == 1
