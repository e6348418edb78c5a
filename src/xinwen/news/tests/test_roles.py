"""The roles are defined once (news.roles) and every migrate leaves the groups holding exactly that."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from xinwen.news.roles import ADMIN, AUTHOR, EDITOR, ROLES, roles_sync

pytestmark = pytest.mark.django_db


def held(name: str) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=name).permissions.all()}


def test_every_permission_a_role_names_exists_and_is_held():
    for name, codes in ROLES.items():
        assert held(name) == set(codes), name


def test_a_role_changed_by_hand_is_restored_by_the_next_migrate():
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.remove(Permission.objects.get(codename="publish_article"))
    editor.permissions.add(Permission.objects.get(codename="add_user"))
    Group.objects.filter(name=AUTHOR).delete()

    call_command("migrate", verbosity=0)

    assert held(EDITOR) == set(ROLES[EDITOR])
    assert held(AUTHOR) == set(ROLES[AUTHOR])


def test_sync_is_idempotent_and_leaves_other_groups_alone():
    other = Group.objects.create(name="通讯员")
    other.permissions.add(Permission.objects.get(codename="view_article"))
    roles_sync()
    roles_sync()
    assert Group.objects.filter(name__in=ROLES).count() == 3
    assert held("通讯员") == {"news.view_article"}
    assert "auth.change_user" in held(ADMIN) and "auth.change_user" not in held(EDITOR)
