"""Full builds, determinism, rollback and pruning of releases."""

import gzip

import brotli
import pytest

from xinwen.news.services import article_save
from xinwen.publishing import files
from xinwen.publishing.errors import PublishError
from xinwen.publishing.render import file_for_url
from xinwen.publishing.services import release_rollback, site_publish

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, path",
    [
        ("/", "index.html"),
        ("/zh-tw/", "zh-tw/index.html"),
        ("/article/12/", "article/12/index.html"),
        ("/category/company/?page=2", "category/company/index.page-2.html"),
        ("/feeds/rss.xml", "feeds/rss.xml"),
        ("/sitemap-news.xml?p=3", "sitemap-news.p-3.xml"),
        ("/robots.txt", "robots.txt"),
    ],
)
def test_live_urls_map_to_the_files_nginx_looks_for(url, path):
    assert file_for_url(url) == path


def test_a_full_build_holds_every_public_page_in_every_script(news, target, client):
    site_publish(target=target)
    assert target.is_symlink() and files.current_release(target).parent == files.releases_dir(target)
    first = news["articles"][0]
    for prefix in ("", "zh-hant/", "zh-tw/", "zh-hk/"):
        page = (target / prefix / f"article/{first.pk}/index.html").read_bytes()
        # The same bytes the live site answers at that URL: one set of views and templates.
        assert page == client.get(f"/{prefix}article/{first.pk}/").content
        assert (target / prefix / "index.html").is_file()
        assert (target / prefix / "feeds/rss.xml").is_file()
    # 22 articles at 20 a page: the company list has a second page, in every script.
    assert "公司新闻第0篇" in (target / "category/company/index.page-2.html").read_text()
    assert (target / "zh-tw/category/company/index.page-2.html").is_file()
    assert (target / "category/news/index.html").is_file()  # the parent lists its children's articles
    for name in ("robots.txt", "sitemap.xml", "sitemap-home.xml", "404.html", "static/news/site.css"):
        assert (target / name).is_file(), name
    not_found = (target / "404.html").read_text()
    assert not_found == client.get("/no-such-page/").content.decode().replace("/no-such-page/", "/404-not-found/")
    assert "Page not found" not in not_found  # the site's page, not Django's debug page
    # Precompressed twins hold the same bytes.
    html = (target / "index.html").read_bytes()
    assert gzip.decompress((target / "index.html.gz").read_bytes()) == html
    assert brotli.decompress((target / "index.html.br").read_bytes()) == html
    # Drafts are not published.
    assert not (target / "article" / "999999").exists()


def test_the_same_content_builds_the_same_bytes(news, target):
    one = site_publish(target=target).release
    two = site_publish(target=target).release
    names = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert [n for n in names if (one / n).read_bytes() != (two / n).read_bytes()] == []


def test_rollback_switches_back_to_the_previous_release_and_old_releases_are_pruned(news, target, editor):
    article = news["industry_article"]
    site_publish(target=target, keep=2)
    article.title = "改过的标题"
    article_save(article=article, user=editor, changed_fields=["title"])
    site_publish(target=target, keep=2)
    page = target / f"article/{article.pk}/index.html"
    assert "改过的标题" in page.read_text()

    release_rollback(target=target)
    assert "行业动态：装备制造" in page.read_text()

    site_publish(target=target, keep=2)
    site_publish(target=target, keep=2)
    assert len(files.releases(target)) == 2
    # Nothing of a pruned release is left beside the kept ones: each has its folder, index and fingerprint.
    kept = {release.name for release in files.releases(target)}
    beside = {p.name for p in files.releases_dir(target).iterdir() if not p.name.startswith(".")}
    assert beside == {name + suffix for name in kept for suffix in ("", ".pages.json", ".site")}


def test_a_folder_that_is_not_a_published_tree_is_never_replaced(news, tmp_path):
    precious = tmp_path / "www"
    precious.mkdir()
    (precious / "index.html").write_text("keep me")
    with pytest.raises(PublishError, match="不是发布生成的链接"):
        site_publish(target=precious)
    assert (precious / "index.html").read_text() == "keep me"


def test_rollback_without_an_older_release_says_so(news, target):
    site_publish(target=target)
    with pytest.raises(PublishError, match="没有更早的发布版本"):
        release_rollback(target=target)
