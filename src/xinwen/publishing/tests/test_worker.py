"""The publishing worker: an editor's save only kicks it; it publishes in its own thread and wakes for scheduled times."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.services import article_publish, article_save
from xinwen.publishing import worker
from xinwen.publishing.manifest import tree_verify
from xinwen.publishing.services import site_publish

# The thread reads what the test committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def background(news, target, settings):
    site_publish(target=target)
    settings.PUBLISH_DIR = str(target)
    settings.PUBLISH_BACKGROUND = True
    yield target
    worker.worker_stop()


def wait_for(check, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_an_edit_is_published_by_the_worker_thread(background, news, editor):
    article = news["industry_article"]
    article.title = "后台线程发布的标题"
    article_save(article=article, user=editor, changed_fields=["title"])
    assert worker.wait_idle(60)
    assert "后台线程发布的标题" in (background / f"article/{article.pk}/index.html").read_text()
    assert "發布的標題" in (background / f"zh-hant/article/{article.pk}/index.html").read_text()
    assert tree_verify(background.resolve()) == []


def test_a_scheduled_article_goes_live_in_the_tree_at_its_time_without_cron(background, news, editor):
    draft = make_article(category=news["company"], title="三秒后发布的新闻", status="draft", publish_at=None)
    article_publish(article=draft, user=editor, publish_at=timezone.now() + timedelta(seconds=3))
    page = background / f"article/{draft.pk}/index.html"
    assert worker.wait_idle(60)
    assert not page.exists()  # not yet: the worker now sleeps until its publish time
    assert wait_for(page.exists), "the worker did not wake at the publish time"
    assert worker.wait_idle(60)  # its own pages come first, then the lists that show it
    assert "三秒后发布的新闻" in (background / "category/company/index.html").read_text()
