"""Requests with more parameters than Django parses: a 400 with a message, never a 500."""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.django_db

MANY = "&".join(f"x{n}=1" for n in range(1500))  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000


@pytest.mark.parametrize("path", ["/no-such-page/", "/", "/zh-tw/category/no-such/", "/news/123.html", "/search/"])
def test_too_many_query_parameters_are_a_400_with_a_message(client, caplog, path):
    with caplog.at_level(logging.WARNING):
        response = client.get(f"{path}?{MANY}")

    assert response.status_code == 400
    assert "请求参数过多" in response.content.decode()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_too_many_form_fields_in_a_login_post_are_a_400(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.post("/admin/login/", MANY, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_usual_number_of_parameters_still_reaches_the_page(client):
    query = "&".join(f"utm_{n}=1" for n in range(50))

    assert client.get(f"/no-such-page/?{query}").status_code == 404
