"""The article form's JSON endpoints refuse alike: the form's scripts show `error` to the editor, never a bare page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinwen.conftest import make_article

ENDPOINTS = {
    "上传图片": lambda article: reverse("admin:news_article_upload_image"),
    "自动保存": lambda article: reverse("admin:news_article_autosave", args=[article.pk]),
    "粘贴内容": lambda article: reverse("admin:news_article_paste"),
    "内容检查": lambda article: reverse("admin:news_article_content_check", args=[article.pk]),
}


@pytest.mark.parametrize("what", list(ENDPOINTS))
def test_a_get_is_a_405_that_names_the_action(what, client, editor, tree):
    client.force_login(editor)
    response = client.get(ENDPOINTS[what](make_article(category=tree["company"])))
    assert response.status_code == 405
    assert response.json() == {"error": f"{what}需要用 POST 提交。"}


@pytest.mark.parametrize("what, field", [("粘贴内容", "html"), ("内容检查", None)])
def test_a_declared_body_over_the_limit_is_a_413_before_it_is_read(what, field, client, editor, tree):
    client.force_login(editor)
    url = ENDPOINTS[what](make_article(category=tree["company"]))
    response = client.generic("POST", url, b"{}", content_type="application/json", CONTENT_LENGTH=str(64 * 1024 * 1024))
    assert response.status_code == 413 and "太" in response.json()["error"]
    bad = client.generic("POST", url, b"{}", content_type="application/json", CONTENT_LENGTH="many")
    assert bad.status_code == 400 and bad.json() == {"error": "请求的长度无效。"}


def test_a_reader_account_without_article_rights_gets_403_json_from_each(client, tree, django_user_model):
    from xinwen.conftest import StaffClient

    nobody = django_user_model.objects.create_user("kanban", password="x", is_staff=True)
    staff = StaffClient()
    staff.force_login(nobody)
    article = make_article(category=tree["company"])
    for what, url in ENDPOINTS.items():
        response = staff.post(url(article), {"html": "<p>x</p>", "body": "x"})
        assert response.status_code in (403, 404), what  # an article it may not see is not found
        if response.status_code == 403:
            assert response["Content-Type"].startswith("application/json") and response.json()["error"], what
