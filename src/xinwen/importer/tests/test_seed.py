"""Acceptance (issue 4): the legacy seed page, as HTML and as a text extraction, imports into one clean article."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from xinwen.hanzi.convert import _char_forms
from xinwen.importer.models import ImportFlag, ImportRecord
from xinwen.importer.runner import SEED_PAGE
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db
TITLE = "深化国资央企与上海市合作 推动制造业发展座谈会在沪举行"
SEED_TEXT = Path(__file__).resolve().parent / "fixtures" / "seed-page.txt"
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def import_file(path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("import", str(path), "--offline", "--no-progress", *extra, stdout=out)
    return out.getvalue()


def assert_seed_article(article: Article) -> None:
    assert article.title == TITLE
    assert article.category.name == "新闻中心"
    assert timezone.localtime(article.publish_at).date().isoformat() == "2023-04-24"
    assert article.view_count == 275
    assert article.source_script == "zh-hans"
    assert not PINYIN.search(article.body)
    assert [c for c in article.body if _char_forms(c)[1]] == []  # no Traditional-only character
    assert "4月24日" in article.body and "陈吉宁" in article.body and "上一篇" not in article.body
    record = article.import_record
    assert record.review == ImportRecord.Review.PENDING
    hijack = record.flags.get(kind=ImportFlag.Kind.HIJACK)
    assert "国产精品无码" in hijack.message and "黑词" in hijack.message
    assert record.rejected_title.startswith("国产精品无码av在线毛片")
    assert {"leaked_pinyin", "machine_conversion"} <= set(record.flags.values_list("kind", flat=True))


@pytest.mark.parametrize("path", [SEED_PAGE, SEED_TEXT], ids=["html", "txt"])
def test_the_seed_page_imports_into_one_clean_article(tree, path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)

    import_file(copy)
    import_file(copy)  # again: nothing duplicated

    assert Article.objects.count() == 1
    assert_seed_article(Article.objects.get())
    assert Article.objects.published().count() == 1  # repaired, so published; the flags ask for a look


def test_the_dry_run_report_says_what_was_extracted_repaired_and_flagged(tree, tmp_path):
    out = import_file(SEED_PAGE, "--dry-run", "--report", str(tmp_path / "report.csv"))

    assert Article.objects.count() == 0
    assert f"标题：{TITLE}" in out and "栏目：新闻中心" in out and "浏览：275" in out
    assert "已修复 网页被劫持" in out and "国产精品无码" in out and "拼音泄漏" in out
    csv = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith("status,ref,error,title")
    assert TITLE in csv and "would-create" in csv
