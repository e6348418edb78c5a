"""Article visibility, the category tree, and the columns that save() derives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from xinwen.conftest import make_article, make_category
from xinwen.news.models import Article, Attachment, Category

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.mark.parametrize(
    ("status", "offset", "visible"),
    [
        (Status.PUBLISHED, timedelta(days=-1), True),
        (Status.PUBLISHED, timedelta(seconds=-1), True),
        (Status.PUBLISHED, timedelta(hours=1), False),
        (Status.PUBLISHED, None, False),
        (Status.DRAFT, timedelta(days=-1), False),
        (Status.REVIEW, timedelta(days=-1), False),
        (Status.ARCHIVED, timedelta(days=-1), False),
        (Status.DRAFT, None, False),
    ],
    ids=[
        "published", "published-just-now", "scheduled", "published-without-time",
        "draft", "review", "archived", "new-draft",
    ],  # fmt: skip
)
def test_published_is_what_readers_may_see(tree, status, offset, visible):
    publish_at = None if offset is None else timezone.now() + offset
    article = Article.objects.create(category=tree["company"], title="标题", status=status, publish_at=publish_at)

    assert (article in Article.objects.published()) is visible
    assert article.is_public is visible


def test_scheduled_article_appears_by_itself_when_its_time_comes(tree):
    when = timezone.now() + timedelta(hours=2)
    article = make_article(category=tree["company"], publish_at=when)

    assert article.is_scheduled
    assert not article.is_public
    assert list(Article.objects.published(now=when - timedelta(seconds=1))) == []
    assert list(Article.objects.published(now=when)) == [article]
    assert list(Article.objects.published(now=when + timedelta(days=1))) == [article]


def test_published_defaults_to_the_current_time(tree):
    article = make_article(category=tree["company"], publish_at=timezone.now() + timedelta(minutes=5))
    assert not Article.objects.published().exists()

    # The clock passing the publish time is simulated by moving the time back.
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))

    assert list(Article.objects.published()) == [article]


def test_listed_puts_pinned_first_then_newest(tree):
    old_pinned = make_article(category=tree["company"], title="置顶旧闻", days_ago=30, pinned=True)
    newest = make_article(category=tree["company"], title="最新", days_ago=1)
    older = make_article(category=tree["company"], title="较早", days_ago=5)

    assert list(Article.objects.published().listed()) == [old_pinned, newest, older]


def test_category_ancestors_are_root_first(tree):
    leaf = make_category("集团要闻", slug="group", parent=tree["company"])

    assert leaf.ancestors() == [tree["root"], tree["company"]]
    assert leaf.ancestors(include_self=True) == [tree["root"], tree["company"], leaf]
    assert tree["root"].ancestors() == []
    assert tree["root"].ancestors(include_self=True) == [tree["root"]]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["新闻中心"], "新闻中心"),
        (["新闻中心", "公司新闻"], "新闻中心 > 公司新闻"),
        (["新闻中心", "公司新闻", "集团要闻"], "新闻中心 > 公司新闻 > 集团要闻"),
    ],
)
def test_category_str_is_the_full_path(db, path, expected):
    node = None
    for name in path:
        node = make_category(name, parent=node)

    assert str(Category.objects.get(pk=node.pk)) == expected


def test_category_ancestors_stop_at_a_loop(db):
    """A parent loop saved by mistake must not hang every page that shows a breadcrumb."""
    a = make_category("甲")
    b = make_category("乙", parent=a)
    Category.objects.filter(pk=a.pk).update(parent=b)

    a = Category.objects.get(pk=a.pk)

    assert [c.name for c in a.ancestors(include_self=True)] == ["乙", "甲"]
    assert str(a) == "乙 > 甲"


def test_category_url_uses_the_slug(tree):
    assert tree["company"].get_absolute_url() == "/category/company/"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p onclick="steal()">正文<script>alert(1)</script></p>', "<p>正文</p>"),
        ('<p><a href="javascript:alert(1)">链接</a></p>', '<p><a rel="noopener noreferrer">链接</a></p>'),
        ("<iframe src='https://evil.example'></iframe><p>留下</p>", "<p>留下</p>"),
        ("<p><br></p>", ""),
        ("<h2>小标题</h2><p>深化合作</p>", "<h2>小标题</h2><p>深化合作</p>"),
    ],
)
def test_save_sanitises_the_body(tree, body, expected):
    article = make_article(category=tree["company"], body=body)

    assert article.body == expected
    assert Article.objects.get(pk=article.pk).body == expected


def test_save_sanitises_a_body_changed_after_creation(tree):
    article = make_article(category=tree["company"])
    article.body = '<p>更新</p><img src="x" onerror="alert(1)">'
    article.save()

    assert Article.objects.get(pk=article.pk).body == '<p>更新</p><img src="x">'


def test_save_keeps_the_summary_plain_text(tree):
    article = make_article(category=tree["company"], summary="  <b>要闻</b>摘要<br>\n")

    assert Article.objects.get(pk=article.pk).summary == "要闻摘要"


@pytest.mark.parametrize(
    ("summary", "body", "length", "expected"),
    [
        ("编辑写的摘要", "<p>正文开头</p>", 120, "编辑写的摘要"),
        ("", "<p>正文开头</p><p>第二段</p>", 120, "正文开头第二段"),
        ("", "<h2>标题</h2>\n\n<p>第一段\n  第二行</p>", 120, "标题 第一段 第二行"),
        ("", "<p>一二三四五六七八九十</p>", 5, "一二三四…"),
        ("一二三四五", "", 5, "一二三四五"),
        ("一二三四五六", "", 5, "一二三四…"),
        ("", "", 120, ""),
    ],
)
def test_description_falls_back_to_the_body(tree, summary, body, length, expected):
    article = make_article(category=tree["company"], summary=summary, body=body)

    assert article.description(length) == expected
    assert len(article.description(length)) <= length


def test_attachment_size_and_name_are_derived_on_save(tree):
    article = make_article(category=tree["company"])
    attachment = Attachment(article=article, title="")
    attachment.file.save("../../年度报告<script>.pdf", ContentFile(b"%PDF-1.4\n" + b"x" * 1991), save=False)
    attachment.save()

    stored = Attachment.objects.get(pk=attachment.pk)
    assert stored.size == 2000
    # The uploader's file name never reaches the disk; only its extension does.
    assert stored.file.name.startswith(f"attachments/{timezone.now():%Y/%m}/")
    assert stored.file.name.endswith(".pdf")
    assert "报告" not in stored.file.name and ".." not in stored.file.name
    assert stored.extension == "PDF"
    assert str(stored) == stored.file.name.rsplit("/", 1)[1]


def test_attachment_size_follows_a_replaced_file(tree):
    article = make_article(category=tree["company"])
    attachment = Attachment(article=article, title="通知")
    attachment.file.save("a.pdf", ContentFile(b"%PDF-" + b"1" * 95), save=False)
    attachment.save()
    attachment.file.save("b.pdf", ContentFile(b"%PDF-" + b"2" * 10), save=False)
    attachment.save()

    assert Attachment.objects.get(pk=attachment.pk).size == 15
    assert str(attachment) == "通知"
