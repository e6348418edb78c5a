"""Word and WPS paste: the editor's clipboard HTML is cleaned by the server's own cleaner, pictures inline are stored."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from xinwen.conftest import make_user
from xinwen.editorial.paste import MAX_PASTE_BYTES, MAX_PASTED_IMAGES
from xinwen.news.models import BodyImage
from xinwen.news.sanitize import sanitize_html
from xinwen.news.tests.test_uploads import image_bytes

pytestmark = pytest.mark.django_db

PASTE = Path(__file__).resolve().parents[2] / "news" / "tests" / "fixtures" / "paste"
URL = "admin:news_article_paste"


def word(name: str = "word-notice.html") -> str:
    return (PASTE / name).read_text(encoding="utf-8")


def data_url(data: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def paste(client, html: str, status: int = 200) -> dict:
    response = client.post(reverse(URL), {"html": html})
    assert response.status_code == status, response.content
    return response.json()


@pytest.fixture
def editing(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize("name", ["word-notice.html", "wps-list.html"])
def test_office_html_comes_back_as_the_body_a_save_would_keep(editing, name):
    answer = paste(editing, word(name))
    assert answer["html"] == sanitize_html(word(name)) and answer["problems"] == []
    assert "<ol><li>" in answer["html"] and '<p class="align-right">' in answer["html"]
    assert not re.search(r">\s*[ln]\s", answer["html"])  # no Wingdings bullet letter


def test_a_picture_inside_the_clipboard_is_stored_and_linked(editing):
    html = f'<p class=MsoNormal style="mso-list:none">签约现场<img width=48 src="{data_url(image_bytes("PNG"))}" alt="签约"></p>'
    answer = paste(editing, html)
    (image,) = BodyImage.objects.all()
    assert re.search(rf'<img width="48" src="{image.file.url}" alt="签约">', answer["html"])
    assert "data:" not in answer["html"] and answer["problems"] == []


def test_local_files_and_broken_pictures_are_dropped_and_said(editing):
    html = (
        '<p style="mso-fareast-font-family:宋体">甲<img src="file:///C:/Users/x/AppData/Local/Temp/clip_image002.png"></p>'
        f'<p>乙<img src="{data_url(b"not a picture at all")}"></p>'
        '<p>丙<img src="data:image/png;base64,@@@@"></p>'
    )
    answer = paste(editing, html)
    assert "<img" not in answer["html"] and "甲" in answer["html"] and "乙" in answer["html"]
    assert BodyImage.objects.count() == 0
    said = " ".join(answer["problems"])
    assert "本机文件" in said and "没有保存" in said


def test_pictures_beyond_the_limit_are_refused_with_a_reason(editing):
    picture = f'<img src="{data_url(image_bytes("PNG"))}" alt="图">'
    answer = paste(editing, '<p style="mso-x:1">' + picture * (MAX_PASTED_IMAGES + 2) + "</p>")
    assert BodyImage.objects.count() == MAX_PASTED_IMAGES
    assert answer["html"].count("<img") == MAX_PASTED_IMAGES and f"最多保存 {MAX_PASTED_IMAGES} 张" in answer["problems"][0]


def test_hostile_markup_in_a_paste_is_inert(editing):
    answer = paste(editing, '<p style="mso-x:1" onclick="alert(1)">文<script>alert(2)</script><img src=x onerror=alert(3)><a href="javascript:alert(4)">链</a></p>')
    assert not re.search(r"<script|onerror|onclick|javascript:", answer["html"], re.I)


def test_bad_requests_get_a_clear_answer(editing):
    response = editing.post(reverse(URL), {})
    assert response.status_code == 400 and "没有收到" in response.json()["error"]
    assert editing.get(reverse(URL)).status_code == 405
    response = editing.post(reverse(URL), {"html": "x" * (MAX_PASTE_BYTES + 10)})
    assert response.status_code == 413 and "太大" in response.json()["error"]
    response = editing.post(reverse(URL), {"html": "<p>a\x00b</p>"})
    assert response.status_code == 400


def test_only_those_who_write_articles_may_paste(client):
    assert client.post(reverse(URL), {"html": word()}).status_code == 302  # anonymous: to the login page
    staff = make_user("clerk", role=None)
    get_user_model().objects.filter(pk=staff.pk).update(is_staff=True)
    client.force_login(get_user_model().objects.get(pk=staff.pk))
    response = client.post(reverse(URL), {"html": word()})
    assert response.status_code == 403 and "权限" in response.json()["error"]
