"""Tag pages in the static output: built in every script, rewritten and removed as articles' tags change."""

import pytest

from xinwen.news.services import article_tags_set
from xinwen.publishing.pages import public_urls
from xinwen.publishing.services import site_publish

pytestmark = pytest.mark.django_db

SCRIPTS = ("", "zh-hant/", "zh-tw/", "zh-hk/")


def test_tag_pages_are_published_and_follow_tag_changes(news, target, settings, editor, django_capture_on_commit_callbacks):
    article = news["industry_article"]
    article_tags_set(article=article, names=["装备制造"], user=editor)
    assert "/zh-tw/tag/zhuang-bei-zhi-zao/" in public_urls()
    site_publish(target=target)
    settings.PUBLISH_DIR = str(target)
    for prefix in SCRIPTS:
        assert f'/article/{article.pk}/"' in (target / f"{prefix}tag/zhuang-bei-zhi-zao/index.html").read_text()
    assert "標籤：裝備製造" in (target / "zh-tw/tag/zhuang-bei-zhi-zao/index.html").read_text()

    with django_capture_on_commit_callbacks(execute=True):
        article_tags_set(article=article, names=["智能制造"], user=editor)
    for prefix in SCRIPTS:
        assert (target / f"{prefix}tag/zhi-neng-zhi-zao/index.html").exists()
        assert not (target / f"{prefix}tag/zhuang-bei-zhi-zao/index.html").exists()  # no article carries it now
        assert "/tag/zhi-neng-zhi-zao/" in (target / f"{prefix}article/{article.pk}/index.html").read_text()
