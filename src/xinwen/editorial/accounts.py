"""Who manages which back-office accounts: 管理员 within the three roles, superusers everything.

The 管理员 role holds auth.change_user to run the newsroom's accounts. Unchecked, that
permission also ticks 超级用户, grants any permission or group, and sets the password of an
account that holds more than the 管理员 does; each of those is a way to become a superuser.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import QuerySet

from xinwen.editorial.errors import NotAllowed

__all__ = ["ROLES", "SUPERUSER_ONLY_FIELDS", "manageable_accounts", "assignable_groups", "account_change_check"]

ROLES = ("作者", "编辑", "管理员")  # the groups created by migrations/0002_roles.py
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


def manageable_accounts(user, accounts: QuerySet) -> QuerySet:
    """The accounts `user` may see and change: for a non-superuser, those that hold no more than the roles."""
    if user.is_superuser:
        return accounts
    return (
        accounts.filter(is_superuser=False)
        .exclude(groups__in=Group.objects.exclude(name__in=ROLES))
        .exclude(user_permissions__isnull=False)
    )


def assignable_groups(user) -> QuerySet:
    """The groups `user` may give an account."""
    groups = Group.objects.all()
    return groups if user.is_superuser else groups.filter(name__in=ROLES)


def account_change_check(*, user, account, groups) -> None:
    """Refuse, for anyone but a superuser, a change that touches more than the roles."""
    if user.is_superuser:
        return
    if account.is_superuser or (account.pk and account.user_permissions.exists()):
        raise NotAllowed("只有超级用户可以修改超级用户或单独授权的账号。")
    outside = sorted(group.name for group in groups if group.name not in ROLES)
    if outside:
        raise NotAllowed(f"只能分配作者、编辑、管理员三种角色，不能分配：{'、'.join(outside)}。")
