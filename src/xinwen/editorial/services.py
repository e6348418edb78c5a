"""Every write an editor makes goes through here: one transaction, a revision, an audit entry.

Workflow: an author writes a draft and submits it for review; an editor (the
`news.publish_article` permission) publishes it now or at a time, sends it back,
unpublishes or archives it. Publishing at a future time is just a published
article whose publish time lies ahead: Article.objects.published() hides it until then.
"""

from __future__ import annotations

from datetime import datetime

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from xinwen.editorial.errors import NotAllowed, WorkflowError
from xinwen.editorial.models import AuditEntry
from xinwen.editorial.revisions import CONTENT_FIELDS
from xinwen.news import changes
from xinwen.news.models import Article

__all__ = [
    "audit_record",
    "can_publish",
    "can_edit",
    "article_save",
    "article_submit",
    "article_reject",
    "article_publish",
    "article_unpublish",
    "article_archive",
    "article_delete",
    "article_rollback",
    "category_save",
    "category_delete",
    "glossary_term_save",
    "glossary_term_delete",
]

Status = Article.Status
Action = AuditEntry.Action


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
    return bool(user and user.is_active and user.has_perm("news.publish_article"))


def can_edit(user, article: Article) -> bool:
    """Editors edit anything; authors edit their own articles while they are drafts.

    Never more than Article.objects.previewable_by(user) shows: what one may edit, one may preview.
    """
    if not (user and user.is_active and user.has_perm("news.change_article")):
        return False
    if can_publish(user):
        return True
    return article.pk is None or (article.created_by_id == user.pk and article.status == Status.DRAFT)


def _require_publisher(user) -> None:
    if not can_publish(user):
        raise NotAllowed("只有编辑可以发布、定时、撤回或归档文章。")


def _save_with_revision(article: Article, *, user, comment: str) -> None:
    with reversion.create_revision():
        article.save()
        reversion.set_user(user if getattr(user, "pk", None) else None)
        reversion.set_comment(comment)


@transaction.atomic
def article_save(*, article: Article, user, changed_fields: list[str] | None = None) -> Article:
    """Create or update an article's content, keeping a revision and an audit entry."""
    created = article.pk is None
    if not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章：作者只能修改自己的草稿。")
    if created and article.created_by_id is None and getattr(user, "pk", None):
        article.created_by = user
    if not can_publish(user) and article.status not in (Status.DRAFT,):
        raise NotAllowed("作者不能直接设置文章状态，请提交审核。")
    fields = [f for f in (changed_fields or []) if f in CONTENT_FIELDS or f == "publish_at"]
    _save_with_revision(article, user=user, comment="创建" if created else ("修改：" + "、".join(fields) if fields else "保存"))
    audit_record(user=user, action=Action.CREATE if created else Action.CHANGE, obj=article, detail={"fields": fields})
    changes.article_changed(article_id=article.pk, action=Action.CREATE if created else Action.CHANGE)
    return article


def _transition(article: Article, *, allowed_from: set[str], target: str, verb: str) -> None:
    if article.status not in allowed_from:
        raise WorkflowError(f"「{article.get_status_display()}」状态的文章不能{verb}。")
    article.status = target


@transaction.atomic
def article_submit(*, article: Article, user) -> Article:
    """Draft → in review."""
    if not can_edit(user, article):
        raise NotAllowed("您不能提交这篇文章。")
    _transition(article, allowed_from={Status.DRAFT}, target=Status.REVIEW, verb="提交审核")
    article.save(update_fields=["status", "updated_at"])
    audit_record(user=user, action=Action.SUBMIT, obj=article)
    changes.article_changed(article_id=article.pk, action=Action.SUBMIT)
    return article


@transaction.atomic
def article_reject(*, article: Article, user, reason: str = "") -> Article:
    """In review → draft, back to the author."""
    _require_publisher(user)
    _transition(article, allowed_from={Status.REVIEW}, target=Status.DRAFT, verb="退回")
    article.save(update_fields=["status", "updated_at"])
    audit_record(user=user, action=Action.REJECT, obj=article, detail={"reason": reason} if reason else {})
    changes.article_changed(article_id=article.pk, action=Action.REJECT)
    return article


