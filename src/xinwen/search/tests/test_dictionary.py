"""The search dictionary: site terms kept whole at index and query time, maintained in the admin."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from xinwen.conftest import make_article
from xinwen.news.models import AuditEntry
from xinwen.search import services
from xinwen.search.dictionary import current_segmenter
from xinwen.search.models import SearchDocument, SearchTerm
from xinwen.search.query import parse_query
from xinwen.search.services import search_rebuild
from xinwen.search.tests.conftest import search

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/search/searchterm/add/"


@pytest.fixture
def articles(tree):
    """One article about 东方智联, one that has 东方 and 智联 only apart."""
    ours = make_article(category=tree["company"], title="东方智联集团召开大会", body="<p>东方智联集团在滨江召开大会。</p>")
    other = make_article(category=tree["industry"], title="东方电气与智联网络公司合作", body="<p>双方签署协议。</p>")
    search_rebuild()
    return ours, other


def words(article) -> str:
    return "|" + SearchDocument.objects.get(article_id=article.pk).title + "|"


def test_without_the_term_the_query_is_two_words(articles):
    ours, other = articles

    assert set(search("东方智联")) == {ours.pk, other.pk}
    assert "|东 方|智 联|" in words(ours)


def test_a_term_added_in_the_admin_keeps_the_name_whole(client, editor, articles, django_capture_on_commit_callbacks):
    ours, other = articles
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {"term": "东方智联", "note": "集团简称"}, follow=True)

    assert response.status_code == 200
    assert "已按新词典重建 1 篇包含「东方智联」的文章的搜索索引。" in [str(m) for m in get_messages(response.wsgi_request)]
    assert [t.text for t in current_segmenter().tokens("东方智联集团")] == ["东方智联", "集团"]
    assert "|东 方 智 联|" in words(ours)  # reindexed with the new dictionary
    assert search("东方智联") == [ours.pk]
    assert AuditEntry.objects.filter(action="create", object_repr="东方智联").exists()


def test_a_new_term_works_before_the_articles_are_reindexed(articles):
    ours, _other = articles
    SearchTerm.objects.create(term="东方智联")  # no reindex at all

    query = parse_query("东方智联", current_segmenter())

    assert query.forms[0].include[0].site_term
    assert "|东 方|智 联|" in words(ours)  # still the old segmentation
    assert search("东方智联") == [ours.pk]


def test_a_traditional_term_is_stored_as_written_and_used_in_simplified(articles):
    SearchTerm.objects.create(term="東方智聯")

    assert current_segmenter().terms == ("东方智联",)
    assert [t.text for t in current_segmenter().tokens("东方智联集团")] == ["东方智联", "集团"]


def test_deleting_a_term_splits_the_name_again(client, editor, articles, django_capture_on_commit_callbacks):
    ours, other = articles
    term = SearchTerm.objects.create(term="东方智联")
    services.search_index_articles(article_ids=[ours.pk])
    assert "|东 方 智 联|" in words(ours)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/search/searchterm/{term.pk}/delete/", {"post": "yes"})

    assert not SearchTerm.objects.exists()
    assert "|东 方|智 联|" in words(ours)
    assert set(search("东方智联")) == {ours.pk, other.pk}


def test_renaming_a_term_reindexes_articles_with_either_spelling(client, editor, tree, django_capture_on_commit_callbacks):
    old = make_article(category=tree["company"], title="智联云平台上线")
    new = make_article(category=tree["company"], title="智联链平台上线")
    search_rebuild()
    term = SearchTerm.objects.create(term="智联云")
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/search/searchterm/{term.pk}/change/", {"term": "智联链", "note": ""})

    assert "|智 联|云|" in words(old)
    assert "|智 联 链|" in words(new)


def test_a_term_in_many_articles_asks_for_a_reindex(client, editor, articles, monkeypatch, django_capture_on_commit_callbacks):
    ours, other = articles
    monkeypatch.setattr(services, "AUTO_REINDEX_LIMIT", 1)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {"term": "智联"}, follow=True)

    [message] = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "xinwen reindex" in message and "超过 1 篇" in message
    assert "|东 方|智 联|" in words(ours)  # left for the command
    assert set(search("智联")) == {ours.pk, other.pk}  # and still found meanwhile


def test_authors_cannot_edit_the_dictionary(client, author):
    client.force_login(author)

    assert client.get(ADD_URL).status_code == 403
    assert not SearchTerm.objects.exists()
