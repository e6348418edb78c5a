"""Rescheduling (news.services.article_reschedule): only what lies ahead moves, only by those who publish."""

from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.editorial.auditlog import audit_detail_text
from xinwen.news import changes, services
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.models import Article, AuditEntry

pytestmark = pytest.mark.django_db


def ahead(**delta):
    return timezone.now() + timedelta(**delta)


def test_a_scheduled_article_moves_to_the_new_time_with_an_audit_entry_and_a_notice(tree, editor, django_capture_on_commit_callbacks):
    article = make_article(category=tree["company"], title="定时稿", publish_at=ahead(days=2))
    heard = []
    changes.subscribe("test-schedule", article=lambda **notice: heard.append(notice))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.article_reschedule(article=article, user=editor, field="publish_at", when=ahead(days=5))
    finally:
        changes.unsubscribe("test-schedule")
    article.refresh_from_db()
    assert ahead(days=4) < article.publish_at < ahead(days=6)
    assert article.status == Article.Status.PUBLISHED and not article.is_public
    entry = AuditEntry.objects.filter(object_id=str(article.pk)).latest("id")
    assert entry.action == AuditEntry.Action.SCHEDULE and entry.username == "editor"
    assert "改期" in audit_detail_text(entry) and "发布时间" in audit_detail_text(entry)
    assert heard == [{"article_id": article.pk, "action": "schedule"}]


def test_a_coming_unpublish_time_moves_and_stays_after_the_publish_time(tree, editor):
    article = make_article(category=tree["company"], unpublish_at=ahead(days=3))
    services.article_reschedule(article=article, user=editor, field="unpublish_at", when=ahead(days=10))
    article.refresh_from_db()
    assert article.unpublish_at > ahead(days=9)
    assert "下线时间" in audit_detail_text(AuditEntry.objects.filter(object_id=str(article.pk)).latest("id"))

    scheduled = make_article(category=tree["company"], publish_at=ahead(days=5), unpublish_at=ahead(days=8))
    with pytest.raises(WorkflowError, match="下线时间必须晚于发布时间"):
        services.article_reschedule(article=scheduled, user=editor, field="publish_at", when=ahead(days=9))


@pytest.mark.parametrize(
    "setup, field, when, message",
    [
        ({"days_ago": 1}, "publish_at", {"days": 2}, "已经发布"),
        ({"publish_at": "ahead"}, "publish_at", {"days": -1}, "必须在将来"),
        ({"status": "draft", "publish_at": "ahead"}, "publish_at", {"days": 3}, "只有已定时发布"),
        ({"status": "review", "publish_at": "ahead"}, "publish_at", {"days": 3}, "只有已定时发布"),
        ({"days_ago": 1}, "unpublish_at", {"days": 3}, "已经下线"),
        ({"publish_at": "ahead"}, "title", {"days": 3}, "只能调整"),
    ],
)
def test_what_has_happened_or_is_not_scheduled_does_not_move(tree, editor, setup, field, when, message):
    setup = dict(setup)
    if setup.get("publish_at") == "ahead":
        setup["publish_at"] = ahead(days=1)
    article = make_article(category=tree["company"], **setup)
    before = Article.objects.get(pk=article.pk)
    with pytest.raises(WorkflowError, match=message):
        services.article_reschedule(article=article, user=editor, field=field, when=ahead(**when))
    after = Article.objects.get(pk=article.pk)
    assert (after.publish_at, after.unpublish_at) == (before.publish_at, before.unpublish_at)


def test_an_author_cannot_reschedule_even_their_own_article(tree, author):
    article = make_article(category=tree["company"], publish_at=ahead(days=2), created_by=author)
    with pytest.raises(NotAllowed):
        services.article_reschedule(article=article, user=author, field="publish_at", when=ahead(days=4))


def test_a_deleted_article_does_not_move(tree, editor):
    article = make_article(category=tree["company"], publish_at=ahead(days=2))
    services.article_delete(article=article, user=editor)
    with pytest.raises(WorkflowError):
        services.article_reschedule(article=article, user=editor, field="publish_at", when=ahead(days=4))
