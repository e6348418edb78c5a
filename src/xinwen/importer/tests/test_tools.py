"""A migrating team's tools: a default section for pages without a breadcrumb, and a dry run that always previews."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from xinwen.news.models import Article, Category

pytestmark = pytest.mark.django_db

PAGE = """<html><head><meta charset="utf-8"><title>社区开展消防演练_滨江社区</title></head><body>
<h1>社区开展消防演练</h1><div class="info">来源：社区居委会　作者：王芳　发布时间：2023-05-06 10:00</div>
<div class="content"><p>本周六上午，社区组织居民开展消防演练，消防站的教员讲解了灭火器的使用方法。</p>
<p>参加演练的居民表示，亲手操作一遍，心里更有底了。</p></div></body></html>"""


def write_page(tmp_path, name: str = "1.html"):
    folder = tmp_path / name.split(".")[0]
    folder.mkdir()
    (folder / name).write_text(PAGE, encoding="utf-8")
    return folder


def test_create_categories_puts_pages_without_a_breadcrumb_into_a_named_default_section(tree, tmp_path):
    folder = write_page(tmp_path)
    call_command("import", str(folder), "--offline", "--create-categories", "--no-progress", stdout=io.StringIO())
    call_command("import", str(write_page(tmp_path, "2.html")), "--offline", "--create-categories", "--default-section", "社区新闻",
                 "--no-progress", stdout=io.StringIO())  # fmt: skip

    assert Article.objects.get(import_record__ref__endswith="1.html").category.name == "导入文章"
    assert Article.objects.get(import_record__ref__endswith="2.html").category.name == "社区新闻"
    assert Category.objects.filter(name="导入文章").count() == 1


def test_a_dry_run_previews_every_field_even_when_the_category_is_unresolved(tree, tmp_path):
    folder = write_page(tmp_path)
    out = io.StringIO()
    call_command("import", str(folder), "--offline", "--dry-run", "--no-progress", "--report", str(tmp_path / "r.json"), stdout=out)

    row = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))[0]
    assert row["status"] == "would-create"
    assert (row["title"], row["author"], row["source"]) == ("社区开展消防演练", "王芳", "社区居委会")
    assert row["publish_at"].startswith("2023-05-06T10:00") and "未解决" in row["category"]
    assert "标题：社区开展消防演练" in out.getvalue() and Article.objects.count() == 0
