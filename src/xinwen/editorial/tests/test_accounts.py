"""Roles, passwords and login throttling."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinwen.conftest import make_user

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_roles_are_created_by_migration():
    author, editor, admin = perms("作者"), perms("编辑"), perms("管理员")
    assert {"news.add_article", "news.change_article"} <= author
    assert "news.publish_article" not in author and "news.delete_article" not in author
    assert {"news.publish_article", "news.delete_article", "news.change_category", "news.view_auditentry"} <= editor
    assert "auth.change_user" not in editor
    assert {"auth.add_user", "auth.change_user"} <= admin and editor <= admin


def test_admin_role_manages_users_editor_does_not(client):
    editor = make_user("editor", role="编辑")
    manager = make_user("manager", role="管理员")
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


@pytest.mark.parametrize(
    "password, ok",
    [
        ("short-pw-1", False),  # 10 characters
        ("eleven-char", False),
        ("twelve-chars-ok!", True),
        ("新闻中心编辑部的安全口令二〇二六", True),
    ],
)
def test_password_minimum_length_is_twelve(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_login_is_throttled_after_repeated_failures(client, settings):
    make_user("editor", role="编辑", password="the-right-password-2026")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "editor", "password": "wrong-password"})
        assert response.status_code == 200  # form shown again with an error
    assert client.post(url, {"username": "editor", "password": "wrong-password"}).status_code == 429
    # Now even the right password is refused for this user from this address.
    response = client.post(url, {"username": "editor", "password": "the-right-password-2026"})
    assert response.status_code in (403, 429)
    assert "登录已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_works_and_is_not_throttled(client):
    # An author: the password alone opens the back office (editors also need a second factor).
    make_user("writer", role="作者", password="the-right-password-2026")
    url = reverse("admin:login")
    client.post(url, {"username": "writer", "password": "wrong-password"})
    response = client.post(url, {"username": "writer", "password": "the-right-password-2026", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