@transaction.atomic
def article_publish(*, article: Article, user, publish_at: datetime | None = None) -> Article:
    """Publish now, or at `publish_at` when it lies in the future (scheduled)."""
    _require_publisher(user)
    _transition(
        article,
        allowed_from={Status.DRAFT, Status.REVIEW, Status.ARCHIVED, Status.PUBLISHED},
        target=Status.PUBLISHED,
        verb="发布",
    )
    now = timezone.now()
    # Re-publishing keeps the original date; a new article without a date goes out now.
    when = publish_at or article.publish_at or now
    article.publish_at = when
    article.save(update_fields=["status", "publish_at", "updated_at"])
    scheduled = when > now
    audit_record(
        user=user,
        action=Action.SCHEDULE if scheduled else Action.PUBLISH,
        obj=article,
        detail={"publish_at": when.isoformat()},
    )
    changes.article_changed(article_id=article.pk, action=Action.SCHEDULE if scheduled else Action.PUBLISH)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user) -> Article:
    """Published (or scheduled) → draft: readers no longer see it."""
    _require_publisher(user)
    _transition(article, allowed_from={Status.PUBLISHED}, target=Status.DRAFT, verb="撤回")
    article.save(update_fields=["status", "updated_at"])
    audit_record(user=user, action=Action.UNPUBLISH, obj=article)
    changes.article_changed(article_id=article.pk, action=Action.UNPUBLISH)
    return article


@transaction.atomic
def article_archive(*, article: Article, user) -> Article:
    """Published → archived: kept for the record, hidden from readers."""
    _require_publisher(user)
    _transition(article, allowed_from={Status.PUBLISHED, Status.DRAFT}, target=Status.ARCHIVED, verb="归档")
    article.save(update_fields=["status", "updated_at"])
    audit_record(user=user, action=Action.ARCHIVE, obj=article)
    changes.article_changed(article_id=article.pk, action=Action.ARCHIVE)
    return article


@transaction.atomic
def article_delete(*, article: Article, user) -> None:
    if not user.has_perm("news.delete_article"):
        raise NotAllowed("您没有删除文章的权限。")
    audit_record(
        user=user,
        action=Action.DELETE,
        obj=article,
        detail={"title": article.title, "status": article.status},
    )
    changes.article_changed(article_id=article.pk, action=Action.DELETE)
    article.delete()


@transaction.atomic
def article_rollback(*, article: Article, version: Version, user) -> Article:
    """Restore the content fields of an earlier revision; status, time and views stay as they are."""
    if not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章。")
    if int(version.object_id) != article.pk:
        raise WorkflowError("该版本不属于这篇文章。")
    data = version.field_dict
    for name in CONTENT_FIELDS:
        attname = Article._meta.get_field(name).attname
        if attname in data:
            setattr(article, attname, data[attname])
    when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
    _save_with_revision(article, user=user, comment=f"回滚到 {when} 的版本")
    audit_record(user=user, action=Action.ROLLBACK, obj=article, detail={"version": version.pk, "revision_date": when})
    changes.article_changed(article_id=article.pk, action=Action.ROLLBACK)
    return article


@transaction.atomic
def category_save(*, category, user, changed_fields: list[str] | None = None):
    created = category.pk is None
    category.save()
    audit_record(
        user=user, action=Action.CREATE if created else Action.CHANGE, obj=category, detail={"fields": changed_fields or []}
    )
    changes.category_changed(category_id=category.pk, action=Action.CREATE if created else Action.CHANGE)
    return category


@transaction.atomic
def category_delete(*, category, user) -> None:
    """Delete an empty category; one that still holds articles or sub-categories is protected."""
    from django.db.models import ProtectedError

    if category.articles.exists() or category.children.exists():
        raise WorkflowError(f"栏目「{category.name}」下还有文章或子栏目，不能删除。")
    audit_record(user=user, action=Action.DELETE, obj=category, detail={"name": category.name})
    changes.category_changed(category_id=category.pk, action=Action.DELETE)
    try:
        category.delete()
    except ProtectedError as exc:  # a concurrent insert
        raise WorkflowError(f"栏目「{category.name}」仍在使用中，不能删除。") from exc


@transaction.atomic
def glossary_term_save(*, term, user, changed_fields: list[str] | None = None):
    """Save a glossary term; every page converts with the new glossary from the next request on."""
    created = term.pk is None
    term.save()
    audit_record(user=user, action=Action.CREATE if created else Action.CHANGE, obj=term, detail={"fields": changed_fields or []})
    return term


@transaction.atomic
def glossary_term_delete(*, term, user) -> None:
    audit_record(user=user, action=Action.DELETE, obj=term, detail={"term": term.term})
    term.delete()
