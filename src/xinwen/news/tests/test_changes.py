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
