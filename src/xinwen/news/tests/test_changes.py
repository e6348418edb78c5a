"""Change notices reach subscribers only after a successful commit, and never break a save."""

import pytest
from django.db import transaction

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news import changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    seen = []

    def subscriber(**kwargs):
        seen.append(kwargs)

    changes.subscribe("test-received", article=subscriber)
    yield seen
    changes.unsubscribe("test-received")


def test_publish_notifies_after_commit(tree, editor, received, django_capture_on_commit_callbacks):
    article = make_article(category=tree["company"], status="review")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, user=editor)
    assert received == [{"article_id": article.pk, "action": "publish"}]


def test_rolled_back_edit_notifies_nobody(tree, editor, received, django_capture_on_commit_callbacks):
    article = make_article(category=tree["company"], status="review")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.article_publish(article=article, user=editor)
                raise RuntimeError("the save fails after the service ran")
    assert received == []


def test_a_failing_subscriber_does_not_break_the_save(tree, editor, django_capture_on_commit_callbacks, caplog):
    def broken(**kwargs):
        raise ValueError("search index is down")

    changes.subscribe("test-broken", article=broken)
    try:
        article = make_article(category=tree["company"], status="review")
        with django_capture_on_commit_callbacks(execute=True):
            services.article_publish(article=article, user=editor)
        article.refresh_from_db()
        assert article.status == "published"
        assert "search index is down" in caplog.text
    finally:
        changes.unsubscribe("test-broken")


def test_every_kind_of_change_has_the_subscribers_that_keep_derived_data(capsys):
    from django.core.management import call_command

    call_command("subscribers")
    out = capsys.readouterr().out
    sections = {block.split(":", 1)[0]: block for block in out.split("\n") if block and not block.startswith(" ")}
    assert set(sections) == set(changes.KINDS)
    by_kind = {kind: {s.name.split(":")[0] for s in changes.subscribers(kind)} for kind in changes.KINDS}
    assert by_kind["article"] >= {"pagecache", "search", "feeds", "stats"}
    assert by_kind["category"] >= {"pagecache", "search"}
    assert by_kind["glossary"] >= {"pagecache"}
    assert by_kind["site"] >= {"pagecache"}
    assert "pagecache: drop the stored pages that show it" in out


@pytest.fixture
def batch_received():
    """A subscriber with a `many` handler: each call's notices, one list per call."""
    calls = []
    changes.subscribe("test-batch", article=lambda **kwargs: calls.append([kwargs]), many={"article": lambda notices: calls.append(list(notices))})
    yield calls
    changes.unsubscribe("test-batch")


def test_a_batch_delivers_its_committed_notices_once_at_its_end(tree, editor, received, batch_received, django_capture_on_commit_callbacks):
    first, second, third = (make_article(category=tree["company"], status="review") for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        with changes.batched():
            services.article_publish(article=first, user=editor)
            with pytest.raises(RuntimeError), transaction.atomic():
                services.article_publish(article=second, user=editor)
                raise RuntimeError("this item fails after its service ran")
            with changes.batched():  # part of the outer batch
                services.article_publish(article=third, user=editor)
    published = [{"article_id": first.pk, "action": "publish"}, {"article_id": third.pk, "action": "publish"}]
    assert batch_received == [published]  # one call with every committed notice, the rolled-back one left out
    assert received == published  # a subscriber without `many` hears each, in order


def test_a_failing_batch_handler_is_logged_and_keeps_the_writes(tree, editor, django_capture_on_commit_callbacks, caplog):
    def broken(notices):
        raise ValueError("index down for the whole batch")

    changes.subscribe("test-broken-batch", article=lambda **kwargs: None, many={"article": broken})
    try:
        article = make_article(category=tree["company"], status="review")
        with django_capture_on_commit_callbacks(execute=True), changes.batched():
            services.article_publish(article=article, user=editor)
        article.refresh_from_db()
        assert article.status == "published" and "index down for the whole batch" in caplog.text
    finally:
        changes.unsubscribe("test-broken-batch")


@pytest.mark.parametrize("handlers", [{"many": {"article": print}}, {"many": {"tags": print}, "tags": print}])
def test_a_batch_handler_needs_a_known_kind_with_a_single_handler(handlers):
    with pytest.raises(ValueError):
        changes.subscribe("test-wrong", **handlers)
    assert not [s for s in changes.subscribers() if s.name == "test-wrong"]
