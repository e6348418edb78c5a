"""The index follows the editorial services: publish, schedule, edit, roll back, unpublish, archive, delete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from xinwen.conftest import make_article
from xinwen.news import services as editorial
from xinwen.news.models import Article
from xinwen.search.models import SearchDocument
from xinwen.search.services import search_index_articles, search_rebuild
from xinwen.search.tests.conftest import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tree):
    return make_article(
        category=tree["company"],
        title="氢能源示范项目启动",
        status=Article.Status.REVIEW,
        body="<p>集团首个氢能源示范项目在滨江启动，年产绿氢500吨。</p>",
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and what it scheduled for after its commit (as a real request would)."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def test_publishing_makes_an_article_findable(draft, editor, commit):
    assert search("氢能源") == []

    commit(editorial.article_publish, article=draft, user=editor)

    assert search("氢能源") == [draft.pk]
    assert search("绿氢") == [draft.pk]


def test_unpublishing_removes_it(draft, editor, commit):
    commit(editorial.article_publish, article=draft, user=editor)

    commit(editorial.article_unpublish, article=draft, user=editor)

    assert search("氢能源") == []
    assert not SearchDocument.objects.filter(article_id=draft.pk).exists()


def test_an_edit_replaces_the_old_text(draft, editor, commit):
    commit(editorial.article_publish, article=draft, user=editor)

    draft.title = "光伏示范项目启动"
    draft.body = "<p>集团首个光伏示范项目在滨江启动。</p>"
    commit(editorial.article_save, article=draft, user=editor, changed_fields=["title", "body"])

    assert search("光伏") == [draft.pk]
    assert search("氢能源") == []
    assert search("绿氢") == []


def test_an_edit_of_a_draft_indexes_nothing(tree, author, commit):
    article = make_article(category=tree["company"], title="草稿里的氢能源", status=Article.Status.DRAFT, created_by=author)

    commit(editorial.article_save, article=article, user=author, changed_fields=["title"])

    assert search("氢能源") == []


def test_a_scheduled_article_is_found_when_its_time_comes(draft, editor, commit, monkeypatch):
    when = timezone.now() + timedelta(hours=2)
    commit(editorial.article_publish, article=draft, user=editor, publish_at=when)

    assert search("氢能源") == []  # indexed ahead of time, not shown before its time
    assert SearchDocument.objects.filter(article_id=draft.pk).exists()

    later = when + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert search("氢能源") == [draft.pk]


def test_rolling_back_restores_the_old_text(draft, editor, commit):
    commit(editorial.article_publish, article=draft, user=editor)
    commit(editorial.article_save, article=draft, user=editor, changed_fields=[])
    first = Version.objects.get_for_object(draft).first()
    draft.title = "光伏示范项目启动"
    draft.body = "<p>光伏。</p>"
    commit(editorial.article_save, article=draft, user=editor, changed_fields=["title", "body"])
    assert search("氢能源") == []

    commit(editorial.article_rollback, article=draft, version=first, user=editor)

    assert search("氢能源") == [draft.pk]
    assert search("光伏") == []


@pytest.mark.parametrize("service", [editorial.article_archive, editorial.article_delete])
def test_archiving_or_deleting_removes_it(draft, editor, commit, service):
    commit(editorial.article_publish, article=draft, user=editor)
    article_id = draft.pk

    commit(service, article=draft, user=editor)

    assert search("氢能源") == []
    assert not SearchDocument.objects.filter(article_id=article_id).exists()


def test_a_rolled_back_publish_leaves_the_index_alone(draft, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            editorial.article_publish(article=draft, user=editor)
            raise RuntimeError("the request fails after the service ran")

    assert not SearchDocument.objects.filter(article_id=draft.pk).exists()


def test_renaming_a_category_reindexes_its_articles(tree, draft, editor, commit):
    commit(editorial.article_publish, article=draft, user=editor)
    category = tree["company"]
    assert search("集团要闻") == []

    category.name = "集团要闻"
    commit(editorial.category_save, category=category, user=editor, changed_fields=["name"])

    assert search("集团要闻") == [draft.pk]


def test_an_article_that_stopped_being_public_is_never_shown(draft, editor, commit):
    """Even when its index entry is stale, results go through Article.objects.published()."""
    from xinwen.search.query import parse_query
    from xinwen.search.dictionary import current_segmenter
    from xinwen.search.selectors import ranked_articles, search_page

    commit(editorial.article_publish, article=draft, user=editor)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)  # behind the services' back

    results = ranked_articles(parse_query("氢能源", current_segmenter()))
    assert results.article_ids == [draft.pk]
    assert search_page(results, 1).object_list == []


def test_syncing_again_changes_nothing(draft, editor, commit):
    commit(editorial.article_publish, article=draft, user=editor)
    before = SearchDocument.objects.values().get(article_id=draft.pk)

    search_index_articles(article_ids=[draft.pk])
    search_index_articles(article_ids=[draft.pk])

    after = SearchDocument.objects.values().get(article_id=draft.pk)
    assert {k: v for k, v in after.items() if k != "indexed_at"} == {k: v for k, v in before.items() if k != "indexed_at"}
    assert search("氢能源") == [draft.pk]


def test_rebuild_indexes_what_is_published_and_drops_the_rest(tree):
    public = make_article(category=tree["company"], title="储能电站并网发电")
    scheduled = make_article(category=tree["company"], title="储能电站开工", publish_at=timezone.now() + timedelta(days=3))
    draft = make_article(category=tree["company"], title="储能电站草稿", status=Article.Status.DRAFT)
    search_rebuild()
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == {public.pk, scheduled.pk}

    Article.objects.filter(pk=public.pk).update(status=Article.Status.ARCHIVED)
    result = search_rebuild()

    assert (result.indexed, result.removed) == (1, 1)
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == {scheduled.pk}
    assert search("储能电站") == []
    assert draft.pk not in search("草稿")


def test_dry_run_changes_nothing(tree):
    make_article(category=tree["company"], title="储能电站并网发电")

    result = search_rebuild(dry_run=True)

    assert (result.indexed, result.removed, result.dry_run) == (1, 0, True)
    assert not SearchDocument.objects.exists()
