"""Complete carry-over (issue 17): files downloaded once and re-linked, galleries, split posts, paged feeds.

Every file and page is served by a real HTTP server on 127.0.0.1 (the `site` fixture);
the old host's address must be gone from every imported body.
"""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.core.management import call_command

from xinwen.importer.models import ImportFlag, ImportRecord
from xinwen.importer.tests.test_feeds import export, item
from xinwen.importer.tests.test_network import article_page, run_report, sitemap
from xinwen.news.models import Article, Attachment, BodyImage

pytestmark = pytest.mark.django_db

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attachment_item(post_id: int, parent: int, url: str, title: str, caption: str = "") -> str:
    return f"""<item><title>{title}</title><wp:post_id>{post_id}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status><wp:attachment_url>{url}</wp:attachment_url>
<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded></item>"""


def serve_media(site) -> None:
    for name in ("logo", "a", "b", "c"):
        site.add(f"/wp-content/uploads/{name}.png", PNG, content_type="image/png")
    site.add("/wp-content/uploads/plan.pdf", PDF, content_type="application/pdf")
    site.add("/wp-content/uploads/fake.png", b"this is no picture", content_type="image/png")


def test_a_wxr_export_carries_images_attachments_and_galleries_over(tree, site, tmp_path):
    serve_media(site)
    up = site.url("/wp-content/uploads")
    logo = f'<p><img src="{up}/logo.png" alt=""></p>'
    wxr = export(
        item(1, "社区图书室扩建完工", body=f'{logo}<p>图书室扩建完工，新增阅览座位四十个。</p>\n\n[gallery ids="11,12"]\n\n<!--nextpage-->\n\n<p>第二页：开放时间调整为每天九点。</p>'),
        item(2, "社区举办读书分享会", body=f'{logo}<p>分享会上，居民们交流了读书心得。</p><p><img src="{up}/fake.png"></p><p><img src="{up}/missing.png"></p>'),
        attachment_item(11, 1, f"{up}/a.png", "阅览区", "新的阅览区"),
        attachment_item(12, 1, f"{up}/b.png", "书架", "靠窗的书架"),
        attachment_item(13, 1, f"{up}/plan.pdf", "扩建方案"),
    ).replace(b"<rss ", b'<rss xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" ')
    path = tmp_path / "export.xml"
    path.write_bytes(wxr)

    rows = run_report(tmp_path, str(path), "--create-categories")

    assert sorted(row["status"] for row in rows) == ["created", "created"]
    first = Article.objects.get(title="社区图书室扩建完工")
    second = Article.objects.get(title="社区举办读书分享会")
    for article in (first, second):
        assert site.base not in article.body  # the old host can be switched off
    assert first.body.count("<figure>") == 2 and "<figcaption>靠窗的书架</figcaption>" in first.body
    assert "第二页：开放时间调整为每天九点。" in first.body and "nextpage" not in first.body
    assert [a.title for a in Attachment.objects.filter(article=first)] == ["扩建方案"]
    # The logo both posts show was fetched and stored once; both link the same copy.
    assert site.requests.count("/wp-content/uploads/logo.png") == 1
    assert BodyImage.objects.count() == 3  # logo, a, b
    logo_url = json.loads(json.dumps(first.import_record.media))[f"{up}/logo.png"]
    assert logo_url in first.body and logo_url in second.body
    # Files that fail are named one by one; the article is imported without them, nothing hot-links the old site.
    media_flag = ImportFlag.objects.get(record=second.import_record, kind="media")
    assert "fake.png" in media_flag.message and "missing.png" in media_flag.message
    assert "分享会上，居民们交流了读书心得。" in second.body and second.status == Article.Status.PUBLISHED


def rss_page(items: range, *, base: str, extra: str = "") -> str:
    entries = "".join(
        f"""<item><title>第{n}条社区新闻</title><link>{base}/2024/03/05/news-{n}/</link><guid isPermaLink="false">{base}/?p={n}</guid><pubDate>Tue, 05 Mar 2024 09:{n:02d}:00 +0800</pubDate>
        <category><![CDATA[图书室]]></category><category domain="category"><![CDATA[公司新闻]]></category>
        <content:encoded><![CDATA[<p>第{n}条新闻的正文，社区工作人员介绍了近期安排。</p>]]></content:encoded>{extra}</item>"""
        for n in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>社区</title>{entries}</channel></rss>"
    )


def test_feed_pages_are_followed_and_the_category_is_the_categorys_not_a_tags(tree, site, tmp_path):
    site.add("/feed/", rss_page(range(1, 11), base=site.base), content_type="application/rss+xml")
    site.add("/feed/?paged=2", rss_page(range(11, 21), base=site.base), content_type="application/rss+xml")
    site.add("/feed/?paged=3", rss_page(range(21, 26), base=site.base), content_type="application/rss+xml")

    rows = run_report(tmp_path, site.url("/feed/"))

    assert sum(row["status"] == "created" for row in rows) == 25
    assert not [row for row in rows if row["status"] == "warning"]  # the last page was not full: the feed is complete
    assert set(Article.objects.values_list("category__name", flat=True)) == {"公司新闻"}
    assert {r.alt_path for r in ImportRecord.objects.all()} == {f"/?p={n}" for n in range(1, 26)}  # the <guid>, to redirect too


