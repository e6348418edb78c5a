"""Article writes: content, workflow (draft → review → published / scheduled → archived), rollback.

Publishing at a future time is just a published article whose publish time lies ahead:
Article.objects.published() hides it until then; an unpublish time (定时下线) works the same
way in the other direction. A review sends an article back (已退回) with a reason the author
sees; an author may withdraw a submission before it is reviewed. Delete, restore and purge
(the recycle bin) are in news.services.recycle.
"""

from __future__ import annotations

import re
from datetime import datetime

import reversion
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from xinwen.news import changes
from xinwen.news.content_checks import content_enforce
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.models import Article, AuditEntry
from xinwen.news.revisions import CONTENT_FIELDS, ROLLBACK_FIELDS
from xinwen.news.services.access import audit_record, can_edit, can_publish, can_review, require_publisher, require_writer
from xinwen.news.services.notify import review_notify
from xinwen.news.services.review import remaining_levels
from xinwen.news.services.gallery import gallery_publish_check
from xinwen.news.services.images import image_sizes_ensure

__all__ = [
    "article_save",
    "article_publish",
    "article_unpublish",
    "article_archive",
    "article_rollback",
    "save_with_revision",
]

Status = Article.Status
EXTERNAL_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)  # a host at least; no javascript:, data: or //host
Action = AuditEntry.Action

def save_with_revision(article: Article, *, user, comment: str) -> None:
    # Inside the service's transaction, which holds the revision with the row: no savepoint
    # of its own (a round trip each way on PostgreSQL, per article of an import). Outside
    # one, a failure between the row and its revision would keep a row without its history.
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("save_with_revision() runs inside the calling service's transaction")
    with reversion.create_revision(atomic=False):
        article.save()
        reversion.set_user(user if getattr(user, "pk", None) else None)
        reversion.set_comment(comment[:200])


@transaction.atomic
def article_save(*, article: Article, user, changed_fields: list[str] | None = None) -> Article:
    """Create or update an article's content, keeping a revision and an audit entry."""
    created = article.pk is None
    stored = None if created else Article.objects.filter(pk=article.pk).values("category_id", "status").first()
    if stored and stored["category_id"] != article.category_id:
        # Moving an article out of a section needs the right to edit it there, too.
        moved_from = Article(pk=article.pk, category_id=stored["category_id"], status=article.status,
                             created_by_id=article.created_by_id, review_level=article.review_level)
        if not can_edit(user, moved_from):
            raise NotAllowed("您不能把这篇文章移出原栏目。")
    if not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章：作者只能修改自己在负责栏目中的草稿。")
    if created or stored["category_id"] != article.category_id:
        require_writer(user, article.category_id)
    if created and article.created_by_id is None and getattr(user, "pk", None):
        article.created_by = user
    old_status = stored["status"] if stored else Status.DRAFT
    if article.status != old_status and not can_publish(user, article):
        raise NotAllowed("作者不能直接设置文章状态，请提交审核。")
    if article.unpublish_at and article.publish_at and article.unpublish_at <= article.publish_at:
        raise WorkflowError("下线时间必须晚于发布时间。")
    if article.external_url and not EXTERNAL_URL.fullmatch(article.external_url):
        raise WorkflowError("外链网址必须以 http:// 或 https:// 开头，例如 https://www.example.cn/news/1.html。")
    _check_media_names(article)
    fields = [f for f in (changed_fields or []) if f in CONTENT_FIELDS or f in ("publish_at", "unpublish_at")]
    save_with_revision(article, user=user, comment="创建" if created else ("修改：" + "、".join(fields) if fields else "保存"))
    if article.cover:
        image_sizes_ensure(name=article.cover.name)  # a new cover gets its sizes before any page shows it
    audit_record(user=user, action=Action.CREATE if created else Action.CHANGE, obj=article, detail={"fields": fields})
    changes.article_changed(article_id=article.pk, action=Action.CREATE if created else Action.CHANGE)
    return article


def _check_media_names(article: Article) -> None:
    # The forms check the files' content (news/uploads.py); this keeps other writers to the same kinds.
    if article.video and not article.video.name.lower().endswith(".mp4"):
        raise WorkflowError("视频必须是 MP4 文件（H.264/AAC）。")
    if article.video_captions and not article.video_captions.name.lower().endswith(".vtt"):
        raise WorkflowError("视频字幕必须是 WebVTT 文件（.vtt）。")


def _require_status(article: Article, *, allowed_from: set[str], verb: str) -> None:
    if article.status not in allowed_from:
        raise WorkflowError(f"「{article.get_status_display()}」状态的文章不能{verb}。")


