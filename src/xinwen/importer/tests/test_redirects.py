"""Old URLs of imported pages answer with 301 to the new article; nothing else is shadowed."""

from __future__ import annotations

import pytest
from django.test import override_settings

from xinwen.conftest import make_article
from xinwen.importer.models import ImportRecord
from xinwen.importer.services import ref_hash
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db


def imported(category, old_url: str, old_path: str, **fields) -> Article:
    article = make_article(category=category, **fields)
    ImportRecord.objects.create(article=article, ref=old_url, ref_hash=ref_hash(old_url), old_path=old_path, kind="html", content_hash="x")
    return article


@pytest.mark.parametrize(
    "old_url, old_path, request_path",
    [
        ("http://old.example/news/123.html", "/news/123.html", "/news/123.html"),
        ("http://old.example/a/123.html", "/a/123.html", "/A/123.html"),
        ("http://old.example/plus/view.php?aid=123", "/plus/view.php?aid=123", "/plus/view.php?aid=123&mid=1"),
        ("http://old.example/html/2023/0424/1188.shtml", "/html/2023/0424/1188.shtml", "/html/2023/0424/1188.shtml"),
        ("http://old.example/2023/04/24/seminar/", "/2023/04/24/seminar/", "/2023/04/24/seminar/"),
    ],
)
def test_old_urls_redirect_permanently_to_the_article(client, tree, old_url, old_path, request_path):
    article = imported(tree["company"], old_url, old_path)

    response = client.get(request_path)

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_unknown_old_urls_and_unpublished_articles_are_404(client, tree):
    imported(tree["company"], "http://old.example/news/5.html", "/news/5.html", status=Article.Status.DRAFT)

    assert client.get("/news/5.html").status_code == 404
    assert client.get("/news/6.html").status_code == 404
    assert client.get("/plus/view.php?aid=7").status_code == 404


def test_new_urls_keep_working(client, tree):
    article = make_article(category=tree["company"])
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(f"/article/{article.pk}").status_code == 301  # APPEND_SLASH, not shadowed
    assert client.get("/admin").status_code == 301


@override_settings(MIDDLEWARE=[*__import__("django.conf").conf.settings.MIDDLEWARE, "xinwen.importer.middleware.LegacyRedirectFallbackMiddleware"])
def test_the_fallback_middleware_redirects_what_the_patterns_do_not_route(client, tree):
    wordpress = imported(tree["company"], "http://old.example/?p=88", "/?p=88")
    plain = imported(tree["company"], "http://old.example/shownews/77", "/shownews/77")

    assert client.get("/?p=88")["Location"] == wordpress.get_absolute_url()
    assert client.get("/shownews/77")["Location"] == plain.get_absolute_url()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "old_url, request_path",
    [
        # stored percent-encoded, asked raw (Django decodes request.path) and the other way round
        ("http://old.example/%E5%AA%92%E4%BD%93%E6%8A%A5%E9%81%93/117.html", "/媒体报道/117.html"),
        ("http://old.example/%E5%AA%92%E4%BD%93%E6%8A%A5%E9%81%93/117.html", "/%E5%AA%92%E4%BD%93%E6%8A%A5%E9%81%93/117.html"),
        ("http://old.example/媒体报道/118.html", "/%E5%AA%92%E4%BD%93%E6%8A%A5%E9%81%93/118.html"),
        ("http://old.example/?p=105", "/?p=105"),
        ("http://old.example/?page_id=7", "/?page_id=7"),
        ("http://old.example/?company/18.html", "/?company/18.html"),
        ("http://old.example/plus/view.php?aid=42", "/plus/view.php?aid=42"),
        ("http://old.example/a/news/123.html", "/a/news/123.html"),
        ("http://old.example/e/action/ShowInfo.php?classid=2&id=5", "/e/action/ShowInfo.php?id=5&classid=2"),
    ],
)
def test_every_old_url_form_answers_301_to_the_new_article(client, tree, old_url, request_path):
    from xinwen.importer.legacy import legacy_key

    article = imported(tree["company"], old_url, legacy_key(old_url))

    response = client.get(request_path)

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("request_path", ["/?p=999", "/?page_id=3", "/?company/99.html", "/plus/view.php?aid=9", "/e/action/ShowInfo.php?classid=1&id=9"])
def test_unknown_old_urls_are_a_normal_404_never_the_home_page(client, tree, request_path):
    imported(tree["company"], "http://old.example/?p=105", "/?p=105")

    response = client.get(request_path)

    assert response.status_code == 404


def test_the_home_page_with_ordinary_parameters_is_still_the_home_page(client, tree):
    assert client.get("/?utm_source=wechat").status_code == 200


@override_settings(MIDDLEWARE=[*__import__("django.conf").conf.settings.MIDDLEWARE, "xinwen.importer.middleware.LegacyRedirectFallbackMiddleware"])
@pytest.mark.parametrize(
    "old_url, request_path",
    [
        ("http://old.example/a/news/123.html", "/a/news/123_2.html"),
        ("http://old.example/?p=105", "/?p=105&page=2"),
        ("http://old.example/2018/03/15/laochangfang/", "/2018/03/15/laochangfang/3/"),
    ],
)
def test_the_later_pages_of_a_joined_post_redirect_to_its_article(client, tree, old_url, request_path):
    from xinwen.importer.legacy import legacy_key

    article = imported(tree["company"], old_url, legacy_key(old_url))

    response = client.get(request_path)

    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get("/a/news/124_2.html").status_code == 404


@override_settings(MIDDLEWARE=[*__import__("django.conf").conf.settings.MIDDLEWARE, "xinwen.importer.middleware.LegacyRedirectFallbackMiddleware"])
def test_a_wordpress_posts_short_address_redirects_beside_its_permalink(client, tree, tmp_path):
    import io

    from django.core.management import call_command

    from xinwen.importer.tests.test_feeds import export, item

    wxr = export(item(105, "社区图书室扩建完工")).replace(b"<link>http://wp.example/?p=105</link>", b"<link>http://wp.example/2019/05/06/tushushi/</link>")
    crawled = ('<html><head><meta charset="utf-8"><title>t</title><link rel="shortlink" href="http://wp.example/?p=106"></head><body>'
               "<h1>社区举办读书分享会</h1><div class='info'>发布时间：2019-05-07 08:00</div><div class='content'><p>分享会上，居民们交流了读书心得，"
               "图书室的志愿者介绍了新到的图书。</p></div></body></html>".encode())  # fmt: skip
    (tmp_path / "export.xml").write_bytes(wxr)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "fenxianghui.html").write_bytes(crawled)
    call_command("import", str(tmp_path / "export.xml"), "--offline", "--create-categories", "--no-progress", stdout=io.StringIO())
    call_command("import", str(tmp_path / "site"), "--base-url", "http://wp.example/2019/05/07/", "--offline",
                 "--category", "company", "--no-progress", stdout=io.StringIO())  # fmt: skip

    for title, short, pretty in (("社区图书室扩建完工", "/?p=105", "/2019/05/06/tushushi/"), ("社区举办读书分享会", "/?p=106", None)):
        article = Article.objects.get(title=title)
        assert client.get(short)["Location"] == article.get_absolute_url()
        if pretty:
            assert client.get(pretty)["Location"] == article.get_absolute_url()
    assert client.get("/?p=107").status_code == 404
