"""栏目权限 writes: granting and revoking a role in a section (news/grants.py says what a grant means).

Only 管理员 (news.add_sectiongrant / news.delete_sectiongrant) manage grants. A grant changes what
back-office users may do, never what readers see, so it sends no change notice; the audit log
records who granted what to whom, in words. The review chain itself is a field of the category
(review_levels, review_names) and is written by category_save like any other category field.
"""

from __future__ import annotations

from django.db import transaction

from xinwen.news.errors import WorkflowError
from xinwen.news.grants import MAX_LEVELS, SectionGrant
from xinwen.news.models import AuditEntry
from xinwen.news.services.access import audit_record, require_perm

__all__ = ["section_grant_save", "section_grant_delete"]

Action = AuditEntry.Action
Role = SectionGrant.Role


def _detail(grant: SectionGrant) -> dict:
    who = f"用户 {grant.user.get_username()}" if grant.user_id else f"用户组 {grant.group.name}"
    return {"who": who, "section": str(grant.category), "role": grant.role_label}


@transaction.atomic
def section_grant_save(*, grant: SectionGrant, user) -> SectionGrant:
    """Grant a user or a group one role in a section; the same grant twice is refused with a message."""
    require_perm(user, "news.add_sectiongrant" if grant.pk is None else "news.change_sectiongrant", "只有管理员可以设置栏目权限。")
    if bool(grant.user_id) == bool(grant.group_id):
        raise WorkflowError("请选择一个用户或一个用户组（二选一）。")
    if grant.role == Role.REVIEW:
        if not 1 <= (grant.level or 0) <= MAX_LEVELS:
            raise WorkflowError(f"“审核”角色需要填写审核级别（1 到 {MAX_LEVELS}）。")
    else:
        grant.level = 0
    same = SectionGrant.objects.filter(
        category=grant.category_id, user=grant.user_id, group=grant.group_id, role=grant.role, level=grant.level
    ).exclude(pk=grant.pk)
    if same.exists():
        raise WorkflowError("这项栏目权限已经存在。")
    created = grant.pk is None
    grant.save()
    audit_record(user=user, action=Action.GRANT if created else Action.CHANGE, obj=grant, detail=_detail(grant))
    return grant


@transaction.atomic
def section_grant_delete(*, grant: SectionGrant, user) -> None:
    require_perm(user, "news.delete_sectiongrant", "只有管理员可以收回栏目权限。")
    audit_record(user=user, action=Action.REVOKE, obj=grant, detail=_detail(grant))
    grant.delete()