def test_a_feed_holding_only_its_newest_items_is_reported(tree, site, tmp_path):
    enclosure = f'<enclosure url="{site.url("/up/c.png")}" type="image/png" length="70"/>'
    site.add("/up/c.png", PNG, content_type="image/png")
    site.add("/feed/", rss_page(range(1, 11), base=site.base, extra=enclosure), content_type="application/rss+xml")

    rows = run_report(tmp_path, site.url("/feed/"))

    warnings = [row["error"] for row in rows if row["status"] == "warning"]
    assert len(warnings) == 1 and "只包含最新的文章" in warnings[0] and "WXR" in warnings[0]
    article = Article.objects.first()
    assert BodyImage.objects.count() == 1 and BodyImage.objects.get().file.url in article.body  # the enclosure, stored once
    assert site.requests.count("/up/c.png") == 1


def test_a_feed_item_takes_its_first_known_category(tree):
    from zoneinfo import ZoneInfo

    from xinwen.importer.feeds import feed_entries, parse_xml
    from xinwen.importer.pipeline import Source, page_prepare
    from xinwen.importer.services import category_pick

    xml = rss_page(range(1, 2), base="http://wp.example").replace(' domain="category"', "")
    entry = feed_entries(parse_xml(xml.encode()), tz=ZoneInfo("Asia/Shanghai"))[0]
    page = page_prepare(Source(ref=entry["link"], kind="entry", entry=entry), tz=ZoneInfo("Asia/Shanghai"))

    assert page.category_path == ["图书室"]  # the first one, as written
    assert category_pick(page) == ["公司新闻"]  # but 图书室 is no category of the site: the known one wins


def test_a_post_split_over_pages_is_crawled_as_one_article(tree, site, tmp_path):
    base = "/2018/03/15/laochangfang"
    nav = f'<div class="page-links">分页：<a href="{base}/">1</a><a href="{base}/2/">2</a><a href="{base}/3/">3</a></div>'
    for n, text in ((1, "第一页讲厂房的历史。"), (2, "第二页讲改造的过程。"), (3, "第三页讲居民的新生活。")):
        site.add(f"{base}/" if n == 1 else f"{base}/{n}/", article_page(1, extra=f"<p>{text}这是为测试写的段落。</p>{nav}"))
    site.add("/sitemap.xml", sitemap([site.url(f"{base}/"), site.url(f"{base}/2/"), site.url(f"{base}/3/")]), content_type="application/xml")

    rows = run_report(tmp_path, "--crawl", site.url("/"))

    assert [row["status"] for row in rows] == ["created"]
    body = Article.objects.get().body
    assert all(text in body for text in ("第一页讲厂房的历史", "第二页讲改造的过程", "第三页讲居民的新生活"))


def test_a_crawl_stays_in_scope_and_a_resumed_crawl_retries_what_failed(tree, site, tmp_path):
    for n in range(1, 5):
        site.add(f"/news/{n}.html", article_page(n))
    site.add("/news/2.html", "down for maintenance", status=503)
    site.add("/other/9.html", article_page(9))
    site.add("/news/draft/5.html", article_page(5))
    urls = [site.url(p) for p in ("/news/1.html", "/news/2.html", "/news/3.html", "/news/4.html", "/other/9.html", "/news/draft/5.html")]
    site.add("/sitemap.xml", sitemap(urls), content_type="application/xml")

    rows = run_report(tmp_path, "--crawl", site.url("/news/"), "--exclude", "/news/draft/*", "--exclude", "*/4.html")

    assert {row["ref"].rsplit("/", 1)[1]: row["status"] for row in rows} == {"1.html": "created", "2.html": "failed", "3.html": "created"}
    site.add("/news/2.html", article_page(2))  # the old server is back
    out = io.StringIO()
    call_command("import", "--crawl", site.url("/news/"), "--no-progress", "--delay", "0", stdout=out)

    assert "跳过已完成的 2 页" in out.getvalue() and "1 页上次失败，将重试" in out.getvalue()
    assert Article.objects.count() == 3


def test_an_interrupted_import_keeps_what_was_done_and_says_how_to_resume(tree, site, tmp_path, monkeypatch):
    from zoneinfo import ZoneInfo

    from xinwen.importer.pipeline import Source
    from xinwen.importer.runner import import_run
    from xinwen.importer.services import ImportOptions
    from xinwen.importer.sources import Item

    def interrupt():
        raise KeyboardInterrupt

    page = article_page(1)
    items = [Item("http://a.example/news/1.html", lambda: Source(ref="http://a.example/news/1.html", kind="html", data=page)),
             Item("http://a.example/news/2.html", interrupt), Item("http://a.example/news/3.html", interrupt)]  # fmt: skip
    summary = import_run(items, options=ImportOptions(default_category=tree["company"]), tz=ZoneInfo("Asia/Shanghai"), page_timeout=0)

    assert summary.interrupted and [row["status"] for row in summary.rows] == ["created"]
    assert Article.objects.count() == 1


