"""URLs, feeds and same-host crawls against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import io
import json
import time

import pytest
from django.core.management import call_command

from xinwen.importer.crawl import crawl_items
from xinwen.importer.fetch import Fetcher
from xinwen.importer.models import CrawlState, ImportRecord
from xinwen.news.models import Article, BodyImage

pytestmark = pytest.mark.django_db


def article_page(n: int, *, charset: str = "utf-8", extra: str = "") -> bytes:
    html = (
        f'<html><head><meta charset="{charset}"><title>第{n}篇新闻_新闻中心</title></head><body>'
        f'<div class="position">当前位置：首页 &gt; 新闻中心 &gt; 公司新闻 &gt; 正文</div><h1>第{n}篇新闻：公司召开专题会议</h1>'
        f'<div class="info">来源：本站　发布时间：2024-03-{n:02d} 09:00　浏览次数：{100 + n}</div>'
        f'<div class="content"><p>第{n}篇新闻的正文。会议研究部署了下一阶段的重点工作，要求各单位认真抓好落实。</p>{extra}</div></body></html>'
    )
    return html.encode("gbk" if charset == "gbk" else "utf-8")


def run_report(tmp_path, *args: str) -> list[dict]:
    report = tmp_path / "report.json"
    call_command("import", *args, "--no-progress", "--delay", "0", "--timeout", "1", "--report", str(report), stdout=io.StringIO())
    return json.loads(report.read_text(encoding="utf-8"))


def test_a_url_is_imported_with_its_charset_and_images(tree, site, tmp_path):
    import base64

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
    )
    site.add("/img/1.png", png, content_type="image/png")
    site.add("/news/1.html", article_page(1, charset="gbk", extra='<p><img src="/img/1.png"></p>'), content_type="text/html; charset=gbk")

    rows = run_report(tmp_path, site.url("/news/1.html"))

    assert rows[0]["status"] == "created" and rows[0]["encoding"] == "gb18030"
    article = Article.objects.get()
    assert article.title == "第1篇新闻：公司召开专题会议" and article.view_count == 101
    assert BodyImage.objects.get().file.url in article.body
    assert article.import_record.old_path == "/news/1.html"


def test_failures_are_reported_and_the_rest_goes_on(tree, site, tmp_path):
    site.add("/news/1.html", article_page(1))
    site.add("/news/slow.html", article_page(2), delay=2.5)
    site.add("/news/huge.html", b"x" * (11 * 1024 * 1024))
    site.add("/news/gone.html", "gone", status=500)
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/private/3.html", article_page(3))
    site.add("/news/4.html", article_page(4))

    rows = run_report(tmp_path, *(site.url(p) for p in ["/news/1.html", "/news/slow.html", "/news/huge.html", "/news/gone.html", "/private/3.html", "/news/4.html"]))

    status = {row["ref"].rsplit("/", 1)[1]: (row["status"], row.get("error", "")) for row in rows}
    assert status["1.html"][0] == status["4.html"][0] == "created"
    assert status["slow.html"][0] == "failed" and "超时" in status["slow.html"][1]
    assert status["huge.html"][0] == "failed" and "MB" in status["huge.html"][1]
    assert status["gone.html"][0] == "failed" and "HTTP 500" in status["gone.html"][1]
    assert status["3.html"][0] == "failed" and "robots.txt" in status["3.html"][1]
    assert "/private/3.html" not in site.requests
    assert Article.objects.count() == 2


def sitemap(urls: list[str]) -> str:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


def test_a_crawl_reads_the_sitemap_honours_robots_txt_and_stays_on_the_host(tree, site, tmp_path):
    for n in range(1, 5):
        site.add(f"/news/{n}.html", article_page(n))
    site.add("/robots.txt", f"User-agent: *\nDisallow: /news/4.html\nSitemap: {site.url('/maps/news.xml')}\n", content_type="text/plain")
    urls = [site.url(f"/news/{n}.html") for n in range(1, 5)] + ["http://elsewhere.example/news/9.html"]
    site.add("/maps/news.xml", sitemap(urls), content_type="application/xml")

    rows = run_report(tmp_path, "--crawl", site.url("/"))

    assert sorted(row["ref"].rsplit("/", 1)[1] for row in rows) == ["1.html", "2.html", "3.html"]
    assert "/news/4.html" not in site.requests
    assert Article.objects.count() == 3


def test_a_crawl_walks_list_pages_when_there_is_no_sitemap(tree, site, tmp_path):
    for n in range(1, 5):
        site.add(f"/news/{n}.html", article_page(n))
    site.add("/news/", '<a href="/news/1.html">一</a><a href="/news/2.html">二</a><a href="/news/list_2.html">下一页</a><a href="/about/">关于</a>')
    site.add("/news/list_2.html", '<a href="/news/3.html">三</a><a href="/news/4.html">四</a><a href="http://other.example/5.html">外站</a>')

    rows = run_report(tmp_path, "--crawl", site.url("/news/"))

    assert sorted(row["ref"].rsplit("/", 1)[1] for row in rows) == ["1.html", "2.html", "3.html", "4.html"]
    assert all(row["status"] == "created" for row in rows)


def test_an_interrupted_crawl_resumes_where_it_stopped(tree, site, tmp_path):
    for n in range(1, 6):
        site.add(f"/news/{n}.html", article_page(n))
    site.add("/sitemap.xml", sitemap([site.url(f"/news/{n}.html") for n in range(1, 6)]), content_type="application/xml")
    fetcher = Fetcher(delay=0, timeout=1)
    items = crawl_items(site.url("/"), fetcher=fetcher)
    for _ in range(2):  # the operator presses Ctrl-C after two pages
        next(items).done()
    items.close()
    assert len(CrawlState.objects.get().pending) == 3
    site.requests.clear()

    rows = run_report(tmp_path, "--crawl", site.url("/"))

    assert sorted(row["ref"].rsplit("/", 1)[1] for row in rows) == ["3.html", "4.html", "5.html"]
    assert not any(r.startswith(("/news/1.html", "/news/2.html")) for r in site.requests)
    assert not CrawlState.objects.get().pending


def test_requests_to_one_host_are_spaced_by_the_delay(site):
    site.add("/a.html", "a")
    fetcher = Fetcher(delay=0.2, timeout=1, respect_robots=False)
    started = time.monotonic()
    for _ in range(3):
        fetcher.get(site.url("/a.html"))
    assert time.monotonic() - started >= 0.4


def test_feeds_by_url_import_full_entries_and_fetch_summary_only_ones(tree, site, tmp_path):
    site.add("/news/2.html", article_page(2))
    rss = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
    <item><title>全文条目：公司召开专题会议</title><link>{site.url('/news/1.html')}</link><pubDate>Tue, 05 Mar 2024 09:00:00 +0800</pubDate>
    <category>公司新闻</category><content:encoded><![CDATA[<p>全文条目的正文，会议研究部署了重点工作。</p>]]></content:encoded></item>
    <item><title>摘要条目</title><link>{site.url('/news/2.html')}</link><description>只有摘要</description></item></channel></rss>"""
    site.add("/feed.xml", rss, content_type="application/rss+xml")

    rows = run_report(tmp_path, site.url("/feed.xml"))

    assert [row["status"] for row in rows] == ["created", "created"]
    titles = set(Article.objects.values_list("title", flat=True))
    assert titles == {"全文条目：公司召开专题会议", "第2篇新闻：公司召开专题会议"}
    assert ImportRecord.objects.filter(ref=site.url("/news/1.html")).exists()


