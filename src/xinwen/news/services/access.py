"""Who may do what, and the audit log every service writes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from xinwen.news.errors import NotAllowed
from xinwen.news.models import Article, AuditEntry

__all__ = ["audit_record", "can_publish", "can_edit", "require_publisher", "OPERATOR"]

Status = Article.Status
OPERATOR = None  # the site operator running a command; see the package docstring


def audit_record(*, user, action: str, obj, detail: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        detail=detail or {},
    )


def can_publish(user) -> bool:
    if user is OPERATOR:
        return True
    return bool(user.is_active and user.has_perm("news.publish_article"))


def can_edit(user, article: Article) -> bool:
    """Editors edit anything outside the recycle bin; authors their own drafts and articles sent back to them."""
    if user is OPERATOR:
        return True
    if not (user.is_active and user.has_perm("news.change_article")):
        return False
    if article.deleted_at is not None:
        return False  # restore it first
    if can_publish(user):
        return True
    return article.pk is None or (
        article.created_by_id == user.pk and article.status in (Status.DRAFT, Status.REJECTED)
    )


def require_publisher(user) -> None:
    if not can_publish(user):
        raise NotAllowed("只有编辑可以发布、定时、撤回或归档文章。")


def require_perm(user, perm: str, message: str) -> None:
    if user is not OPERATOR and not (user.is_active and user.has_perm(perm)):
        raise NotAllowed(message)
