"""Roles, passwords and login throttling."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinwen.conftest import make_user
from xinwen.editorial.accounts import account_change_check
from xinwen.editorial.errors import NotAllowed

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


# --- 管理员 manage accounts within the roles; only a superuser goes beyond --------------------


@pytest.fixture
def manager(db):
    return make_user("manager", role="管理员")


@pytest.fixture
def privileged_group(db):
    """A group a superuser made with more than any role: every permission on accounts and groups."""
    group = Group.objects.create(name="系统维护")
    group.permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    return group


def change_form(account, **changes) -> dict:
    """The user change form as the browser sends it, plus `changes` (which a crafted POST may add)."""
    data = {
        "username": account.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(pk) for pk in account.groups.values_list("pk", flat=True)],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    return {**data, **changes}


def change_url(account) -> str:
    return reverse("admin:auth_user_change", args=[account.pk])


@pytest.mark.parametrize("target", ["self", "author"])
def test_a_manager_cannot_make_anyone_superuser_or_grant_permissions(client, manager, target):
    account = manager if target == "self" else make_user("writer", role="作者")
    client.force_login(manager)
    all_permissions = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]

    response = client.post(change_url(account), change_form(account, is_superuser="on", user_permissions=all_permissions))

    assert response.status_code == 302  # saved: the fields it may not set were not read at all
    account.refresh_from_db()
    assert not account.is_superuser
    assert not account.user_permissions.exists()
    page = client.get(change_url(manager)).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page


def test_a_manager_cannot_give_a_group_beyond_the_roles(client, manager, privileged_group):
    account = make_user("writer", role="作者")
    client.force_login(manager)

    for who in (account, manager):
        response = client.post(change_url(who), change_form(who, groups=[str(privileged_group.pk)]))
        assert response.status_code == 200  # the form again, with the error
        assert not who.groups.filter(pk=privileged_group.pk).exists()
    assert privileged_group.name not in client.get(change_url(account)).content.decode()

    # Within the roles is what a manager is for.
    editor_role = Group.objects.get(name="编辑")
    assert client.post(change_url(account), change_form(account, groups=[str(editor_role.pk)])).status_code == 302
    assert list(account.groups.values_list("name", flat=True)) == ["编辑"]


def test_a_manager_cannot_open_or_change_a_superusers_account(client, manager):
    boss = make_user("boss", superuser=True)
    client.force_login(manager)

    assert client.get(change_url(boss)).status_code == 302  # "does not exist", back to the index
    assert client.get(reverse("admin:auth_user_password_change", args=[boss.pk])).status_code == 404
    client.post(change_url(boss), change_form(boss, is_active=""))
    client.post(
        reverse("admin:auth_user_password_change", args=[boss.pk]),
        {"password1": "taken-over-password-1", "password2": "taken-over-password-1"},
    )
    boss.refresh_from_db()
    assert boss.is_active and boss.check_password("correct-horse-battery-42")
    assert "boss" not in client.get(reverse("admin:auth_user_changelist")).content.decode()


def test_a_manager_cannot_take_over_an_account_with_more_than_the_roles(client, manager, privileged_group):
    operator = make_user("operator", role="编辑")
    operator.groups.add(privileged_group)
    client.force_login(manager)

    assert client.get(change_url(operator)).status_code == 302
    assert client.get(reverse("admin:auth_user_password_change", args=[operator.pk])).status_code == 404


def test_a_manager_may_look_at_roles_but_not_change_them(client, manager):
    author_role = Group.objects.get(name="作者")
    before = set(author_role.permissions.all())
    client.force_login(manager)

    assert client.get(reverse("admin:auth_group_change", args=[author_role.pk])).status_code == 200  # read-only
    response = client.post(
        reverse("admin:auth_group_change", args=[author_role.pk]),
        {"name": "作者", "permissions": [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]},
    )
    assert response.status_code == 403
    assert set(author_role.permissions.all()) == before
    assert client.post(reverse("admin:auth_group_add"), {"name": "后门"}).status_code == 403
    assert not Group.objects.filter(name="后门").exists()


def test_the_account_rules_refuse_a_crafted_change_themselves(manager, privileged_group):
    """The check the admin runs before saving, whatever form reached it."""
    writer = make_user("writer", role="作者")
    with pytest.raises(NotAllowed, match="系统维护"):
        account_change_check(user=manager, account=writer, groups=[privileged_group])
    with pytest.raises(NotAllowed):
        account_change_check(user=manager, account=make_user("boss", superuser=True), groups=[])
    account_change_check(user=manager, account=writer, groups=list(Group.objects.filter(name="编辑")))


def test_a_superuser_still_manages_everything(client, privileged_group):
    boss = make_user("boss", superuser=True)
    other = make_user("other-boss", superuser=True)
    account = make_user("writer", role="作者")
    permission = Permission.objects.get(codename="publish_article")
    client.force_login(boss)

    assert client.get(change_url(other)).status_code == 200
    response = client.post(
        change_url(account),
        change_form(
            account, is_superuser="on", groups=[str(privileged_group.pk)], user_permissions=[str(permission.pk)]
        ),
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_superuser
    assert list(account.groups.all()) == [privileged_group]
    assert list(account.user_permissions.all()) == [permission]
    response = client.post(reverse("admin:auth_group_change", args=[privileged_group.pk]), {"name": "系统维护", "permissions": []})
    assert response.status_code == 302 and not privileged_group.permissions.exists()
