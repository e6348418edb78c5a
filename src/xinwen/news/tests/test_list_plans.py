"""List pages read their ids from an index, in its order, once the planner has statistics (news/statistics.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinwen.news.models import Article
from xinwen.news.statistics import article_statistics_refresh
from xinwen.news.tests.vm_steps import vm_steps


@pytest.fixture
def many(tree):
    """3,000 published articles over the three sections, with a few deleted and a few taken offline."""
    now = timezone.now()
    sections = [tree["company"], tree["industry"], tree["notices"]]
    Article.objects.bulk_create(
        Article(
            title=f"第{n}篇", body="<p>正文。</p>", category=sections[n % 3], status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=n + 1), pinned=n % 97 == 0,
            deleted_at=now if n % 50 == 7 else None, unpublish_at=now - timedelta(minutes=1) if n % 60 == 11 else None,
        )
        for n in range(3000)
    )  # fmt: skip
    assert article_statistics_refresh()


def _article_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries if 'FROM "news_article"' in q["sql"]]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("path", ["/category/news/?page=40", "/zh-tw/category/company/?page=20"])
def test_a_deep_list_page_never_reads_or_sorts_the_table(client, many, settings, path):
    if connection.vendor != "sqlite":
        pytest.skip("the plans are SQLite's; PostgreSQL chooses by its own statistics (bench/pages.py measures both)")
    settings.PAGE_CACHE = False
    queries = _article_queries(client, path)
    count = next(sql for sql in queries if "COUNT(*)" in sql)
    page = next(sql for sql in queries if "OFFSET" in sql)

    assert "COVERING INDEX" in _plan(count), _plan(count)
    plan = _plan(page)
    assert "TEMP B-TREE" not in plan, plan  # the page is read in an index's order, never sorted
    if "/category/news/" in path:  # several sections: walked in the order of article_public_page
        assert "article_public_page" in plan, plan
    else:  # one section: walked in the order of article_section_page, from the index alone
        assert "COVERING INDEX article_section_page" in plan, plan


def test_the_page_is_right_whichever_index_answers(client, many, settings):
    settings.PAGE_CACHE = False
    expected = list(
        Article.objects.published().filter(category__slug="company").order_by("-pinned", "-publish_at", "-id").values_list("title", flat=True)[380:400]
    )
    html = client.get("/category/company/?page=20").content.decode()
    positions = [html.index(f">{title}<") for title in expected]
    assert positions == sorted(positions)


def _table_reads(sql: str, params) -> int:
    """How many column reads of the news_article table itself (not of an index) SQLite's program for the statement makes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rootpage FROM sqlite_master WHERE name = 'news_article'")
        root = cursor.fetchone()[0]
        cursor.execute("EXPLAIN " + sql, params)
        program = cursor.fetchall()  # (addr, opcode, p1, p2, ...)
    tables = {row[2] for row in program if row[1] == "OpenRead" and row[3] == root}
    return sum(1 for row in program if row[1] == "Column" and row[2] in tables)


def test_a_parent_sections_deep_page_skips_its_offset_in_the_index_without_reading_the_table(many, tree):
    """`status = 'published'` is in the statement's text: with the value bound, SQLite cannot tell that the
    partial index article_public_page already holds only published rows, and reads each skipped row's
    table row to check again (a 新闻中心 page deep in 10,000 articles: 18 ms instead of 1 ms)."""
    if connection.vendor != "sqlite":
        pytest.skip("how SQLite matches a partial index; PostgreSQL is sent the literal by psycopg either way")
    from xinwen.news import selectors

    sql, params = selectors.category_article_ids(tree["root"])[1400:1420].query.sql_with_params()
    assert "article_public_page" in _plan(sql % tuple(f"'{p}'" if isinstance(p, str) else p for p in params))
    assert _table_reads(sql, params) == 0
    # The same statement with the status bound, as Django would send it: the table is read.
    position = sql[: sql.index("'published'")].count("%s")
    bound = (sql.replace("'published'", "%s", 1), (*params[:position], "published", *params[position:]))
    assert _table_reads(*bound) > 0


def test_an_articles_neighbours_cost_the_same_however_old_it_is(many):
    """Previous, next and 相关文章 read a few index entries on each side of the article, not its whole section.

    The next-newer rows are `publish_at > t OR (id > pk AND publish_at = t)`: SQLite reads that as
    one range of the section's index only when both t are the same parameter (news/prepared.py
    names them). With a parameter each, the oldest article of a section read and sorted every
    newer row of it.
    """
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's program steps; PostgreSQL plans with the values themselves")
    from xinwen.news.selectors import article_around

    ordered = list(Article.objects.published().filter(category__slug="company").order_by("-publish_at", "-id"))
    newest, middle, oldest = ordered[3], ordered[len(ordered) // 2], ordered[-4]
    for article in (newest, middle, oldest):
        article_around(article)  # compiled once per process, not part of a page's cost
    costs = {name: vm_steps(lambda a=article: article_around(a)) for name, article in
             (("newest", newest), ("middle", middle), ("oldest", oldest))}  # fmt: skip

    previous, following, related = article_around(oldest)
    assert (previous, following) == (ordered[-3], ordered[-5]) and len(related) == 5
    # A thousand articles of the section lie on one side of the oldest: reading them cost ≥ 300 here.
    assert max(costs.values()) <= 30, costs


def test_the_pages_an_edit_rewrites_cost_the_same_however_old_the_article_is(many):
    """around_ids (the pages that link an article, rewritten when it changes) reads its neighbours as
    article_around does: a few index entries on each side. With the ORM's own query (a parameter
    for each value) the oldest article of a section read every newer row of it."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's program steps; PostgreSQL plans with the values themselves")
    from xinwen.news.selectors import around_ids

    ordered = list(Article.objects.published().filter(category__slug="company").order_by("-publish_at", "-id"))
    places = {"newest": ordered[3], "middle": ordered[len(ordered) // 2], "oldest": ordered[-4]}

    def around(a):
        return around_ids(category_id=a.category_id, when=a.publish_at, pk=a.pk)

    for article in places.values():
        around(article)  # compiled once per process
    costs = {name: vm_steps(lambda a=article: around(a)) for name, article in places.items()}

    assert around(places["oldest"]) == [a.pk for a in ordered[-3:]] + [a.pk for a in ordered[-9:-4][::-1]]
    assert max(costs.values()) <= 30, costs
