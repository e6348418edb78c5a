"""What a page costs the database on a miss of the page cache, counted exactly so that a regression fails.

A worker keeps the category tree and the glossary version until a notice changes
them (news/tree.py CategoryTree.current, hanzi/selectors.py glossary_version), so a
page of a warm worker asks only for its own articles.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news.models import Category

# home: pinned, latest, one id list per section, the rows of every block, 头条, 焦点图, 推荐;
# category: the category, the page's ids, the page's rows (+ count for the paginator);
# article: the article with its 标签 and whether it has attachments (a JSON subquery and an
# EXISTS), then previous, next and related in one query (news.selectors.article_around).
QUERIES = {"home": 9, "category": 4, "article": 2}


@pytest.fixture
def pages(tree):
    for n in range(8):
        make_article(category=(tree["company"], tree["industry"], tree["notices"])[n % 3], days_ago=n + 1, summary="")
    article = make_article(category=tree["company"], days_ago=0.5, summary="")
    return {"home": "/", "category": "/category/company/", "article": f"/article/{article.pk}/"}


@pytest.mark.parametrize("page", list(QUERIES))
@pytest.mark.parametrize("prefix", ["", "/zh-tw"])
def test_a_warm_worker_renders_each_page_with_a_fixed_number_of_queries(client, pages, page, prefix, django_assert_num_queries):
    url = prefix + pages[page]
    assert client.get(url).status_code == 200  # the worker's first page loads the tree and the glossary version
    with django_assert_num_queries(QUERIES[page]):
        assert client.get(url).status_code == 200


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_category_notice_refreshes_the_navigation_of_a_warm_worker(client, tree, pages):
    client.get("/")
    warm, _html = _queries(client, "/")
    services.category_save(category=Category(name="人才招聘", slug="jobs", parent=tree["root"], order=40), user=None)
    count, html = _queries(client, "/")
    assert "人才招聘" in html and 'href="/category/jobs/"' in html
    assert count == warm + 2  # one more section block, and the tree read once again
    assert _queries(client, "/")[0] == warm + 1  # kept again
