"""The editors' statistics in the back office: dashboard, per-article chart, CSV export, permissions."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.stats.models import DailyViews

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/stats/dailyviews/"
EXPORT = "/admin/stats/dailyviews/export.csv"


@pytest.fixture
def history(tree):
    today = timezone.localdate()
    seed = make_article(category=tree["company"], title="深化国资央企与上海市合作座谈会在沪举行", view_count=275 + 12)
    formula = make_article(category=tree["industry"], title="=HYPERLINK(\"http://evil\")", view_count=3)
    old = make_article(category=tree["notices"], title="去年的通知", view_count=5000, days_ago=400)
    DailyViews.objects.bulk_create(
        [
            DailyViews(article=seed, day=today, views=7),
            DailyViews(article=seed, day=today - timedelta(days=3), views=5),
            DailyViews(article=formula, day=today - timedelta(days=1), views=3),
            DailyViews(article=old, day=today - timedelta(days=200), views=40),
        ]
    )
    return {"seed": seed, "formula": formula, "old": old}


def test_editor_sees_the_dashboard(client, editor, history):
    client.force_login(editor)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="xw-chart"') == 2  # views per day, views per category
    assert 'aria-labelledby="xw-chart-days-title"' in html and "近 30 天每日浏览量" in html
    for label in ("本周", "本月", "全部时间"):
        assert f"<h3>{label}</h3>" in html
    assert "深化国资央企与上海市合作座谈会在沪举行" in html
    assert "去年的通知" in html  # all time, imported count included
    assert "新闻中心 &gt; 公司新闻" in html  # views per category
    assert 'title="=HYPERLINK' not in html and "=HYPERLINK(&quot;http://evil&quot;)" in html  # escaped
    assert "export.csv?days=30" in html


def test_dashboard_figures(client, editor, history):
    client.force_login(editor)

    summary = client.get(DASHBOARD).context["summary"]

    assert dict(summary) == {"今日": 7, "昨日": 3, "近 30 天": 15, "累计（含导入的历史浏览量）": 287 + 3 + 5000}


@pytest.mark.parametrize("days", [7, 30, 90, 365])
def test_dashboard_periods(client, editor, history, days):
    client.force_login(editor)

    response = client.get(DASHBOARD, {"days": days})

    assert response.status_code == 200 and len(response.context["series"]) == days


@pytest.mark.parametrize("days", ["0", "31", "-7", "abc", "7.0", "９０"])
def test_bad_period_is_400(client, editor, db, days):
    client.force_login(editor)

    assert client.get(DASHBOARD, {"days": days}).status_code == 400
    assert client.get(EXPORT, {"days": days}).status_code == 400


def test_authors_and_readers_do_not_see_statistics(client, author, history):
    assert client.get(DASHBOARD).status_code == 302  # to the login page
    assert client.get(EXPORT).status_code == 302
    client.force_login(author)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_statistics_cannot_be_edited(client, admin_user, history):
    client.force_login(admin_user)
    row = DailyViews.objects.first()

    assert client.get(f"{DASHBOARD}add/").status_code == 403
    assert client.post(f"{DASHBOARD}{row.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert DailyViews.objects.filter(pk=row.pk).exists()


def test_admin_index_lists_the_statistics(client, editor, db):
    client.force_login(editor)

    assert DASHBOARD in client.get("/admin/").content.decode()


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the BOM to read UTF-8 Chinese"
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_export(client, editor, history):
    client.force_login(editor)
    today = timezone.localdate()

    response = client.get(EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="xinwen-views-')
    rows = _csv(response)
    assert rows[0] == ["日期", "文章编号", "标题", "栏目", "浏览次数"]
    seed, formula = history["seed"], history["formula"]
    assert rows[1:] == [
        [(today - timedelta(days=3)).isoformat(), str(seed.pk), seed.title, "新闻中心 > 公司新闻", "5"],
        [(today - timedelta(days=1)).isoformat(), str(formula.pk), "'=HYPERLINK(\"http://evil\")", "新闻中心 > 行业动态", "3"],
        [today.isoformat(), str(seed.pk), seed.title, "新闻中心 > 公司新闻", "7"],
    ]


def test_csv_export_of_one_article_over_a_year(client, editor, history):
    client.force_login(editor)
    old = history["old"]

    rows = _csv(client.get(EXPORT, {"days": 365, "article": old.pk}))

    assert [row[1:] for row in rows[1:]] == [[str(old.pk), "去年的通知", "新闻中心 > 通知公告", "40"]]


@pytest.mark.parametrize("article, status", [("abc", 400), ("-1", 400), ("99999999999999999999999", 400), ("987654321", 404)])
def test_csv_export_bad_article(client, editor, db, article, status):
    client.force_login(editor)

    assert client.get(EXPORT, {"article": article}).status_code == status


def test_article_change_page_shows_its_chart_and_where_its_count_comes_from(client, editor, history):
    client.force_login(editor)
    seed = history["seed"]

    html = client.get(f"/admin/news/article/{seed.pk}/change/").content.decode()

    assert 'id="xw-chart-article-' in html
    assert "浏览次数 <strong>287</strong>" in html
    assert "其中本站统计 <strong>12</strong>" in html
    assert "导入的历史浏览量 <strong>275</strong>" in html
    assert f"export.csv?days=365&amp;article={seed.pk}" in html


def test_author_sees_the_chart_of_their_own_article_without_export(client, author, tree):
    article = make_article(category=tree["company"], created_by=author, status="draft")
    client.force_login(author)

    html = client.get(f"/admin/news/article/{article.pk}/change/").content.decode()

    assert 'id="xw-chart-article-' in html and "export.csv" not in html
