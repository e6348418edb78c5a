"""The audit log in words: what an entry's detail says, in Chinese, with field labels and display values."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from xinwen.news.models import Article, AuditEntry

__all__ = ["audit_detail_text"]

_REASONS = {"manual": "管理员手动彻底删除", "expired": "在回收站中超过保留期限，自动彻底删除"}


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _when(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _status(value: str) -> str:
    try:
        return Article.Status(value).label
    except ValueError:
        return str(value)


def audit_detail_text(entry: AuditEntry) -> str:
    """One readable line for the detail of an audit entry (empty when there is nothing to add)."""
    detail = entry.detail or {}
    model = entry.content_type.model_class() or Article
    parts: list[str] = []
    if "fields" in detail:
        fields = detail["fields"] or []
        parts.append("改动：" + "、".join(_field_label(model, f) for f in fields) if fields else "保存，内容无改动")
    if detail.get("reason") and detail["reason"] in _REASONS:
        parts.append(_REASONS[detail["reason"]])
    elif detail.get("reason"):
        parts.append(f"退回原因：{detail['reason']}")
    if detail.get("comment"):
        parts.append(f"审核意见：{detail['comment']}")
    if detail.get("publish_at"):
        parts.append(f"发布时间：{_when(detail['publish_at'])}")
    if detail.get("unpublish_at"):
        parts.append(f"下线时间：{_when(detail['unpublish_at'])}")
    if detail.get("rescheduled_from"):
        parts.append(f"由 {detail['rescheduled_from']} 改期")
    if "status" in detail:
        label = "恢复后的状态" if entry.action == AuditEntry.Action.RESTORE else "删除时的状态"
        parts.append(f"{label}：{_status(detail['status'])}")
    if detail.get("days"):
        parts.append(f"移入回收站，保留 {detail['days']} 天")
    for key, label in (("name", "名称"), ("term", "词条")):
        if detail.get(key):
            parts.append(f"{label}：{detail[key]}")
    if detail.get("level_name") and entry.action == AuditEntry.Action.SUBMIT:
        parts.append(f"提交到：{detail['level_name']}")
    elif detail.get("level_name") and entry.action in (AuditEntry.Action.APPROVE, AuditEntry.Action.REJECT):
        parts.append(f"审核环节：{detail['level_name']}")
    if detail.get("next"):
        parts.append(f"下一步：{detail['next']}")
    if detail.get("approved_levels"):
        parts.append("发布时一并审核通过：" + "、".join(detail["approved_levels"]))
    for key, label in (("who", "对象"), ("section", "栏目"), ("role", "角色")):
        if detail.get(key):
            parts.append(f"{label}：{detail[key]}")
    if detail.get("revision_date"):
        parts.append(f"回滚到 {detail['revision_date']} 的版本")
    known = {"fields", "reason", "comment", "publish_at", "unpublish_at", "rescheduled_from", "status", "days", "revision_date", "title", "version", "name", "term",
             "level", "level_name", "next", "approved_levels", "who", "section", "role"}
    parts += [f"{key}：{value}" for key, value in detail.items() if key not in known]
    return "；".join(parts)
