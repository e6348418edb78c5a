"""The back office as editors use it: forms, workflow buttons, bulk actions, uploads, history."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from xinwen.conftest import form_data, make_article
from xinwen.news.models import AuditEntry
from xinwen.news.models import Article, BodyImage

S = Article.Status
pytestmark = pytest.mark.django_db
ADD = "admin:news_article_add"


def png_bytes(size=(40, 30), extra=b""):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue() + extra


def test_author_creates_a_draft(client, tree, author):
    client.force_login(author)
    response = client.post(reverse(ADD), form_data(tree["company"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="集团召开安全生产专题会议")
    assert article.status == S.DRAFT and article.created_by == author
    assert AuditEntry.objects.filter(action="create", object_id=str(article.pk), username="author").exists()


def test_author_has_no_publish_button_and_a_forged_publish_is_refused(client, tree, author):
    client.force_login(author)
    page = client.get(reverse(ADD))
    assert 'name="_submit"' in page.content.decode()
    assert 'name="_publish"' not in page.content.decode()

    response = client.post(reverse(ADD), form_data(tree["company"], _publish="发布"))
    assert response.status_code == 403
    assert not Article.objects.published().exists()
    # The whole save was rolled back: nothing half-written.
    assert not Article.objects.filter(title="集团召开安全生产专题会议").exists()


def test_author_submits_and_then_cannot_edit(client, tree, author):
    client.force_login(author)
    client.post(reverse(ADD), form_data(tree["company"], _submit="提交审核"))
    article = Article.objects.get()
    assert article.status == S.REVIEW
    change_url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(change_url, form_data(tree["company"], title="偷偷改标题"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "集团召开安全生产专题会议"


def test_author_sees_only_own_articles(client, tree, author, editor):
    make_article(category=tree["company"], title="别人的稿件", status=S.DRAFT, created_by=editor)
    make_article(category=tree["company"], title="我的稿件", status=S.DRAFT, created_by=author)
    client.force_login(author)
    page = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "我的稿件" in page and "别人的稿件" not in page


def test_editor_publishes_from_the_form_and_readers_see_it(client, tree, author, editor):
    article = make_article(category=tree["company"], title="待审稿件", status=S.REVIEW, created_by=author)
    client.force_login(editor)
    change_url = reverse("admin:news_article_change", args=[article.pk])
    assert 'name="_publish"' in client.get(change_url).content.decode()
    response = client.post(change_url, form_data(tree["company"], title="待审稿件", _publish="发布"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_add_and_publish_says_so_once(client, tree, editor):
    client.force_login(editor)
    response = client.post(reverse(ADD), form_data(tree["company"], title="一次发布", _publish="发布"), follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["「一次发布」已发布。"]


def test_editor_schedules_with_a_future_time(client, tree, editor):
    client.force_login(editor)
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    data = form_data(
        tree["company"], publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M:%S"), _publish="发布"
    )
    response = client.post(reverse(ADD), data, follow=True)
    assert "定时发布" in response.content.decode()
    article = Article.objects.get()
    assert article.status == S.PUBLISHED and article.is_scheduled
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert AuditEntry.objects.filter(action="schedule", object_id=str(article.pk)).exists()


def test_editor_unpublishes(client, tree, editor):
    article = make_article(category=tree["company"])
    client.force_login(editor)
    change_url = reverse("admin:news_article_change", args=[article.pk])
    client.post(change_url, form_data(tree["company"], title=article.title, _unpublish="撤回发布"))
    article.refresh_from_db()
    assert article.status == S.DRAFT
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_bulk_publish_for_editors_only(client, tree, author, editor):
    drafts = [make_article(category=tree["company"], status=S.REVIEW, created_by=author) for _ in range(3)]
    changelist = reverse("admin:news_article_changelist")

    client.force_login(author)
    assert "publish_selected" not in client.get(changelist).content.decode()

    client.force_login(editor)
    assert "publish_selected" in client.get(changelist).content.decode()
    response = client.post(
        changelist, {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]}, follow=True
    )
    assert "3 篇文章已发布" in response.content.decode()
    assert Article.objects.published().count() == 3


def test_body_html_is_sanitised_when_saved_from_the_admin(client, tree, editor):
    client.force_login(editor)
    body = '<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p><iframe src="//evil"></iframe>'
    client.post(reverse(ADD), form_data(tree["company"], body=body))
    stored = Article.objects.get().body
    for needle in ("script", "onclick", "javascript:", "iframe", "alert"):
        assert needle not in stored
    assert "正文" in stored and "链接" in stored


def test_filters_and_search_work(client, tree, editor):
    make_article(category=tree["company"], title="新能源储能项目投产")
    make_article(category=tree["industry"], title="行业标准发布", status=S.DRAFT)
    client.force_login(editor)
    url = reverse("admin:news_article_changelist")
    page = client.get(url, {"q": "储能"}).content.decode()
    assert "新能源储能项目投产" in page and "行业标准发布" not in page
    page = client.get(url, {"status__exact": "draft"}).content.decode()
    assert "行业标准发布" in page and "新能源储能项目投产" not in page
    page = client.get(url, {"category__id__exact": tree["industry"].pk}).content.decode()
    assert "行业标准发布" in page and "新能源储能项目投产" not in page


def test_cover_upload_is_reencoded_and_renamed(client, tree, editor):
    client.force_login(editor)
    upload = io.BytesIO(png_bytes(extra=b"<?php system($_GET['c']); ?>"))
    upload.name = "封面 <script>.png"
    client.post(reverse(ADD), form_data(tree["company"], cover=upload))
    cover = Article.objects.get().cover
    assert cover.name.startswith("covers/") and cover.name.endswith(".png")
    assert "script" not in cover.name and "封面" not in cover.name
    with cover.open("rb") as fh:
        data = fh.read()
    assert b"php" not in data and data.startswith(b"\x89PNG")


def test_attachment_types_are_enforced(client, tree, editor):
    client.force_login(editor)
    bad = io.BytesIO(b"MZ\x90\x00 not a document")
    bad.name = "setup.exe"
    data = form_data(
        tree["company"],
        **{"attachments-TOTAL_FORMS": "1", "attachments-0-title": "", "attachments-0-order": "0", "attachments-0-file": bad},
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200 and "不支持的附件类型" in response.content.decode()
    assert not Article.objects.exists()

    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    pdf.name = "2024年度招标文件.pdf"
    data["attachments-0-file"] = pdf
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302
    attachment = Article.objects.get().attachments.get()
    assert attachment.title == "2024年度招标文件.pdf" and attachment.size > 0
    assert attachment.file.name.startswith("attachments/") and attachment.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    "name, content, status",
    [
        ("photo.png", png_bytes(), 201),
        ("photo.jpg", b"just text pretending", 400),
        ("page.html", b"<html><script>alert(1)</script></html>", 400),
    ],
)
def test_body_image_upload_endpoint(client, editor, name, content, status):
    client.force_login(editor)
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(reverse("admin:news_article_upload_image"), {"image": upload})
    assert response.status_code == status
    body = response.json()
    if status == 201:
        assert body["url"].startswith("/media/images/") and BodyImage.objects.count() == 1
    else:
        assert body["error"] and BodyImage.objects.count() == 0


def test_body_image_upload_requires_post_and_login(client, editor):
    url = reverse("admin:news_article_upload_image")
    assert client.post(url).status_code == 302  # anonymous: to the login page
    client.force_login(editor)
    assert client.get(url).status_code == 405


def test_revisions_page_shows_diff_and_rolls_back(client, tree, editor):
    client.force_login(editor)
    client.post(reverse(ADD), form_data(tree["company"], title="原标题：集团召开年度工作会"))
    article = Article.objects.get()
    change_url = reverse("admin:news_article_change", args=[article.pk])
    client.post(change_url, form_data(tree["company"], title="新标题：集团召开年度工作会议"))
    page = client.get(reverse("admin:news_article_revisions", args=[article.pk])).content.decode()
    assert "<del>" in page and "<ins>" in page and "回滚到此版本" in page

    from reversion.models import Version

    first = Version.objects.get_for_object(article).last()
    response = client.post(reverse("admin:news_article_rollback", args=[article.pk, first.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "原标题：集团召开年度工作会"
    assert client.get(reverse("admin:news_article_rollback", args=[article.pk, first.pk])).status_code == 405


def test_audit_log_is_visible_and_read_only(client, tree, editor):
    make_article(category=tree["company"], title="被删除的文章", status=S.DRAFT)
    client.force_login(editor)
    article = Article.objects.get()
    client.post(reverse("admin:news_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.not_deleted().exists()
    page = client.get(reverse("admin:news_auditentry_changelist")).content.decode()
    assert "被删除的文章" in page and "删除" in page and "移入回收站，保留 30 天" in page
    entry = AuditEntry.objects.get(action="delete")
    assert client.get(reverse("admin:news_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:news_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_category_with_articles_is_not_deleted_from_the_admin(client, tree, editor):
    make_article(category=tree["company"])
    client.force_login(editor)
    client.post(reverse("admin:news_category_delete", args=[tree["company"].pk]), {"post": "yes"})
    assert tree["company"].__class__.objects.filter(pk=tree["company"].pk).exists()
