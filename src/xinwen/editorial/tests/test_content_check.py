"""The 内容检查 endpoint: the write path's checks over unsaved text, with offsets the editor can select."""

from __future__ import annotations

import json

import pytest
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from xinwen.conftest import StaffClient, make_article, make_user
from xinwen.editorial.content_check import MAX_CHECK_BYTES, article_check_rows
from xinwen.news.models import Article

S = Article.Status
pytestmark = pytest.mark.django_db
NEW = "admin:news_article_content_check"


def post(client, payload, *, pk=None, raw=None):
    url = reverse(NEW, args=[pk] if pk else [])
    return client.post(url, raw if raw is not None else json.dumps(payload), content_type="application/json")


def hits(response, name=None):
    assert response.status_code == 200, response.content.decode()
    rows = response.json()["findings"]
    return [r for r in rows if name is None or r["name"] == name]


def test_anonymous_is_sent_to_log_in(tree):
    response = post(Client(), {"fields": {"title": "色情"}})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_article_rights_get_403(client, tree):
    user = make_user("clerk")
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = post(client, {"fields": {"title": "色情"}})
    assert response.status_code == 403 and "没有编辑文章的权限" in response.json()["error"]


def test_an_author_may_not_check_an_article_they_cannot_change(client, tree, author):
    article = make_article(category=tree["company"], status=S.REVIEW, created_by=author)
    client.force_login(author)
    response = post(client, {"fields": {"title": "色情"}}, pk=article.pk)
    assert response.status_code == 403 and "不能修改这篇文章" in response.json()["error"]


def test_the_check_is_csrf_protected(tree, editor):
    client = StaffClient(enforce_csrf_checks=True)
    client.force_login(editor)
    assert post(client, {"fields": {"title": "色情"}}).status_code == 403  # no token sent
    client.get(reverse("admin:news_article_add"))  # the form sets the token cookie, as in the browser
    token = client.cookies["csrftoken"].value
    response = client.post(reverse(NEW), '{"fields": {"title": "色情"}}', content_type="application/json", headers={"X-CSRFToken": token})
    assert [r["word"] for r in hits(response)] == ["色情"]