def _transition(article: Article, *, allowed_from: set[str], target: str, verb: str) -> None:
    _require_status(article, allowed_from=allowed_from, verb=verb)
    article.status = target


@transaction.atomic
def article_publish(
    *, article: Article, user, publish_at: datetime | None = None, comment: str = "", confirmed: bool = False
) -> Article:
    """Publish now, or at `publish_at` when it lies in the future (scheduled), when the content checks let it.

    `comment` is the reviewer's note; `confirmed`: the editor has checked the words the checks
    want confirmed (news/content_checks.py).
    """
    require_publisher(user, article)
    publishable = {Status.DRAFT, Status.REVIEW, Status.APPROVED, Status.REJECTED, Status.ARCHIVED, Status.PUBLISHED}
    _require_status(article, allowed_from=publishable, verb="发布")
    # Publishing skips no level of the chain: whoever publishes before the last approval holds every
    # level still open in this section (编辑 and 管理员 do), and the audit entry names them.
    pending = remaining_levels(article)
    if any(not can_review(user, article, level) for level in pending):
        raise NotAllowed("这篇文章还没有走完审核流程，请等待各级审核通过后再发布。")
    content_enforce(article=article, confirmed=confirmed)
    gallery_publish_check(article)
    _transition(article, allowed_from=publishable, target=Status.PUBLISHED, verb="发布")
    now = timezone.now()
    # Re-publishing keeps the original date; a new article without a date goes out now.
    when = publish_at or article.publish_at or now
    if article.unpublish_at and article.unpublish_at <= when:
        raise WorkflowError("下线时间必须晚于发布时间，请修改下线时间后再发布。")
    article.publish_at = when
    comment = " ".join((comment or "").split())[:1000]
    article.review_note = comment  # the last reviewer's words; an approval without one clears a rejection's
    article.review_level = 0
    article.save(update_fields=["status", "publish_at", "review_note", "review_level", "updated_at"])
    scheduled = when > now
    detail = {"publish_at": when.isoformat()}
    if pending:
        from xinwen.news.grants import chain_for

        chain = chain_for(article.category_id)
        detail["approved_levels"] = [chain.name(level) for level in pending]
    if comment:
        detail["comment"] = comment
    audit_record(
        user=user,
        action=Action.SCHEDULE if scheduled else Action.PUBLISH,
        obj=article,
        detail=detail,
    )
    changes.article_changed(article_id=article.pk, action=Action.SCHEDULE if scheduled else Action.PUBLISH)
    if article.created_by_id != getattr(user, "pk", None):
        review_notify(article=article, event="publish", user=user)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user) -> Article:
    """Published (or scheduled) → draft: readers no longer see it."""
    require_publisher(user, article)
    _transition(article, allowed_from={Status.PUBLISHED}, target=Status.DRAFT, verb="撤回")
    article.save(update_fields=["status", "updated_at"])
    audit_record(user=user, action=Action.UNPUBLISH, obj=article)
    changes.article_changed(article_id=article.pk, action=Action.UNPUBLISH)
    return article


@transaction.atomic
def article_archive(*, article: Article, user) -> Article:
    """Published → archived: kept for the record, hidden from readers."""
    require_publisher(user, article)
    _transition(
        article, allowed_from={Status.PUBLISHED, Status.DRAFT, Status.REJECTED}, target=Status.ARCHIVED, verb="归档"
    )
    article.save(update_fields=["status", "updated_at"])
    audit_record(user=user, action=Action.ARCHIVE, obj=article)
    changes.article_changed(article_id=article.pk, action=Action.ARCHIVE)
    return article


@transaction.atomic
def article_rollback(*, article: Article, version: Version, user) -> Article:
    """Restore the content fields of an earlier revision.

    Status, times, views, 置顶 and 责任编辑 stay as they are: a rollback of text must not
    take a live article off the top of the home page or change who answers for it.
    """
    if not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章。")
    if int(version.object_id) != article.pk:
        raise WorkflowError("该版本不属于这篇文章。")
    data = version.field_dict
    for name in ROLLBACK_FIELDS:
        attname = Article._meta.get_field(name).attname
        if attname in data:
            setattr(article, attname, data[attname])
    when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
    save_with_revision(article, user=user, comment=f"回滚到 {when} 的版本")
    audit_record(user=user, action=Action.ROLLBACK, obj=article, detail={"version": version.pk, "revision_date": when})
    changes.article_changed(article_id=article.pk, action=Action.ROLLBACK)
    return article
