"""The public pages as a reader (and a previewing editor) sees them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from xinwen.conftest import make_article, make_category, make_user
from xinwen.news.models import Article, Attachment

pytestmark = pytest.mark.django_db

Status = Article.Status
SITE_ZONE = ZoneInfo(settings.TIME_ZONE)


def local_time_on_another_utc_day(year: int, month: int, day: int) -> datetime:
    """A time on that local date whose UTC date differs (early morning east of UTC, late evening west of it)."""
    probe = datetime(year, month, day, 12, 0, tzinfo=SITE_ZONE)
    east = probe.utcoffset().total_seconds() > 0
    return datetime(year, month, day, 7 if east else 20, 30, tzinfo=SITE_ZONE)


def text_of(html: str, pattern: str) -> str:
    """The visible text of the first element matching `pattern`, whitespace collapsed."""
    match = re.search(pattern, html, re.S)
    assert match, f"{pattern!r} not found"
    return " ".join(strip_tags(match.group(0)).replace("&gt;", ">").split())


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def site(settings):
    settings.SITE_NAME = "测试集团"
    settings.SITE_URL = ""


@pytest.fixture
def story(tree, site):
    """A published article with every meta field filled, as the seed page has them."""
    return make_article(
        category=tree["company"],
        title="深化国资央企与上海市合作 推动制造业发展座谈会在沪举行",
        summary="4月24日，座谈会在上海举行。",
        body="<p>4月24日，深化国资央企与上海市合作座谈会在沪举行。</p>",
        source_name="国资委网站",
        author="张三",
        editor="李四",
        # A local time that is another day in UTC (early morning in Shanghai): the page must show local time.
        publish_at=local_time_on_another_utc_day(2023, 4, 24),
        view_count=275,
    )


# --- home ----------------------------------------------------------------------------


def test_home_shows_sections_and_latest_news(client, tree, site):
    make_article(category=tree["company"], title="公司新闻一则", days_ago=1)
    make_article(category=tree["industry"], title="行业动态一则", days_ago=2, pinned=True, summary="置顶摘要")
    make_article(category=tree["notices"], title="未发布的通知", status=Status.DRAFT)

    response = client.get("/")

    assert response.status_code == 200
    html = page(response)
    assert "<title>测试集团 · 新闻中心</title>" in html
    for slug, name in [("company", "公司新闻"), ("industry", "行业动态"), ("notices", "通知公告")]:
        assert f'<h2 id="block-{slug}"><a href="/category/{slug}/">{name}</a></h2>' in html
    assert html.count("公司新闻一则") == 2  # latest news and the 公司新闻 block
    assert "要闻" in html and "置顶摘要" in html
    assert "未发布的通知" not in html


def test_home_of_an_empty_site(client, db, site):
    response = client.get("/")

    assert response.status_code == 200
    assert "暂无文章" in page(response)


# --- category ------------------------------------------------------------------------


def test_category_page_lists_articles_with_breadcrumb(client, tree, site):
    sub = make_category("集团要闻", slug="group", parent=tree["company"])
    make_article(category=sub, title="子栏目文章", summary="子栏目摘要", days_ago=1)
    make_article(category=tree["company"], title="公司文章", body="<p>正文作为摘要</p>", days_ago=2)
    make_article(category=tree["industry"], title="行业文章", days_ago=1)
    make_article(category=tree["company"], title="定时文章", publish_at=timezone.now() + timedelta(hours=1))

    response = client.get("/category/company/")

    assert response.status_code == 200
    html = page(response)
    assert "<title>公司新闻 - 测试集团</title>" in html
    assert text_of(html, r'<nav class="breadcrumb.*?</nav>') == "当前位置：首页 > 新闻中心 > 公司新闻"
    assert '<a href="/category/group/">集团要闻</a>' in html
    assert html.index("子栏目文章") < html.index("公司文章")
    assert "子栏目摘要" in html and "正文作为摘要" in html
    assert "行业文章" not in html and "定时文章" not in html
    assert '<link rel="canonical" href="http://testserver/category/company/">' in html


def test_empty_category_says_so(client, tree, site):
    response = client.get("/category/notices/")

    assert response.status_code == 200
    assert "本栏目暂无文章" in page(response)
    assert 'class="pagination"' not in page(response)


@pytest.fixture
def many(tree, site):
    """45 articles: three pages of 20, 20 and 5, newest first."""
    return [make_article(category=tree["company"], title=f"第{n:02d}篇", days_ago=n) for n in range(1, 46)]


def listed_titles(response) -> list[str]:
    return re.findall(r">(第\d\d篇)</a>", page(response))


@pytest.mark.parametrize(
    ("query", "shown_page", "first", "count"),
    [
        ("", 1, "第01篇", 20),
        ("?page=1", 1, "第01篇", 20),
        ("?page=2", 2, "第21篇", 20),
        ("?page=3", 3, "第41篇", 5),
        ("?page=0", 1, "第01篇", 20),
        ("?page=00002", 2, "第21篇", 20),
    ],
)
def test_category_paginates_twenty_per_page(client, many, query, shown_page, first, count):
    response = client.get("/category/company/" + query)

    assert response.status_code == 200
    titles = listed_titles(response)
    assert titles[0] == first
    assert len(titles) == count
    html = page(response)
    assert f'<span aria-current="page">{shown_page}</span>' in html
    assert "共 45 篇，3 页" in html
    for other in {1, 2, 3} - {shown_page}:
        # Page 1's link is the section's own URL: `?page=1` is a duplicate of it.
        assert (f'<a href="?page={other}">{other}</a>' if other > 1 else '<a href=".">1</a>') in html


@pytest.mark.parametrize("query", ["?page=4", "?page=99999", "?page=999999999"])
def test_pages_past_the_last_are_not_found(client, many, query):
    response = client.get("/category/company/" + query)

    assert response.status_code == 404
    assert "本栏目共 3 页" in page(response)


def test_an_empty_section_has_a_page_one(client, tree):
    assert client.get("/category/industry/").status_code == 200
    assert client.get("/category/industry/?page=2").status_code == 404


def test_pagination_links_to_previous_and_next(client, many):
    html = page(client.get("/category/company/?page=2"))

    assert '<a href="." rel="prev">上一页</a>' in html
    assert '<a href="?page=3" rel="next">下一页</a>' in html
    assert "<title>公司新闻（第2页） - 测试集团</title>" in html
    assert '<link rel="canonical" href="http://testserver/category/company/?page=2">' in html


def test_long_pagination_is_elided(client, tree, site):
    for n in range(1, 20 * 12 + 1):
        make_article(category=tree["company"], title=f"第{n:03d}篇", days_ago=n / 100)

    html = page(client.get("/category/company/?page=6"))

    numbers = re.findall(r'<(?:a href="(?:\?page=\d+|\.)"|span aria-current="page")>(\d+)<', html)
    assert numbers == ["1", "4", "5", "6", "7", "8", "12"]
    assert html.count('<span class="ellipsis">…</span>') == 2


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc", "?page=-1", "?page=1.5", "?page=2e3", "?page=", "?page=%20", "?page=1%00",
        "?page=²", "?page=١", "?page=１", "?page=" + "9" * 30, "?page=9999999999",
    ],  # fmt: skip
)
def test_bad_page_numbers_are_not_found(client, many, query):
    response = client.get("/category/company/" + query)

    assert response.status_code == 404
    assert "页码无效" in page(response)


# --- article -------------------------------------------------------------------------


def test_article_page_shows_what_the_seed_page_shows(client, story):
    response = client.get(f"/article/{story.pk}/")

    assert response.status_code == 200
    html = page(response)
    assert f"<title>{story.title} - 测试集团</title>" in html
    assert text_of(html, r'<nav class="breadcrumb.*?</nav>') == "当前位置：首页 > 新闻中心 > 公司新闻"
    assert f"<h1 id=\"article-title\">{story.title}</h1>" in html
    meta = text_of(html, r'<p class="meta">.*?</p>')
    assert re.search(r"来源[:：]\s*国资委网站", meta)
    assert re.search(r"作者[:：]\s*张三", meta)
    # Date and time in the site's zone (the story's local time is on another UTC day).
    local = story.publish_at.astimezone(SITE_ZONE)
    assert re.search(rf"发布时间[:：]\s*2023-04-24 {local:%H:%M}(?!\d)", meta)
    assert re.search(r"浏览次数[:：]\s*275", meta)
    assert "<p>4月24日，深化国资央企与上海市合作座谈会在沪举行。</p>" in html
    assert "责任编辑：李四" in html
    assert '<meta name="description" content="4月24日，座谈会在上海举行。">' in html
    assert f'<link rel="canonical" href="http://testserver/article/{story.pk}/">' in html
    assert "noindex" not in html and "预览" not in html


def test_article_breadcrumb_links_every_level(client, story):
    html = page(client.get(f"/article/{story.pk}/"))
    crumb = re.search(r'<nav class="breadcrumb.*?</nav>', html, re.S).group(0)

    assert re.findall(r'href="([^"]+)"', crumb) == ["/", "/category/news/", "/category/company/"]


def test_article_without_source_or_author(client, tree, site):
    article = make_article(category=tree["company"], summary="", body="<p>只有正文的文章，正文作为描述。</p>")

    html = page(client.get(f"/article/{article.pk}/"))

    meta = text_of(html, r'<p class="meta">.*?</p>')
    assert re.search(r"来源[:：]\s*本站", meta)
    assert "作者" not in meta
    assert '<meta name="description" content="只有正文的文章，正文作为描述。">' in html


def test_article_source_links_to_the_original(client, tree, site):
    article = make_article(category=tree["company"], source_name="新华社", source_url="https://www.news.cn/a.html")

    html = page(client.get(f"/article/{article.pk}/"))

    assert '<a href="https://www.news.cn/a.html" rel="noopener nofollow">新华社</a>' in html


def test_article_text_from_editors_is_escaped(client, tree, site):
    article = make_article(
        category=tree["company"],
        title='<script>alert("标题")</script>',
        summary='"><script>alert(1)</script>',
        author="<b>作者</b>",
    )

    html = page(client.get(f"/article/{article.pk}/"))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;标题&#34;)&lt;/script&gt; - 测试集团</title>" in html  # markupsafe's entity for "
    assert "&lt;b&gt;作者&lt;/b&gt;" in html


def test_canonical_uses_site_url_when_set(client, story, settings):
    settings.SITE_URL = "https://news.example.org"

    html = page(client.get(f"/article/{story.pk}/"))

    assert f'<link rel="canonical" href="https://news.example.org/article/{story.pk}/">' in html


def test_article_links_previous_next_and_related(client, tree, site):
    older = make_article(category=tree["company"], title="上一篇文章", days_ago=3)
    article = make_article(category=tree["company"], title="本文", days_ago=2)
    newer = make_article(category=tree["company"], title="下一篇文章", days_ago=1)
    make_article(category=tree["industry"], title="别的栏目", days_ago=1.5)

    html = page(client.get(f"/article/{article.pk}/"))

    assert f'<a href="/article/{older.pk}/" rel="prev">上一篇文章</a>' in html
    assert f'<a href="/article/{newer.pk}/" rel="next">下一篇文章</a>' in html
    related = re.search(r'<aside class="related".*?</aside>', html, re.S).group(0)
    assert "上一篇文章" in related and "下一篇文章" in related
    assert "本文" not in related and "别的栏目" not in html


def test_first_article_has_no_previous(client, story):
    html = page(client.get(f"/article/{story.pk}/"))

    assert "上一篇：没有了" in html and "下一篇：没有了" in html


def test_article_lists_attachments(client, story):
    attachment = Attachment(article=story, title="会议纪要")
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n" + b"0" * 2039), save=False)
    attachment.save()

    html = page(client.get(f"/article/{story.pk}/"))

    # Through the download view, which names the file after its title; a PDF opens in the browser.
    assert f'<a href="/attachment/{attachment.pk}/">会议纪要</a>' in html
    assert "（PDF 文档，2.0\xa0KB）" in html


# --- not found, preview, methods -----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/article/999999/", "文章不存在或尚未发布"),
        ("/article/0/", "文章不存在或尚未发布"),
        ("/article/99999999999999999999999999/", "文章不存在或尚未发布"),
        ("/article/abc/", "您访问的页面不存在"),
        ("/article/-1/", "您访问的页面不存在"),
        ("/category/no-such-slug/", "您访问的页面不存在"),
        ("/category/%E5%85%AC%E5%8F%B8/", "您访问的页面不存在"),
        ("/no/such/page/", "您访问的页面不存在"),
        ("/index.php?m=content&c=index", "您访问的页面不存在"),
    ],
)
def test_unknown_pages_get_a_friendly_chinese_404(client, tree, site, url, message):
    response = client.get(url)

    assert response.status_code == 404
    html = page(response)
    assert "<title>页面不存在 - 测试集团</title>" in html
    assert message in html
    assert '<a href="/">返回首页</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Traceback" not in html and "No Article matches" not in html


HIDDEN = [
    pytest.param({"status": Status.DRAFT}, id="draft"),
    pytest.param({"status": Status.REVIEW, "publish_at": timezone.now() - timedelta(days=1)}, id="review"),
    pytest.param({"status": Status.ARCHIVED, "publish_at": timezone.now() - timedelta(days=1)}, id="archived"),
    pytest.param({"publish_at": timezone.now() + timedelta(days=1)}, id="scheduled"),
]


@pytest.mark.parametrize("fields", HIDDEN)
@pytest.mark.parametrize("who", ["anonymous", "reader", "inactive-editor"])
def test_unpublished_articles_are_not_found_for_readers(client, tree, site, fields, who):
    article = make_article(category=tree["company"], title="秘密稿件", **fields)
    if who == "reader":
        client.force_login(make_user("reader"))
    elif who == "inactive-editor":
        editor = make_user("former", role="编辑")
        editor.is_staff = False
        editor.save()
        client.force_login(editor)

    response = client.get(f"/article/{article.pk}/")

    assert response.status_code == 404
    assert "秘密稿件" not in page(response)


@pytest.mark.parametrize("fields", HIDDEN)
def test_staff_editor_previews_unpublished_articles(client, tree, site, editor, fields):
    article = make_article(category=tree["company"], title="待发稿件", **fields)
    client.force_login(editor)

    response = client.get(f"/article/{article.pk}/")

    assert response.status_code == 200
    html = page(response)
    assert "<h1 id=\"article-title\">待发稿件</h1>" in html
    assert "预览" in html and "读者尚不可见" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


# Who may preview what: the back office's rule. Everyone else gets the reader's 404, never a 403.
PREVIEW_ROLES = {
    "anonymous": None,
    "author-owner": True,
    "other-author": False,
    "editor": True,
    "admin": True,
    "superuser": True,
}
STATUSES = [*HIDDEN, pytest.param({}, id="published")]


def _staff(username: str, role: str | None = None, *, superuser: bool = False):
    """A back-office account without a password: hashing one costs more than the request it serves."""
    user = get_user_model().objects.create(username=username, is_staff=True, is_superuser=superuser)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _login_as(client, who: str, owner) -> None:
    users = {
        "author-owner": lambda: owner,
        "other-author": lambda: _staff("colleague", "作者"),
        "editor": lambda: _staff("desk", "编辑"),
        "admin": lambda: _staff("manager", "管理员"),
        "superuser": lambda: _staff("root", superuser=True),
    }
    if who in users:
        client.force_login(users[who]())


@pytest.mark.parametrize("fields", STATUSES)
@pytest.mark.parametrize("who", PREVIEW_ROLES)
def test_preview_follows_the_back_office_roles(client, tree, site, fields, who):
    owner = _staff("writer", "作者")
    article = make_article(category=tree["company"], title="某作者的稿件", created_by=owner, **fields)
    _login_as(client, who, owner)

    response = client.get(f"/article/{article.pk}/")

    published = article in Article.objects.published()
    assert response.status_code == (200 if published or PREVIEW_ROLES[who] else 404)
    if response.status_code == 404:
        assert "某作者的稿件" not in page(response)
    assert Article.objects.previewable_by(response.wsgi_request.user).filter(pk=article.pk).exists() == bool(
        PREVIEW_ROLES[who]
    )


@pytest.mark.parametrize("url", ["/article/{pk}/", "/zh-tw/article/{pk}/", "/article/{pk}/?ruby=1"])
def test_another_authors_draft_stays_hidden_in_every_rendering(client, tree, site, url):
    owner = _staff("writer", "作者")
    article = make_article(category=tree["company"], title="某作者的稿件", created_by=owner, status=Status.DRAFT)
    client.force_login(_staff("colleague", "作者"))

    response = client.get(url.format(pk=article.pk))

    assert response.status_code == 404
    assert "某作者的稿件" not in page(response)


def test_preview_of_a_scheduled_article_says_when(client, tree, site, editor):
    when = datetime(2099, 1, 2, 8, 0, tzinfo=SITE_ZONE)
    article = make_article(category=tree["company"], publish_at=when)
    client.force_login(editor)

    html = page(client.get(f"/article/{article.pk}/"))

    assert "将于 2099-01-02 08:00 发布" in html


def test_staff_sees_published_articles_without_preview_banner(client, story, editor):
    client.force_login(editor)

    response = client.get(f"/article/{story.pk}/")

    assert response.status_code == 200
    assert "预览" not in page(response)
    assert "X-Robots-Tag" not in response


def test_editor_preview_of_a_missing_article_is_404(client, db, site, editor):
    client.force_login(editor)

    assert client.get("/article/424242/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/", "/category/company/", "ARTICLE", "/media/images/a.png"])
def test_public_pages_refuse_writes(client, story, method, url):
    url = f"/article/{story.pk}/" if url == "ARTICLE" else url

    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


@pytest.mark.parametrize("url", ["/", "/category/company/", "ARTICLE"])
def test_head_requests_work(client, story, url):
    url = f"/article/{story.pk}/" if url == "ARTICLE" else url

    assert client.head(url).status_code == 200


# --- query counts --------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def _add_articles(tree, n: int, *, start: int = 0):
    sections = [tree["company"], tree["industry"], tree["notices"]]
    for i in range(start, start + n):
        # No summary: lists then describe articles by their body, the costlier case.
        article = make_article(category=sections[i % 3], days_ago=i + 2, pinned=i % 4 == 1, summary="")
        Attachment.objects.bulk_create([Attachment(article=article, file=f"attachments/2024/01/{i}.pdf", size=10)])


@pytest.mark.parametrize("url", ["/", "/category/news/", "/category/company/?page=2", "ARTICLE"])
def test_pages_use_a_bounded_number_of_queries(client, tree, site, url, django_assert_max_num_queries):
    article = make_article(category=tree["company"], days_ago=20, summary="")
    url = f"/article/{article.pk}/" if url == "ARTICLE" else url
    first = 66 if "page=2" in url else 5  # page 2 must exist for both counts
    _add_articles(tree, first)
    # With one attachment from the start: an article without any skips the attachments query.
    Attachment.objects.bulk_create([Attachment(article=article, file="attachments/2024/01/own.pdf", size=10)])
    client.get(url)  # a worker that has served a page keeps the navigation and glossary version
    few = _count_queries(client, url)

    _add_articles(tree, 60, start=first)
    Attachment.objects.bulk_create(
        Attachment(article=article, file=f"attachments/2024/01/own-{i}.pdf", size=10) for i in range(3)
    )
    many = _count_queries(client, url)

    assert many == few
    with django_assert_max_num_queries(10):
        client.get(url)


# --- never a 500 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/?page=%FF",
        "/category/company/?page=%FF%FE",
        "/category/company/?page[]=1",
        "/category/company/?page=1&page=abc",
        "/article/1/?x=%00",
        "/category/%00/",
        "/category/" + "a" * 500 + "/",
        "/article/" + "9" * 400 + "/",
        "/media/" + "a/" * 300 + "x.png",
        "/media/%C0%AE%C0%AE/secret.txt",
    ],
)
def test_odd_requests_never_cause_a_server_error(client, story, url):
    client.raise_request_exception = False

    response = client.get(url)

    assert response.status_code in {200, 404}


def test_article_page_offers_text_size_and_print_through_its_own_script(client, story):
    html = page(client.get(f"/article/{story.pk}/"))
    assert re.search(r'<script src="/static/news/reading\.[0-9a-f]{12}\.js" defer></script>', html)
    controls = re.search(r'<span class="reading-controls" hidden>.*?data-print>[^<]*</button></span>', html, re.S).group(0)
    assert [label for label in re.findall(r"<button[^>]*>([^<]+)</button>", controls)] == ["大", "中", "小", "打印"]
    # No inline script (JSON-LD is data, not script): the CSP allows scripts from 'self' only.
    assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/ld\+json"))', html)
