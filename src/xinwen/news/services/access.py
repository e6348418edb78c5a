"""Who may do what, and where (news/grants.py holds the rules of 栏目权限), and the audit log every service writes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from xinwen.news.errors import NotAllowed
from xinwen.news.grants import scope_for
from xinwen.news.models import Article, AuditEntry

__all__ = [
    "audit_record",
    "can_publish",
    "can_edit",
    "can_review",
    "require_publisher",
    "require_writer",
    "OPERATOR",
]

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


def can_publish(user, article: Article | None = None) -> bool:
    """May publish this article (its section); without an article: may publish in the whole tree."""
    if user is OPERATOR:
        return True
    if not user.is_active:
        return False
    if article is None:
        return bool(user.has_perm("news.publish_article"))
    return scope_for(user).may_publish(article.category_id)


def can_review(user, article: Article, level: int | None = None) -> bool:
    """May approve or send back this article at `level` (default: the level it waits at)."""
    if user is OPERATOR:
        return True
    # An article in review from before the chain existed has no level yet: it waits at the first.
    return bool(user.is_active) and scope_for(user).may_review(article.category_id, level or article.review_level or 1)


def can_edit(user, article: Article) -> bool:
    """Publishers edit anything in their sections outside the recycle bin; a reviewer what waits at their
    level; authors their own drafts and articles sent back to them, in their sections."""
    if user is OPERATOR:
        return True
    if not (user.is_active and user.has_perm("news.change_article")):
        return False
    if article.deleted_at is not None:
        return False  # restore it first
    scope = scope_for(user)
    if article.pk is None:
        return scope.writes_somewhere() if article.category_id is None else scope.may_write(article.category_id)
    if scope.may_publish(article.category_id):
        return True
    if article.status == Status.REVIEW and scope.may_review(article.category_id, article.review_level):
        return True
    return (
        article.created_by_id == user.pk
        and article.status in (Status.DRAFT, Status.REJECTED)
        and scope.may_write(article.category_id)
    )


def require_publisher(user, article: Article | None = None) -> None:
    if not can_publish(user, article):
        where = f"栏目「{article.category.name}」" if article is not None else "全部栏目"
        raise NotAllowed(f"您没有在{where}发布、定时、撤回或归档文章的权限。")


def require_writer(user, category_id) -> None:
    """Authors write only in their sections (the category a form or an import names)."""
    if user is not OPERATOR and not scope_for(user).may_write(category_id):
        raise NotAllowed("您没有在这个栏目写稿的权限，请选择您负责的栏目。")


def require_perm(user, perm: str, message: str) -> None:
    if user is not OPERATOR and not (user.is_active and user.has_perm(perm)):
        raise NotAllowed(message)