def test_ctrl_c_during_a_crawl_stops_cleanly_and_the_next_run_resumes(tree, site, tmp_path):
    import signal
    import threading

    from xinwen.importer.models import CrawlState

    for n in range(1, 5):
        site.add(f"/news/{n}.html", article_page(n, extra=f'<p><img src="/img/{n}.png"></p>'))
        site.add(f"/img/{n}.png", PNG, content_type="image/png")
    site.add("/sitemap.xml", sitemap([site.url(f"/news/{n}.html") for n in range(1, 5)]), content_type="application/xml")
    # The pages are read before the import (to learn the site's template), their pictures while each is imported.
    original = site.pages["/img/3.png"]

    main = threading.main_thread().ident

    class Press(tuple):  # the operator presses Ctrl-C while page 3 is being imported: a real SIGINT
        def __iter__(self):
            # To the main thread, where the import runs: a signal sent to the process may be taken
            # by this server thread and reach the import only later, or not while it still runs.
            signal.pthread_kill(main, signal.SIGINT)
            return super().__iter__()

    site.pages["/img/3.png"] = Press(original)
    out = io.StringIO()
    # Ctrl-C as a terminal delivers it, whatever an earlier test in this process did to the handler.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        call_command("import", "--crawl", site.url("/news/"), "--no-progress", "--delay", "0", stdout=out)
    finally:
        signal.signal(signal.SIGINT, previous)

    assert "/img/3.png" in site.requests, f"page 3's picture was never requested: {site.requests}"
    assert "已中断" in out.getvalue() and "再次运行同一命令即可从中断处继续" in out.getvalue()
    assert Article.objects.count() == 2
    assert [u.rsplit("/", 1)[1] for u in CrawlState.objects.get().pending] == ["3.html", "4.html"]
    site.pages["/img/3.png"] = original

    out = io.StringIO()
    call_command("import", "--crawl", site.url("/news/"), "--no-progress", "--delay", "0", stdout=out)
    assert "跳过已完成的 2 页" in out.getvalue() and Article.objects.count() == 4


def test_a_block_themes_category_and_author_are_read_and_linked_full_size_images_are_carried_over(tree, site, tmp_path):
    site.add("/up/thumb.png", PNG, content_type="image/png")
    site.add("/up/full.png", PNG, content_type="image/png")
    html = f"""<html><head><meta charset="utf-8"><title>新建研发中心正式投入使用 – 华景集团</title></head>
    <body class="wp-singular post-template-default single single-post"><main><h1 class="wp-block-post-title">新建研发中心正式投入使用</h1>
    <div class="wp-block-post-date"><time datetime="2023-06-01T09:30:00+08:00">2023年6月1日</time></div>
    <div class="wp-block-post-author"><div class="wp-block-post-author__content"><p class="wp-block-post-author__name">李静</p></div></div>
    <div class="taxonomy-category wp-block-post-terms"><a href="{site.url('/category/news/gongsi/')}" rel="tag">公司新闻</a></div>
    <div class="entry-content wp-block-post-content"><p>新建的研发中心今天正式投入使用，三个实验室同时开放。</p>
    <figure class="wp-block-gallery"><figure class="wp-block-image"><a href="{site.url('/up/full.png')}"><img src="{site.url('/up/thumb.png')}" alt=""></a>
    <figcaption>研发中心大楼外景</figcaption></figure></figure><p>各业务单位可以通过预约系统申请使用实验设备。</p></div></main></body></html>"""
    site.add("/2023/06/01/yanfa/", html)

    rows = run_report(tmp_path, site.url("/2023/06/01/yanfa/"))

    assert rows[0]["status"] == "created", rows
    article = Article.objects.get()
    assert (article.author, article.category, article.status) == ("李静", tree["company"], Article.Status.PUBLISHED)
    # The post's container is read (the extractor would drop the caption): the picture, its caption and its
    # full-size link all come over, both files stored here.
    assert site.base not in article.body and BodyImage.objects.count() == 2
    assert "<figcaption>研发中心大楼外景</figcaption>" in article.body


def test_a_gallery_thumbnail_linked_to_its_full_size_file_links_the_stored_copy(tree, site, tmp_path):
    serve_media(site)
    up = site.url("/wp-content/uploads")
    body = (f'<p>开放日当天，来访市民参观了光伏发电屋顶。</p><figure><a href="{up}/c.png"><img src="{up}/a.png" alt=""></a><figcaption>光伏屋顶</figcaption></figure>'
            f'<figure><a href="{site.url("/?attachment_id=26")}"><img src="{up}/b.png" alt=""></a><figcaption>污水循环处理</figcaption></figure>')
    path = tmp_path / "export.xml"
    path.write_bytes(export(item(25, "绿色工厂开放日活动侧记", body=body)).replace(b"http://wp.example", site.base.encode()))

    run_report(tmp_path, str(path), "--create-categories")

    article = Article.objects.get()
    assert site.base not in article.body and BodyImage.objects.count() == 3  # a.png, c.png (linked), b.png
    assert "<figcaption>光伏屋顶</figcaption>" in article.body
