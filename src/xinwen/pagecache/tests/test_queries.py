"""Lean misses, free hits: the queries of a page rendered for the cache, and of a page served from it.

The counts are exact: a new query on a public page should be a decision, made here.
They do not grow with the number of articles (no N+1: the news tests check that too).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinwen.news.models import SiteSettings
from xinwen.conftest import make_article
from xinwen.hanzi.selectors import current_glossary
from xinwen.news.models import Attachment
from xinwen.pagecache.tests.conftest import call
from xinwen.stats.selectors import popular_forget


@pytest.fixture
def content(tree):
    sections = [tree["company"], tree["industry"], tree["notices"]]
    articles = [
        make_article(category=sections[i % 3], days_ago=i + 1, pinned=i % 7 == 1, summary="" if i % 2 else "摘要")
        for i in range(70)
    ]
    Attachment.objects.bulk_create(Attachment(article=articles[10], file=f"attachments/2024/01/{i}.pdf", size=10) for i in range(3))
    return articles


# Queries of a miss: the page's own, plus two for the next time-driven change (which bounds
# how long the page may be kept): the next article going live and the next going offline,
# each the first rows of an index (pagecache/selectors.py). The category tree, the glossary version and the
# site settings are kept per worker (news/tree.py, SiteSettings.current(), stamps.py).
# Home: pinned, latest, the ids of each section's block (3 here) from the index, the rows
# of all blocks, the 热门文章 ranking (2; then cached for minutes), and what the middleware
# reads. List: the category, the count, the page's ids (index only), its rows. Article:
# the article with its 标签 and whether it has attachments, the attachments (this one has
# three; an article without any costs one query less), previous, next and related in one.
# In a Traditional script, one more: what was converted ahead for the page (an article's body,
# its own texts and the titles it links; a list's titles and summaries; news/ahead.py), read
# at once instead of converted.
MISS_QUERIES = {
    "/": 14,  # 头条, 焦点图 and 推荐 are one query each (news.selectors.featured_blocks)
    "/zh-tw/": 15,
    "/category/news/": 7,
    "/category/company/?page=2": 7,
    "/zh-hant/category/company/?page=2": 8,
    "/article/ID/": 6,
    "/zh-hk/article/ID/": 7,
}


@pytest.mark.parametrize("url", list(MISS_QUERIES))
def test_a_miss_costs_a_fixed_number_of_queries_and_a_hit_none(site, content, url):
    path = url.replace("ID", str(content[10].pk))
    current_glossary()  # built once per process and glossary version: not a per-page cost
    SiteSettings.current()  # read once per process and change of the settings, likewise
    popular_forget()  # counted as on the first home page after the ranking's cache ran out

    with CaptureQueriesContext(connection) as miss:
        assert call(site, path).headers["x-page-cache"] == "miss"
    with CaptureQueriesContext(connection) as hit:
        assert call(site, path).headers["x-page-cache"] == "hit"

    assert len(miss) == MISS_QUERIES[url]
    assert len(hit) == 0


@pytest.mark.parametrize("path", ["/", "/category/news/?page=3", "/category/company/", "/article/ID/"])
def test_every_article_query_of_a_public_page_uses_an_index(site, content, path):
    """No public query reads the whole article table: each one is served by an index."""
    path = path.replace("ID", str(content[10].pk))
    popular_forget()
    with CaptureQueriesContext(connection) as ctx:
        assert call(site, path).code == 200
    article_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "news_article"' in q["sql"]]
    assert article_queries
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table this small is cheaper to scan; forbid that to see whether an index can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in article_queries:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = " | ".join(row[3] for row in cursor.fetchall())
                assert "SCAN news_article" not in plan, f"{plan}\n{sql}"
            else:
                cursor.execute("EXPLAIN " + sql)
                plan = " | ".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on news_article" not in plan, f"{plan}\n{sql}"
