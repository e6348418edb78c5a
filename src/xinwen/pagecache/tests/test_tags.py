"""Stored tag pages are dropped when an article joins or leaves the tag, and when a tagged article is edited."""

import pytest

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.pagecache.tests.conftest import call

pytestmark = pytest.mark.django_db


def test_tag_pages_drop_on_tag_changes_and_edits(site, tree, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_article(category=tree["company"], title="XW1 第一篇")
        second = make_article(category=tree["industry"], title="XW2 第二篇")
        services.article_tags_set(article=first, names=["安全生产"], user=editor)
    paths = ["/tag/an-quan-sheng-chan/", "/zh-hk/tag/an-quan-sheng-chan/"]
    for path in paths:
        assert call(site, path).code == 200
        assert call(site, path).headers["x-page-cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.article_tags_set(article=second, names=["安全生产"], user=editor)
    for path in paths:
        answer = call(site, path)
        assert answer.headers["x-page-cache"] == "miss" and "XW2" in answer.text()

    with django_capture_on_commit_callbacks(execute=True):
        first.title = "XW1 改过的标题"
        services.article_save(article=first, user=editor, changed_fields=["title"])
    assert "改过的标题" in call(site, paths[0]).text()
