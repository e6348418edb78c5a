"""专题 writes: a topic's text, banner, tag and hand-picked articles, by editors only.

A topic is shown on its own page and feed, in every script, and may be linked from
anywhere, so a change drops every stored page (the `site` notice, as 站点设置 does);
topics change rarely. Articles joining or leaving a topic through its tag, or being
edited, reach the topic page through the article notices (news.purges).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from xinwen.news import changes
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article, AuditEntry, Topic
from xinwen.news.services.access import audit_record, require_publisher

__all__ = ["topic_save", "topic_delete"]


@transaction.atomic
def topic_save(*, topic: Topic, user, article_ids: list[int] | None = None, changed_fields: list[str] | None = None) -> Topic:
    """Create or change a topic; `article_ids` (when given) become its hand-picked articles."""
    require_publisher(user)
    created = topic.pk is None
    try:
        topic.full_clean(exclude=["articles"])
    except ValidationError as exc:
        raise WorkflowError("；".join(m for messages in exc.message_dict.values() for m in messages)) from None
    topic.save()
    if article_ids is not None:
        found = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
        missing = [pk for pk in article_ids if pk not in found]
        if missing:
            raise WorkflowError(f"没有这些文章：{', '.join(map(str, missing))}。")
        topic.articles.set(found)
    audit_record(
        user=user, action=AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE, obj=topic,
        detail={"fields": changed_fields or []},
    )
    changes.site_changed(setting=f"topic:{topic.slug}", action=AuditEntry.Action.CHANGE)
    return topic


@transaction.atomic
def topic_delete(*, topic: Topic, user) -> None:
    """Delete a topic (its articles stay as they are); its page becomes a 404."""
    require_publisher(user)
    audit_record(user=user, action=AuditEntry.Action.DELETE, obj=topic, detail={"slug": topic.slug})
    slug = topic.slug
    topic.delete()
    changes.site_changed(setting=f"topic:{slug}", action=AuditEntry.Action.DELETE)
