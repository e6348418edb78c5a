"""The recycle bin (回收站): delete moves an article there, restore brings it back, purge ends it.

A deleted article keeps its row, status, attachments and revisions; only `deleted_at` says
it is in the bin, and Article.objects.published() (like every back-office list) leaves it
out, so it disappears from every public surface at once. The change notice makes the page
cache, the search index and the feeds follow after commit. Restore clears `deleted_at`,
so the article returns with the status it had (a published one is public again).

Purging removes the article, its attachments (rows and files) and its revisions for good;
the audit log keeps the record. Articles older than settings.RECYCLE_BIN_DAYS in the bin
are purged lazily (no cron): by `xinwen purge_recycle_bin` and whenever the back office's
article list or recycle bin is opened.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from xinwen.news import changes
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article, AuditEntry
from xinwen.news.services.access import audit_record, require_perm

__all__ = ["article_delete", "article_restore", "article_purge", "recycle_bin_purge_expired", "recycle_bin_expiry"]

log = logging.getLogger(__name__)
Action = AuditEntry.Action


def recycle_bin_expiry(article: Article) -> datetime | None:
    """When an article in the bin is purged by itself (None: not in the bin)."""
    if article.deleted_at is None:
        return None
    return article.deleted_at + timedelta(days=settings.RECYCLE_BIN_DAYS)


@transaction.atomic
def article_delete(*, article: Article, user) -> Article:
    """Move an article to the recycle bin: gone from readers and lists at once, restorable for RECYCLE_BIN_DAYS."""
    require_perm(user, "news.delete_article", "您没有删除文章的权限。")
    if article.deleted_at is not None:
        raise WorkflowError("这篇文章已在回收站中。")
    article.deleted_at = timezone.now()
    article.deleted_by = user if getattr(user, "pk", None) else None
    article.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_record(
        user=user,
        action=Action.DELETE,
        obj=article,
        detail={"title": article.title, "status": article.status, "days": settings.RECYCLE_BIN_DAYS},
    )
    changes.article_changed(article_id=article.pk, action=Action.DELETE)
    return article


@transaction.atomic
def article_restore(*, article: Article, user) -> Article:
    """Take an article out of the recycle bin with the status it had; a published one is public again."""
    require_perm(user, "news.delete_article", "您没有恢复文章的权限。")
    if article.deleted_at is None:
        raise WorkflowError("这篇文章不在回收站中。")
    article.deleted_at = None
    article.deleted_by = None
    article.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_record(user=user, action=Action.RESTORE, obj=article, detail={"status": article.status})
    changes.article_changed(article_id=article.pk, action=Action.RESTORE)
    return article


def _purge(article: Article, *, user, reason: str) -> None:
    audit_record(user=user, action=Action.PURGE, obj=article, detail={"title": article.title, "reason": reason})
    changes.article_changed(article_id=article.pk, action=Action.PURGE)
    files = [a.file for a in article.attachments.all() if a.file]
    Version.objects.get_for_object(article).delete()
    article.delete()  # attachments go with it (CASCADE)

    def remove_files():
        for file in files:
            try:
                file.storage.delete(file.name)
            except OSError:  # a file already gone is what we wanted
                log.warning("could not delete attachment file %s", file.name)

    transaction.on_commit(remove_files)


@transaction.atomic
def article_purge(*, article: Article, user) -> None:
    """Delete an article in the recycle bin for good (管理员 only): row, attachments and revisions."""
    require_perm(user, "news.purge_article", "只有管理员可以彻底删除文章。")
    if article.deleted_at is None:
        raise WorkflowError("只能彻底删除回收站中的文章，请先删除（移入回收站）。")
    _purge(article, user=user, reason="manual")


def recycle_bin_purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Purge the articles that have been in the bin longer than RECYCLE_BIN_DAYS; returns their titles.

    A rule of time like scheduled publishing, not anyone's decision: the audit entries say
    系统 (no user), whoever's visit or command triggered it.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.RECYCLE_BIN_DAYS)
    expired = Article.objects.in_recycle_bin().filter(deleted_at__lt=cutoff).order_by("deleted_at", "pk")
    titles = []
    for article in expired:
        titles.append(article.title)
        if not dry_run:
            with transaction.atomic():
                _purge(article, user=None, reason="expired")
    return titles
