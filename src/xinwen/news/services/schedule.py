"""Moving a scheduled article's times: the editorial calendar's drag and its plain form both end here.

Only what has not happened yet can be moved: the publish time of an article published for a
time ahead (定时发布), and an unpublish time (定时下线) still ahead. What readers already saw
stays as it was; a published article is taken down with 撤回发布, not by re-dating it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from xinwen.news import changes
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article, AuditEntry
from xinwen.news.services.access import audit_record, require_publisher

__all__ = ["article_reschedule", "RESCHEDULABLE_FIELDS"]

RESCHEDULABLE_FIELDS = ("publish_at", "unpublish_at")


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def article_reschedule(*, article: Article, user, field: str, when: datetime) -> Article:
    """Move the future publish time (`field="publish_at"`) or unpublish time (`"unpublish_at"`) to `when`.

    `when` must be aware and lie ahead; an unpublish time stays after the publish time.
    """
    require_publisher(user)
    if field not in RESCHEDULABLE_FIELDS:
        raise WorkflowError("只能调整发布时间或下线时间。")
    if timezone.is_naive(when):
        raise WorkflowError("时间缺少时区，请重新选择。")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.is_released:
        raise WorkflowError("只有已定时发布或已发布的文章可以在日历中改期；草稿和待审稿件请在文章页发布。")
    now = timezone.now()
    old = getattr(article, field)
    if old is None or old <= now:
        what = "发布" if field == "publish_at" else "下线"
        raise WorkflowError(f"这篇文章已经{what}，已发生的时间不能改期。")
    if when <= now:
        raise WorkflowError("新的时间必须在将来。要立即发布，请在文章页点击「发布」。")
    publish_at = when if field == "publish_at" else article.publish_at
    unpublish_at = when if field == "unpublish_at" else article.unpublish_at
    if unpublish_at and publish_at and unpublish_at <= publish_at:
        raise WorkflowError("下线时间必须晚于发布时间。")
    if old == when:
        return article
    setattr(article, field, when)
    article.save(update_fields=[field, "updated_at"])
    audit_record(
        user=user,
        action=AuditEntry.Action.SCHEDULE,
        obj=article,
        detail={field: when.isoformat(), "rescheduled_from": _when(old)},
    )
    changes.article_changed(article_id=article.pk, action=AuditEntry.Action.SCHEDULE)
    return article
