"""A small news center and a published tree of it, for the publishing tests."""

import pytest

from xinwen.conftest import make_article


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    """Each test signs with its own key, made on first use like on a fresh site."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _publish_in_the_caller(settings):
    """The worker's thread would not see a test's uncommitted rows: publish in the caller instead."""
    settings.PUBLISH_BACKGROUND = False


@pytest.fixture
def news(tree):
    company = tree["company"]
    articles = [make_article(category=company, title=f"公司新闻第{n}篇", days_ago=30 - n) for n in range(22)]
    industry = make_article(category=tree["industry"], title="行业动态：装备制造", days_ago=2)
    return {**tree, "articles": articles, "industry_article": industry}


@pytest.fixture
def target(tmp_path):
    return tmp_path / "public" / "site"
