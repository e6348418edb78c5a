"""The recycle bin (回收站) and the unpublish time (定时下线): what readers see, what is kept, what is purged."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from xinwen.conftest import make_article, make_user
from xinwen.news import services
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.models import Article, Attachment, AuditEntry

S = Article.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    return make_user("manager", role="管理员")


def published_with_attachment(tree, editor):
    article = Article(category=tree["company"], title="回收站里的文章", body="<p>正文</p>")
    services.article_save(article=article, user=editor)
    services.article_publish(article=article, user=editor)
    attachment = Attachment(article=article, title="通知.pdf")
    attachment.file.save("notice.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    services.attachment_save(attachment=attachment, user=editor)
    return article, attachment


def test_delete_keeps_everything_and_hides_it_from_readers_and_lists(tree, editor):
    article, attachment = published_with_attachment(tree, editor)
    services.article_delete(article=article, user=editor)

    article.refresh_from_db()
    assert article.deleted_at is not None and article.deleted_by == editor
    assert article.status == S.PUBLISHED  # kept, so restore puts it back as it was
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert not Article.objects.released().filter(pk=article.pk).exists()
    assert not Article.objects.previewable_by(editor).filter(pk=article.pk).exists()
    assert not article.is_public
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert Version.objects.get_for_object(article).exists()


def test_restore_puts_it_back_with_its_status(tree, editor):
    article, _ = published_with_attachment(tree, editor)
    services.article_delete(article=article, user=editor)
    services.article_restore(article=article, user=editor)
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(article.pk)).order_by("id")][-2:] == [
        "delete",
        "restore",
    ]
    with pytest.raises(WorkflowError):
        services.article_restore(article=article, user=editor)


def test_a_deleted_article_cannot_be_edited_or_deleted_twice(tree, editor):
    article, _ = published_with_attachment(tree, editor)
    services.article_delete(article=article, user=editor)
    with pytest.raises(NotAllowed):
        services.article_save(article=article, user=editor)
    with pytest.raises(WorkflowError):
        services.article_delete(article=article, user=editor)


@pytest.mark.parametrize(
    "role, delete, restore, purge",
    [
        ("作者", False, False, False),
        ("编辑", True, True, False),
        ("管理员", True, True, True),
    ],
)
def test_who_may_delete_restore_and_purge(tree, editor, role, delete, restore, purge):
    actor = make_user(f"actor-{role}", role=role)
    article = make_article(category=tree["company"], created_by=actor, status=S.DRAFT)

    def attempt(service, allowed):
        if allowed:
            service(article=article, user=actor)
        else:
            with pytest.raises(NotAllowed):
                service(article=article, user=actor)

    attempt(services.article_delete, delete)
    if not delete:
        services.article_delete(article=article, user=editor)
    attempt(services.article_restore, restore)
    if restore:
        services.article_delete(article=article, user=editor)
    attempt(services.article_purge, purge)
    assert Article.objects.filter(pk=article.pk).exists() is not purge


def test_purge_removes_the_article_its_attachments_files_and_revisions(tree, editor, manager, django_capture_on_commit_callbacks):
    article, attachment = published_with_attachment(tree, editor)
    storage, name, pk = attachment.file.storage, attachment.file.name, article.pk
    assert storage.exists(name)
    with pytest.raises(WorkflowError):  # only what is in the bin
        services.article_purge(article=article, user=manager)
    services.article_delete(article=article, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_purge(article=article, user=manager)

    assert not Article.objects.filter(pk=pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
    assert not Version.objects.filter(object_id=str(pk), content_type__model="article").exists()
    entry = AuditEntry.objects.get(object_id=str(pk), action="purge")
    assert entry.username == "manager" and entry.detail["reason"] == "manual"


def test_expired_articles_are_purged_after_the_configured_days_and_only_they(tree, editor, settings):
    settings.RECYCLE_BIN_DAYS = 7
    old = make_article(category=tree["company"], title="八天前删除")
    recent = make_article(category=tree["company"], title="六天前删除")
    services.article_delete(article=old, user=editor)
    services.article_delete(article=recent, user=editor)
    Article.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=8))
    Article.objects.filter(pk=recent.pk).update(deleted_at=timezone.now() - timedelta(days=6))

    assert services.recycle_bin_purge_expired(dry_run=True) == ["八天前删除"]
    assert Article.objects.filter(pk=old.pk).exists()
    assert services.recycle_bin_purge_expired() == ["八天前删除"]
    assert not Article.objects.filter(pk=old.pk).exists()
    assert Article.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.get(object_id=str(old.pk), action="purge").username == ""  # 系统


def test_purge_command_is_idempotent(tree, editor, capsys):
    article = make_article(category=tree["company"], title="过期文章")
    services.article_delete(article=article, user=editor)
    Article.objects.filter(pk=article.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    call_command("purge_recycle_bin", "--dry-run")
    assert "将彻底删除：过期文章" in capsys.readouterr().out
    assert Article.objects.filter(pk=article.pk).exists()
    call_command("purge_recycle_bin")
    assert "已彻底删除 1 篇" in capsys.readouterr().out
    call_command("purge_recycle_bin")
    assert "已彻底删除 0 篇" in capsys.readouterr().out


# --- 定时下线 -----------------------------------------------------------------------------


def test_an_article_leaves_readers_at_its_unpublish_time_without_any_job(tree, editor):
    off = timezone.now() + timedelta(hours=2)
    article = make_article(category=tree["company"], unpublish_at=off)
    assert Article.objects.published().filter(pk=article.pk).exists() and article.is_public
    later = off + timedelta(seconds=1)
    assert not Article.objects.published(now=later).filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(unpublish_at=timezone.now() - timedelta(seconds=1))
    article.refresh_from_db()
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert not article.is_public and article.is_offline_by_time


def test_the_unpublish_time_must_come_after_the_publish_time(tree, editor):
    article = Article(
        category=tree["company"], title="时间颠倒", publish_at=timezone.now(), unpublish_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(WorkflowError):
        services.article_save(article=article, user=editor)
    draft = make_article(category=tree["company"], status=S.DRAFT, unpublish_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(WorkflowError):
        services.article_publish(article=draft, user=editor, publish_at=timezone.now() + timedelta(hours=2))
