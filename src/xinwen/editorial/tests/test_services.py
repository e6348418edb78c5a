"""Workflow services: who may move an article where, and what is recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone
from reversion.models import Version

from xinwen.conftest import make_article, make_user
from xinwen.news import services
from xinwen.editorial.errors import NotAllowed, WorkflowError
from xinwen.news.models import AuditEntry
from xinwen.news.models import Article

S = Article.Status
pytestmark = pytest.mark.django_db


def actions_of(article):
    return list(
        AuditEntry.objects.filter(object_id=str(article.pk), content_type__model="article")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_author_draft_submit_then_editor_publishes(tree, author, editor):
    article = Article(category=tree["company"], title="职工运动会圆满落幕", body="<p>正文</p>")
    services.article_save(article=article, user=author)
    assert article.status == S.DRAFT and article.created_by == author

    services.article_submit(article=article, user=author)
    assert article.status == S.REVIEW
    assert not Article.objects.published().filter(pk=article.pk).exists()

    services.article_publish(article=article, user=editor)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.publish_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert actions_of(article) == ["create", "submit", "publish"]


def test_author_cannot_publish_unpublish_or_archive(tree, author):
    article = make_article(category=tree["company"], status=S.DRAFT, created_by=author)
    for service in (services.article_publish, services.article_unpublish, services.article_archive, services.article_reject):
        with pytest.raises(NotAllowed):
            service(article=article, user=author)
    article.refresh_from_db()
    assert article.status == S.DRAFT


def test_author_cannot_edit_someone_elses_or_a_submitted_article(tree, author):
    other = make_user("other-author", role="作者")
    theirs = make_article(category=tree["company"], status=S.DRAFT, created_by=other)
    with pytest.raises(NotAllowed):
        services.article_save(article=theirs, user=author)
    mine = make_article(category=tree["company"], status=S.REVIEW, created_by=author)
    with pytest.raises(NotAllowed):
        services.article_save(article=mine, user=author)


def test_author_cannot_set_status_by_saving(tree, author):
    article = Article(category=tree["company"], title="想直接发布", status=S.PUBLISHED, publish_at=timezone.now())
    with pytest.raises(NotAllowed):
        services.article_save(article=article, user=author)
    assert not Article.objects.filter(title="想直接发布").exists()


def test_scheduled_article_stays_invisible_until_its_time(tree, editor):
    later = timezone.now() + timedelta(hours=2)
    article = make_article(category=tree["company"], status=S.REVIEW)
    services.article_publish(article=article, user=editor, publish_at=later)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()
    # No job has to run: the same query, asked after the time, shows it.
    assert Article.objects.published(now=later + timedelta(seconds=1)).filter(pk=article.pk).exists()
    assert actions_of(article) == ["schedule"]


@pytest.mark.parametrize(
    "status, service, allowed",
    [
        (S.DRAFT, "article_submit", True),
        (S.REVIEW, "article_submit", False),
        (S.PUBLISHED, "article_submit", False),
        (S.REVIEW, "article_reject", True),
        (S.REJECTED, "article_reject", False),
        (S.REJECTED, "article_submit", True),
        (S.REJECTED, "article_publish", True),
        (S.REVIEW, "article_withdraw", True),
        (S.DRAFT, "article_withdraw", False),
        (S.REJECTED, "article_withdraw", False),
        (S.PUBLISHED, "article_withdraw", False),
        (S.DRAFT, "article_reject", False),
        (S.DRAFT, "article_publish", True),
        (S.ARCHIVED, "article_publish", True),
        (S.PUBLISHED, "article_unpublish", True),
        (S.DRAFT, "article_unpublish", False),
        (S.ARCHIVED, "article_unpublish", False),
        (S.PUBLISHED, "article_archive", True),
        (S.REVIEW, "article_archive", False),
    ],
)
def test_transition_table(tree, editor, status, service, allowed):
    article = make_article(category=tree["company"], status=status, publish_at=timezone.now() - timedelta(days=1))
    extra = {"reason": "数据需要核实"} if service == "article_reject" else {}
    if allowed:
        getattr(services, service)(article=article, user=editor, **extra)
    else:
        with pytest.raises(WorkflowError):
            getattr(services, service)(article=article, user=editor, **extra)
        article.refresh_from_db()
        assert article.status == status


def test_republishing_keeps_the_original_date(tree, editor):
    original = timezone.now() - timedelta(days=30)
    article = make_article(category=tree["company"], publish_at=original)
    services.article_unpublish(article=article, user=editor)
    services.article_publish(article=article, user=editor)
    article.refresh_from_db()
    assert article.publish_at == original


def test_each_save_keeps_a_revision_and_rollback_restores_content_only(tree, editor):
    article = Article(category=tree["company"], title="第一稿标题", body="<p>第一稿</p>")
    services.article_save(article=article, user=editor)
    services.article_publish(article=article, user=editor)
    article.title, article.body = "第二稿标题", "<p>第二稿</p>"
    services.article_save(article=article, user=editor, changed_fields=["title", "body"])
    Article.objects.filter(pk=article.pk).update(view_count=275)
    article.refresh_from_db()

    versions = list(Version.objects.get_for_object(article))
    assert len(versions) == 2
    first = versions[-1]
    services.article_rollback(article=article, version=first, user=editor)

    article.refresh_from_db()
    assert article.title == "第一稿标题" and article.body == "<p>第一稿</p>"
    # Rolling back text never unpublishes the article or resets its readers' count.
    assert article.status == S.PUBLISHED and article.view_count == 275
    assert len(Version.objects.get_for_object(article)) == 3
    assert actions_of(article)[-1] == "rollback"


def test_rollback_keeps_pinned_and_the_responsible_editor(tree, editor):
    """A rollback restores text only: a live article stays pinned (要闻) and keeps its 责任编辑."""
    article = Article(category=tree["company"], title="第一稿", body="<p>第一稿</p>", editor="李娜", pinned=False)
    services.article_save(article=article, user=editor)
    services.article_publish(article=article, user=editor)
    article.title, article.pinned, article.editor = "第二稿", True, "王强"
    services.article_save(article=article, user=editor, changed_fields=["title", "pinned", "editor"])

    first = list(Version.objects.get_for_object(article))[-1]
    services.article_rollback(article=article, version=first, user=editor)

    article.refresh_from_db()
    assert article.title == "第一稿"
    assert article.pinned is True and article.editor == "王强"
    assert Article.objects.published().filter(pk=article.pk, pinned=True).exists()


def test_rollback_rejects_a_version_of_another_article(tree, editor):
    a = Article(category=tree["company"], title="甲")
    services.article_save(article=a, user=editor)
    b = Article(category=tree["company"], title="乙")
    services.article_save(article=b, user=editor)
    with pytest.raises(WorkflowError):
        services.article_rollback(article=a, version=Version.objects.get_for_object(b).first(), user=editor)


def test_delete_is_audited_and_needs_permission(tree, author, editor):
    article = make_article(category=tree["company"], status=S.DRAFT, created_by=author)
    with pytest.raises(NotAllowed):
        services.article_delete(article=article, user=author)
    pk = article.pk
    services.article_delete(article=article, user=editor)
    assert not Article.objects.not_deleted().filter(pk=pk).exists()
    assert Article.objects.in_recycle_bin().filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_id=str(pk), action="delete")
    assert entry.username == "editor" and entry.detail["title"] == article.title


def test_category_with_articles_cannot_be_deleted(tree, editor):
    make_article(category=tree["company"])
    with pytest.raises(WorkflowError):
        services.category_delete(category=tree["company"], user=editor)
    assert tree["company"].__class__.objects.filter(pk=tree["company"].pk).exists()


@pytest.mark.parametrize("status", list(Article.Status))
@pytest.mark.parametrize("role", ["作者", "编辑", "管理员"])
def test_what_one_may_edit_one_may_preview(tree, author, role, status):
    """can_edit never grants more than the public site's preview rule (Article.objects.previewable_by)."""
    mine = make_article(category=tree["company"], status=status, created_by=author)
    user = author if role == "作者" else make_user(f"user-{role}", role=role)
    others = make_article(category=tree["company"], status=status, created_by=make_user("someone", role="作者"))

    for article in (mine, others):
        previewable = Article.objects.previewable_by(user).filter(pk=article.pk).exists()
        assert not services.can_edit(user, article) or previewable
        assert previewable == (role != "作者" or article == mine)
