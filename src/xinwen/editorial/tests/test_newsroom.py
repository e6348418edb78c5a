"""The accountable newsroom in the back office: recycle bin, 退回 with a reason, withdrawal, readable log.

The first test is the permission table for these actions: role × action → the answer.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from xinwen.conftest import make_article, make_user
from xinwen.editorial.auditlog import audit_detail_text
from xinwen.news import services
from xinwen.news.models import Article, AuditEntry

S = Article.Status
pytestmark = pytest.mark.django_db


def _bin(article, by):
    services.article_delete(article=article, user=by)
    return article


# action → (how to prepare the article, request method, url name)
ACTIONS = {
    "open_bin": (None, "get", "admin:news_article_recycle_bin"),
    "delete": (lambda a, ed: a, "post", "admin:news_article_delete"),
    "restore": (_bin, "post", "admin:news_article_restore"),
    "purge": (_bin, "post", "admin:news_article_purge"),
    "withdraw_own": ("own_review", "post", "admin:news_article_withdraw"),
    "withdraw_others": ("others_review", "post", "admin:news_article_withdraw"),
}

# 302 = done (redirect back with a message); 403 = refused; 404 = not even visible to them.
TABLE = [
    ("作者", "open_bin", 403), ("编辑", "open_bin", 200), ("管理员", "open_bin", 200), ("superuser", "open_bin", 200),
    ("作者", "delete", 403), ("编辑", "delete", 302), ("管理员", "delete", 302), ("superuser", "delete", 302),
    ("作者", "restore", 403), ("编辑", "restore", 302), ("管理员", "restore", 302), ("superuser", "restore", 302),
    ("作者", "purge", 403), ("编辑", "purge", 403), ("管理员", "purge", 302), ("superuser", "purge", 302),
    ("作者", "withdraw_own", 302), ("编辑", "withdraw_own", 302), ("管理员", "withdraw_own", 302),
    ("作者", "withdraw_others", 404), ("编辑", "withdraw_others", 302), ("管理员", "withdraw_others", 302),
]  # fmt: skip

# What each allowed action leaves behind, to check the answer was not a redirect that did nothing.
AFTER = {
    "delete": lambda a: a.deleted_at is not None,
    "restore": lambda a: a.deleted_at is None,
    "withdraw_own": lambda a: a.status == S.DRAFT,
    "withdraw_others": lambda a: a.status == S.DRAFT,
}


@pytest.mark.parametrize("role, action, expected", TABLE)
def test_permission_table(client, tree, editor, role, action, expected):
    actor = make_user("actor", superuser=True) if role == "superuser" else make_user("actor", role=role)
    prepare, method, url_name = ACTIONS[action]
    other = make_user("other-author", role="作者")
    article = None
    if prepare == "own_review":
        article = make_article(category=tree["company"], status=S.REVIEW, created_by=actor)
    elif prepare == "others_review":
        article = make_article(category=tree["company"], status=S.REVIEW, created_by=other)
    elif prepare is not None:
        article = prepare(make_article(category=tree["company"], created_by=actor, status=S.DRAFT), editor)
    client.force_login(actor)
    url = reverse(url_name, args=[article.pk]) if article else reverse(url_name)
    answer = getattr(client, method)(url, {"post": "yes"} if action == "delete" else {})
    assert answer.status_code == expected
    if article is None:
        return
    exists = Article.objects.filter(pk=article.pk).exists()
    if action == "purge":
        assert exists is (expected != 302)
    elif expected == 302:
        article.refresh_from_db()
        assert AFTER[action](article)


def test_delete_confirmation_says_where_the_article_goes_and_for_how_long(client, tree, editor, settings):
    settings.RECYCLE_BIN_DAYS = 14
    article = make_article(category=tree["company"], title="待删除的新闻")
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_delete", args=[article.pk])).content.decode()
    assert "移入回收站" in page and "14 天" in page and "恢复" in page
    answer = client.post(reverse("admin:news_article_delete", args=[article.pk]), {"post": "yes"}, follow=True)
    assert "已移入回收站，14 天内可以在回收站中恢复" in answer.content.decode()
    assert client.get(f"/article/{article.pk}/").status_code == 404

    bin_page = client.get(reverse("admin:news_article_recycle_bin")).content.decode()
    assert "待删除的新闻" in bin_page and "已发布" in bin_page
    changelist = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "待删除的新闻" not in changelist and reverse("admin:news_article_recycle_bin") in changelist


def test_bulk_delete_confirms_and_moves_to_the_bin(client, tree, editor):
    a = make_article(category=tree["company"], title="甲文章")
    b = make_article(category=tree["company"], title="乙文章")
    client.force_login(editor)
    url = reverse("admin:news_article_changelist")
    data = {"action": "delete_selected", "_selected_action": [a.pk, b.pk]}
    page = client.post(url, data).content.decode()
    assert "移入回收站" in page and "30 天" in page and "甲文章" in page
    assert Article.objects.in_recycle_bin().count() == 0
    client.post(url, {**data, "post": "yes"})
    assert set(Article.objects.in_recycle_bin().values_list("title", flat=True)) == {"甲文章", "乙文章"}


def test_opening_the_bin_purges_what_expired(client, tree, editor, settings):
    article = make_article(category=tree["company"], title="很久以前删除的")
    services.article_delete(article=article, user=editor)
    Article.objects.filter(pk=article.pk).update(deleted_at=timezone.now() - timezone.timedelta(days=31))
    client.force_login(editor)
    assert "很久以前删除的" not in client.get(reverse("admin:news_article_recycle_bin")).content.decode()
    assert not Article.objects.filter(pk=article.pk).exists()


# --- 退回 with a reason, approval comments, withdrawal -------------------------------------------


def test_reject_needs_a_reason_and_the_author_sees_it(client, tree, author, editor):
    article = make_article(category=tree["company"], title="需要修改的稿件", status=S.REVIEW, created_by=author)
    client.force_login(editor)
    change = reverse("admin:news_article_change", args=[article.pk])
    page = client.get(change).content.decode()
    assert 'name="_review_note"' in page and 'name="_reject"' in page

    data = {
        "title": article.title, "category": tree["company"].pk, "body": article.body, "_reject": "退回修改",
        "_review_note": "   ", "publish_at_0": "", "publish_at_1": "", "unpublish_at_0": "", "unpublish_at_1": "",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "gallery_images-TOTAL_FORMS": "0", "gallery_images-INITIAL_FORMS": "0",
    }  # fmt: skip
    answer = client.post(change, data, follow=True)
    assert "退回时必须填写退回原因" in answer.content.decode()
    article.refresh_from_db()
    assert article.status == S.REVIEW

    client.post(change, {**data, "_review_note": "第二段数据与统计局公告不符，请核实。"})
    article.refresh_from_db()
    assert article.status == S.REJECTED and article.review_note == "第二段数据与统计局公告不符，请核实。"

    client.force_login(author)
    listing = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "已退回" in listing and "第二段数据与统计局公告不符" in listing
    form = client.get(change).content.decode()
    assert "已退回" in form and "第二段数据与统计局公告不符" in form
    assert 'name="_submit"' in form  # the author may edit and resubmit


def test_approval_carries_a_comment_into_the_log(client, tree, author, editor):
    article = make_article(category=tree["company"], status=S.REVIEW, created_by=author)
    services.article_publish(article=article, user=editor, comment="写得好，已核实。")
    entry = AuditEntry.objects.get(object_id=str(article.pk), action="publish")
    assert entry.detail["comment"] == "写得好，已核实。"
    assert "审核意见：写得好，已核实。" in audit_detail_text(entry)


def test_author_withdraws_before_review_from_the_read_only_form(client, tree, author):
    article = make_article(category=tree["company"], status=S.REVIEW, created_by=author)
    client.force_login(author)
    change = reverse("admin:news_article_change", args=[article.pk])
    page = client.get(change).content.decode()
    assert reverse("admin:news_article_withdraw", args=[article.pk]) in page and "撤回提交" in page
    assert client.get(reverse("admin:news_article_withdraw", args=[article.pk])).status_code == 405
    client.post(reverse("admin:news_article_withdraw", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert AuditEntry.objects.filter(object_id=str(article.pk), action="withdraw").exists()


def test_the_author_is_not_told_about_scheduling(client, tree, author, editor):
    client.force_login(author)
    assert "定时发布" not in client.get(reverse("admin:news_article_add")).content.decode()
    client.force_login(editor)
    assert "定时发布" in client.get(reverse("admin:news_article_add")).content.decode()


def test_editors_set_an_unpublish_time_authors_cannot(client, tree, author, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_add")).content.decode()
    assert 'name="unpublish_at_0"' in page
    client.force_login(author)
    assert 'name="unpublish_at_0"' not in client.get(reverse("admin:news_article_add")).content.decode()


# --- the audit log in words ---------------------------------------------------------------------


def test_audit_log_shows_field_labels_and_reasons_not_raw_values(client, tree, editor):
    article = Article(category=tree["company"], title="标题", body="<p>正文</p>")
    services.article_save(article=article, user=editor)
    article.title, article.pinned = "新标题", True
    services.article_save(article=article, user=editor, changed_fields=["title", "pinned"])
    services.article_submit(article=article, user=editor)
    services.article_reject(article=article, user=editor, reason="请补充来源")
    client.force_login(editor)
    page = client.get(reverse("admin:news_auditentry_changelist")).content.decode()
    assert "改动：标题、置顶" in page and "退回原因：请补充来源" in page
    assert "fields" not in page and "[&#x27;title&#x27;" not in page
    revisions = client.get(reverse("admin:news_article_revisions", args=[article.pk])).content.decode()
    assert "改动：标题、置顶" in revisions and "fields:" not in revisions