def test_a_crawl_reads_a_categorys_parents_from_their_archive_pages(tree, site, tmp_path):
    """A WordPress theme prints only 公司动态 with the post; /category/news names the parent 新闻中心 (fetched once)."""
    def post(n: int) -> str:
        return (
            f'<html><head><meta charset="utf-8"><title>第{n}篇 – 华景集团</title></head><body class="single">'
            f'<h1 class="wp-block-post-title">集团召开第{n}次专题会议</h1><div class="wp-block-post-date"><time datetime="2021-05-0{n}T09:00:00+08:00">2021年5月{n}日</time></div>'
            f'<div class="taxonomy-category wp-block-post-terms"><a href="{site.url("/category/news/company")}" rel="tag">公司动态</a></div>'
            f'<div class="entry-content wp-block-post-content"><p>第{n}次专题会议研究部署了下一阶段的重点工作，要求各单位认真抓好落实，确保各项任务按期完成。</p></div></body></html>'
        )

    for n in (1, 2):
        site.add(f"/news/company/{n}.html", post(n))
    site.add("/category/news", '<html><head><title>新闻中心 – 华景集团</title></head><body class="archive category">'
             '<h1 class="wp-block-query-title">分类：<span>新闻中心</span></h1></body></html>')  # fmt: skip
    site.add("/sitemap.xml", sitemap([site.url(f"/news/company/{n}.html") for n in (1, 2)]), content_type="application/xml")

    rows = run_report(tmp_path, "--crawl", site.url("/"), "--create-categories")

    assert [row["category"] for row in rows] == ["新闻中心 > 公司动态"] * 2
    assert {a.category.parent.name for a in Article.objects.select_related("category__parent")} == {"新闻中心"}
    assert site.requests.count("/category/news") == 1


def test_a_block_theme_post_split_over_pages_is_asked_for_its_later_pages(site):
    """Twenty Twenty-Three links no page 2: the crawl asks for /41.html/2, /41.html/3 and stops where WordPress redirects."""
    from xinwen.importer.sources import page_source

    def page(n: int) -> str:
        return (f'<html><body class="post-template-default single single-post"><h1>企业文化建设三十年回顾</h1>'
                f'<div class="entry-content wp-block-post-content"><p>第{n}页的内容。</p></div></body></html>')  # fmt: skip

    site.add("/news/41.html", page(1))
    site.add("/news/41.html/2", page(2))
    site.add("/news/41.html/3", page(3))
    site.add("/news/41.html/4", "/news/41.html", status=301)  # WordPress redirects a page number the post does not have
    site.add("/news/7.html", page(1).replace("single single-post", "page"))  # not a post: never asked

    source = page_source(site.url("/news/41.html"), Fetcher(delay=0, timeout=2))

    assert [url.rsplit("/", 2)[-2:] for url, _, _ in source.more] == [["41.html", "2"], ["41.html", "3"]]
    assert "第3页的内容" in source.more[1][1].decode()
    page_source(site.url("/news/7.html"), Fetcher(delay=0, timeout=2))
    assert "/news/7.html/2" not in site.requests
