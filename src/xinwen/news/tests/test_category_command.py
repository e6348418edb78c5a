"""`xinwen category add|list`: a migrating team sets up the tree before importing; the write goes through news.services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinwen.news.models import AuditEntry, Category

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("category", *args, stdout=out)
    return out.getvalue()


def test_categories_are_added_under_their_parents_with_pinyin_slugs_and_audited(tree):
    assert "新闻中心 > 公司新闻 > 汽车电子" in run("add", "汽车电子", "--parent", "新闻中心/公司新闻")
    run("add", "媒体报道", "--parent", "news", "--slug", "media")

    child = Category.objects.get(name="汽车电子")
    assert child.parent == tree["company"] and child.slug == "qi-che-dian-zi"
    assert Category.objects.get(slug="media").parent == tree["root"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(child.pk), content_type__model="category").exists()
    listing = run("list")
    assert listing.index("新闻中心") < listing.index("  公司新闻") < listing.index("    汽车电子")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "公司新闻", "--parent", "news"), "已有栏目「公司新闻」"),  # never a nested duplicate
        (("add", "新栏目", "--parent", "没有这个"), "没有栏目「没有这个」"),
        (("add", "新栏目", "--slug", "company"), "已被其他栏目使用"),
        (("add", "新栏目", "--slug", "不是 slug"), "网址标识"),
        (("add", "  "), "不能为空"),
    ],
)
def test_mistakes_are_refused_with_a_message_and_nothing_is_written(tree, args, message):
    before = Category.objects.count()
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert message in str(refused.value)
    assert Category.objects.count() == before
