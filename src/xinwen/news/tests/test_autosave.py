"""Autosave keeps typed text as a draft revision and never touches the article or what readers see."""

import pytest
from reversion.models import Version

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news.errors import NotAllowed
from xinwen.news.models import Article
from xinwen.news.services.autosave import AUTOSAVE_COMMENT

pytestmark = pytest.mark.django_db


def test_autosave_of_a_published_article_keeps_the_live_content_and_adds_a_draft_revision(tree, editor):
    article = make_article(category=tree["company"], title="已发布的标题", body="<p>线上正文</p>")
    before = Article.objects.get(pk=article.pk)
    version = services.article_autosave(
        article=article, user=editor, data={"title": "正在修改的标题", "body": "<p>新正文</p><script>x()</script>"}
    )
    after = Article.objects.get(pk=article.pk)
    assert (after.title, after.body, after.status, after.updated_at) == (before.title, before.body, before.status, before.updated_at)
    assert Article.objects.published().filter(pk=article.pk, title="已发布的标题").exists()
    assert version.revision.comment == AUTOSAVE_COMMENT and version.revision.user == editor
    assert version.field_dict["title"] == "正在修改的标题"
    assert version.field_dict["body"] == "<p>新正文</p>"  # sanitised like a save


def test_consecutive_autosaves_replace_each_other_and_the_same_text_adds_nothing(tree, editor):
    article = make_article(category=tree["company"], title="标题")
    services.article_autosave(article=article, user=editor, data={"title": "第一稿"})
    services.article_autosave(article=article, user=editor, data={"title": "第二稿"})
    assert services.article_autosave(article=article, user=editor, data={"title": "第二稿"}) is None
    autosaves = [v for v in Version.objects.get_for_object(article) if v.revision.comment == AUTOSAVE_COMMENT]
    assert [v.field_dict["title"] for v in autosaves] == ["第二稿"]


def test_rollback_brings_an_autosave_back(tree, editor):
    article = make_article(category=tree["company"], title="标题", status=Article.Status.DRAFT)
    version = services.article_autosave(article=article, user=editor, data={"title": "自动保存的标题"})
    services.article_rollback(article=article, version=version, user=editor)
    article.refresh_from_db()
    assert article.title == "自动保存的标题"


def test_an_author_cannot_autosave_someone_elses_or_a_submitted_article(tree, author):
    theirs = make_article(category=tree["company"], status=Article.Status.DRAFT)
    own_submitted = make_article(category=tree["company"], status=Article.Status.REVIEW, created_by=author)
    for article in (theirs, own_submitted):
        with pytest.raises(NotAllowed):
            services.article_autosave(article=article, user=author, data={"title": "改"})
    assert not Version.objects.get_for_object(theirs).exists()


@pytest.mark.django_db(transaction=True)
def test_a_revision_is_only_saved_inside_the_services_transaction(tree, editor):
    """Row and revision commit together or not at all: outside a transaction the helper refuses."""
    from xinwen.news.services.articles import save_with_revision

    article = make_article(category=tree["company"])
    before = Version.objects.get_for_object(article).count()
    article.title = "未经服务事务的修改"
    with pytest.raises(RuntimeError, match="transaction"):
        save_with_revision(article, user=editor, comment="直接保存")
    assert Article.objects.get(pk=article.pk).title != "未经服务事务的修改"
    assert Version.objects.get_for_object(article).count() == before
