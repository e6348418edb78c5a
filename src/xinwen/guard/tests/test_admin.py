"""The back office: the 内容检查 panel, the confirmation box, and lexicons imported and exported as text."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.conftest import form_data
from xinwen.guard.models import Lexicon
from xinwen.news.models import Article

S = Article.Status
pytestmark = pytest.mark.django_db


def test_the_panel_lists_each_hit_with_field_category_and_position(client, tree, editor):
    article = make_article(category=tree["company"], status=S.DRAFT, title="通知", body="<p>请勿访问久久 精品网站。</p>")
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "内容检查" in page
    assert "<mark>久久 精品</mark>（久久精品）" in page
    assert "禁止发布" in page and "色情" in page and "正文" in page and "第 5 字" in page


def test_a_clean_article_says_so(client, tree, editor):
    article = make_article(category=tree["company"], status=S.DRAFT, title="职工运动会")
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "未发现词库中的词语" in page and "_confirm_content" not in page


def test_publishing_from_the_form_is_refused_with_the_word_and_field(client, tree, editor):
    article = make_article(category=tree["company"], status=S.DRAFT, title="待发稿件")
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, form_data(tree["company"], title="待发稿件", body="<p>百家乐开户</p>", _publish="发布"), follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "「正文」" in shown and "百家乐" in shown and "不能发布" in shown
    article.refresh_from_db()
    assert article.status == S.DRAFT and "百家乐" in article.body  # saved as a draft, not published


def test_a_word_to_confirm_publishes_only_with_the_box_ticked(client, tree, editor):
    article = make_article(category=tree["company"], status=S.DRAFT, title="外贸")
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[article.pk])
    data = form_data(tree["company"], title="外贸", body="<p>产品出口欧美日韩。</p>", _publish="发布")
    client.post(url, data)
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert 'name="_confirm_content"' in client.get(url).content.decode()
    client.post(url, {**data, "_confirm_content": "1"})
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_import_a_text_file_then_export_it(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("words.txt", "# 本单位禁用词\n某某科技\n某 某 传媒\n\n".encode("utf-8"))
    response = client.post(
        reverse("admin:guard_lexicon_import"),
        {"name": "合作方黑名单", "category": "自定义", "action": "block", "file": upload},
    )
    assert response.status_code == 302
    lexicon = Lexicon.objects.get(name="合作方黑名单")
    assert lexicon.action == "block" and sorted(lexicon.words.values_list("word", flat=True)) == ["某 某 传媒", "某某科技"]
    exported = client.post(
        reverse("admin:guard_lexicon_changelist"), {"action": "export_selected", "_selected_action": [lexicon.pk]}
    )
    assert exported["Content-Type"].startswith("text/plain")
    assert exported.content.decode() == "# 词库：合作方黑名单\n[自定义 禁止发布]\n某 某 传媒\n某某科技\n"


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"text": "[色情 立即删除]\n某词"}, "处理方式「立即删除」不存在"),
        ({"text": "   "}, "请上传文件或粘贴词语"),
        ({"file": SimpleUploadedFile("gbk.txt", "某某科技".encode("gbk"))}, "不是 UTF-8"),
    ],
)
def test_a_bad_import_is_a_400_with_a_message(client, admin_user, payload, message):
    client.force_login(admin_user)
    response = client.post(reverse("admin:guard_lexicon_import"), {"name": "x", "category": "自定义", "action": "note", **payload})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Lexicon.objects.exists()