def test_get_is_refused(client, tree, editor):
    client.force_login(editor)
    assert client.get(reverse(NEW)).status_code == 405


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b"\xff\xfe", "不是有效的 JSON"),
        (b"[1, 2]", "请求格式不对"),
        (b'{"fields": "title"}', "请求格式不对"),
        (b'{"fields": {"title": 5}}', "「标题」应为文字"),
        (b'{"fields": {}, "body_text": ["x"]}', "「正文」应为文字"),
        ('{"fields": {}, "category": "公司"}'.encode(), "「栏目」应为栏目编号"),
    ],
)
def test_malformed_input_is_a_400_with_a_chinese_message(client, tree, editor, raw, message):
    client.force_login(editor)
    response = post(client, None, raw=raw)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_oversized_input_is_a_413(client, tree, editor):
    client.force_login(editor)
    body = "<p>" + "很长的正文。" * (MAX_CHECK_BYTES // 18 + 10) + "</p>"
    response = post(client, {"fields": {"body": body}})
    assert response.status_code == 413 and "内容太长" in response.json()["error"]


def test_a_lone_surrogate_is_no_500(client, tree, editor):
    client.force_login(editor)
    response = post(client, None, raw=b'{"fields": {"title": "\\ud800\\u8272\\u200b\\u60c5", "body": "<p>\\udfff</p>"}}')
    [row] = hits(response, "title")
    assert row["text"] == "色\u200b情" and (row["from"], row["to"]) == (1, 4)


def test_findings_of_a_new_article_with_offsets_in_the_text_as_typed(client, tree, editor):
    client.force_login(editor)
    title = "关于色\u200b情内容的通知"
    body_text = "第一段。\n欢迎访问黃色網站\n第三段"
    response = post(
        client,
        {
            "fields": {"title": title, "body": "<p>第一段。</p><p>欢迎访问<strong>黃色</strong>網站</p><p>第三段</p>"},
            "body_text": body_text,
            "category": str(tree["company"].pk),
        },
    )
    rows = hits(response)
    assert [r["action"] for r in rows] == sorted((r["action"] for r in rows), key=["block", "confirm", "note"].index)
    [in_title] = [r for r in rows if r["name"] == "title"]
    assert in_title["word"] == "色情" and in_title["action"] == "confirm" and in_title["action_label"] == "需要确认"
    assert title[in_title["from"] : in_title["to"]] == "色\u200b情"
    [in_body] = [r for r in rows if r["name"] == "body"]
    assert in_body["word"] == "黄色网站" and in_body["action"] == "block" and in_body["field"] == "正文"
    assert body_text[in_body["from"] : in_body["to"]] == "黃色網站"
    assert response.json()["counts"] == {"block": 1, "confirm": 1, "note": 0}
    assert not Article.objects.exists(), "a check never saves"


def test_without_body_text_the_body_is_read_from_its_markup(client, tree, editor):
    client.force_login(editor)
    [row] = hits(post(client, {"fields": {"body": "<p>请勿访问久久 精品网站。</p>"}}), "body")
    assert row["text"] == "久久 精品" and row["position"] == 5


def test_offsets_count_utf16_units_after_characters_beyond_the_bmp(client, tree, editor):
    client.force_login(editor)
    title = "😀𠀀色情"
    [row] = hits(post(client, {"fields": {"title": title}}), "title")
    assert row["start"] == 2 and row["position"] == 3  # characters, as the panel counts
    assert (row["from"], row["to"]) == (4, 6)  # UTF-16 units, as the browser's selection counts


def test_unsaved_text_of_a_saved_article_gives_what_the_saved_panel_gives_once_saved(client, tree, editor):
    article = make_article(category=tree["company"], status=S.DRAFT, title="通知", body="<p>正文。</p>")
    client.force_login(editor)
    title, body = "關於色\u200b情的通知", "<p>请勿访问久久 精品网站，远离赌\u200b博。</p>"
    live = hits(post(client, {"fields": {"title": title, "body": body}, "body_text": "请勿访问久久 精品网站，远离赌\u200b博。"}, pk=article.pk))
    assert Article.objects.get(pk=article.pk).title == "通知", "a check never saves"

    Article.objects.filter(pk=article.pk).update(title=title, body=body)
    saved = article_check_rows(Article.objects.get(pk=article.pk))
    keys = ("field", "word", "action", "start", "end", "text", "name", "from", "to")
    assert [tuple(r.get(k) for k in keys) for r in live] == [tuple(r.get(k) for k in keys) for r in saved]
    assert {r["word"] for r in live} >= {"色情", "久久精品"}
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "<mark>色\u200b情</mark>（色情）" in page and 'data-check-url="/admin/news/article/%d/content-check/"' % article.pk in page


def test_the_section_chosen_in_the_form_applies_its_overrides(client, tree, editor):
    from xinwen.guard.models import Lexicon, LexiconOverride, LexiconWord

    lexicon = Lexicon.objects.create(name="本地词库", action="block")
    LexiconWord.objects.create(lexicon=lexicon, word="内部代号")
    LexiconOverride.objects.create(lexicon=lexicon, category=tree["industry"], action="note")
    client.force_login(editor)
    for category, action in ((tree["company"], "block"), (tree["industry"], "note")):
        [row] = hits(post(client, {"fields": {"summary": "内部代号"}, "category": category.pk}), "summary")
        assert row["action"] == action


def test_the_add_form_carries_the_check_url_and_an_empty_panel(client, tree, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_add")).content.decode()
    assert 'data-check-url="/admin/news/article/content-check/"' in page
    assert 'id="content-check"' in page and "保存后在这里列出内容检查的结果" in page
    assert static("editorial/content-check.js") in page
