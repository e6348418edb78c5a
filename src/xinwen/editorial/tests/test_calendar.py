"""The editorial calendar: what each role sees on which day, section filters, moving by form."""

from datetime import datetime, time, timedelta

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from xinwen.conftest import make_article, make_category
from xinwen.news.models import Article, AuditEntry

pytestmark = pytest.mark.django_db
CALENDAR = "admin:news_article_calendar"
MOVE = "admin:news_article_reschedule"


def local(day, hour=9, minute=30):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def cell(html: str, day) -> str:
    """The markup of one day's cell in the calendar page."""
    start = html.index(f'data-date="{day:%Y-%m-%d}"')
    end = html.find("data-date=", start + 10)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def week(tree, author):
    """Monday of next week, and one article of each kind in it."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    articles = {
        "scheduled": make_article(category=tree["company"], title="定时发布的通知", publish_at=local(monday + timedelta(days=1))),
        "offline": make_article(
            category=tree["industry"], title="将要下线的专题", days_ago=3, unpublish_at=local(monday + timedelta(days=3), 18, 0)
        ),
        "review": make_article(
            category=tree["company"], title="等待审核的稿件", status=Article.Status.REVIEW, publish_at=local(monday + timedelta(days=2)), created_by=author
        ),
        "draft": make_article(category=tree["company"], title="还是草稿", status=Article.Status.DRAFT, publish_at=local(monday + timedelta(days=2))),
    }
    return monday, articles


def test_the_week_shows_each_kind_on_its_day_and_an_editor_may_move_what_lies_ahead(client, editor, week):
    monday, articles = week
    client.force_login(editor)
    html = client.get(reverse(CALENDAR), {"view": "week", "date": monday.isoformat()}).content.decode()
    tuesday, wednesday, thursday = (cell(html, monday + timedelta(days=n)) for n in (1, 2, 3))
    assert "定时发布的通知" in tuesday and "09:30" in tuesday and 'draggable="true"' in tuesday
    assert "等待审核的稿件" in wednesday and "待审核" in wednesday and 'draggable="true"' not in wednesday
    assert "将要下线的专题" in thursday and "定时下线" in thursday and "18:00" in thursday
    assert "还是草稿" not in html  # a draft is not on the calendar
    assert static("editorial/calendar.js") in html and 'name="when"' in html


def test_the_month_view_covers_whole_weeks_and_the_section_filter_keeps_sub_sections(client, editor, tree, week):
    monday, _ = week
    sub = make_category("集团要闻", slug="group", parent=tree["company"])
    make_article(category=sub, title="子栏目的定时稿", publish_at=local(monday + timedelta(days=4)))
    client.force_login(editor)
    html = client.get(reverse(CALENDAR), {"date": monday.isoformat(), "category": tree["company"].pk}).content.decode()
    assert f"{monday.year}年{monday.month}月" in html
    assert "定时发布的通知" in html and "子栏目的定时稿" in html
    assert "将要下线的专题" not in html  # 行业动态 is filtered out


def test_an_author_sees_a_read_only_calendar_of_what_they_may_open(client, author, week):
    monday, articles = week
    client.force_login(author)
    html = client.get(reverse(CALENDAR), {"view": "week", "date": monday.isoformat()}).content.decode()
    assert "等待审核的稿件" in html  # their own submission
    assert "定时发布的通知" not in html  # someone else's article, not yet public
    assert 'draggable="true"' not in html and static("editorial/calendar.js") not in html and 'name="when"' not in html
    assert "日历为只读" in html
    before = articles["scheduled"].publish_at
    response = client.post(
        reverse(MOVE), {"article": articles["scheduled"].pk, "field": "publish_at", "when": f"{monday + timedelta(days=5)}T09:30"}
    )
    assert response.status_code == 403
    articles["scheduled"].refresh_from_db()
    assert articles["scheduled"].publish_at == before


def test_the_form_moves_a_scheduled_article_to_another_day_and_back_to_the_calendar(client, editor, week):
    monday, articles = week
    client.force_login(editor)
    back = reverse(CALENDAR) + f"?view=week&date={monday}"
    saturday = monday + timedelta(days=5)
    response = client.post(
        reverse(MOVE), {"article": articles["scheduled"].pk, "field": "publish_at", "when": f"{saturday}T09:30", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    articles["scheduled"].refresh_from_db()
    assert timezone.localtime(articles["scheduled"].publish_at) == local(saturday)
    assert AuditEntry.objects.filter(object_id=str(articles["scheduled"].pk), action="schedule").exists()
    html = client.get(back).content.decode()
    assert "定时发布的通知" in cell(html, saturday) and "定时发布的通知" not in cell(html, monday + timedelta(days=1))
    assert "的发布时间已改为" in html


def test_a_move_into_the_past_is_refused_with_a_message_and_changes_nothing(client, editor, week):
    _, articles = week
    client.force_login(editor)
    before = articles["scheduled"].publish_at
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(reverse(MOVE), {"article": articles["scheduled"].pk, "field": "publish_at", "when": f"{yesterday}T09:30"}, follow=True)
    assert "未能改期" in response.content.decode()
    articles["scheduled"].refresh_from_db()
    assert articles["scheduled"].publish_at == before


@pytest.mark.parametrize(
    "method, params",
    [
        ("get", {"view": "year"}),
        ("get", {"date": "2025-13-40"}),
        ("get", {"category": "abc"}),
        ("get", {"category": "99999"}),
        ("post", {"article": "1", "field": "publish_at", "when": "明天"}),
        ("post", {"article": "1", "field": "status", "when": "2030-01-01T09:00"}),
        ("post", {"article": "x"}),
    ],
)
def test_malformed_input_is_a_400_with_a_message(client, editor, week, method, params):
    client.force_login(editor)
    url = reverse(CALENDAR if method == "get" else MOVE)
    response = getattr(client, method)(url, params)
    assert response.status_code == 400
    assert response.content.decode()  # says what was wrong


def test_an_open_redirect_is_not_followed(client, editor, week):
    _, articles = week
    client.force_login(editor)
    when = f"{timezone.localdate() + timedelta(days=20)}T10:00"
    response = client.post(
        reverse(MOVE), {"article": articles["scheduled"].pk, "field": "publish_at", "when": when, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse(CALENDAR)


def test_the_calendar_is_linked_from_the_nav_and_the_article_list(client, editor):
    client.force_login(editor)
    for url in (reverse("admin:index"), reverse("admin:news_article_changelist")):
        assert reverse(CALENDAR) in client.get(url).content.decode()
