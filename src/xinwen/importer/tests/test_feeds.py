"""WordPress exports: only public posts are published, the category tree is kept, bodies come out clean."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from xinwen.importer.feeds import parse_xml, wp_body, wxr_entries
from xinwen.importer.pipeline import Source, page_prepare

TZ = ZoneInfo("Asia/Shanghai")


def item(post_id, title, *, status="publish", post_type="post", password="", body="<p>正文第一段，介绍社区图书室的新安排。</p>"):
    return f"""<item><title>{title}</title><link>http://wp.example/?p={post_id}</link><dc:creator>zhou</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{post_id}</wp:post_id>
<wp:post_date>2019-05-06 08:00:00</wp:post_date><wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
<wp:post_password>{password}</wp:post_password><category domain="category" nicename="shequ"><![CDATA[社区动态]]></category>
<category domain="post_tag" nicename="library"><![CDATA[图书室]]></category></item>"""


def export(*items: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>滨江社区时讯</title>
<wp:author><wp:author_login>zhou</wp:author_login><wp:author_display_name>周明</wp:author_display_name></wp:author>
<wp:category><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>新闻中心</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>shequ</wp:category_nicename><wp:category_parent>news</wp:category_parent><wp:cat_name>社区动态</wp:cat_name></wp:category>
{"".join(items)}</channel></rss>""".encode()


def test_only_public_posts_are_taken_and_a_password_protected_one_is_held():
    entries = wxr_entries(parse_xml(export(
        item(1, "公开的文章"), item(2, "草稿", status="draft"), item(3, "私密", status="private"),
        item(4, "关于我们", post_type="page"), item(5, "加密的文章", password="secret"),
    )), tz=TZ)  # fmt: skip

    assert [e["title"] for e in entries] == ["公开的文章", "加密的文章"]
    pages = [page_prepare(Source(ref=e["link"], kind="entry", entry=e), tz=TZ) for e in entries]
    assert [p.hold for p in pages] == [False, True]
    assert any("密码" in f.message for f in pages[1].flags)


def test_the_category_keeps_its_parent_and_a_tag_is_not_the_category():
    entry = wxr_entries(parse_xml(export(item(1, "公开的文章"))), tz=TZ)[0]
    page = page_prepare(Source(ref=entry["link"], kind="entry", entry=entry), tz=TZ)

    assert page.category_path == ["新闻中心", "社区动态"]
    assert page.author == "周明"


def test_block_comments_empty_paragraphs_and_captions_become_clean_markup():
    raw = (
        "<!-- wp:paragraph -->\n<p>第一段。</p>\n<!-- /wp:paragraph -->\n\n<p><br></p>\n\n<p>&nbsp;</p>\n\n"
        '[caption id="attachment_9" align="aligncenter" width="600"]<img src="http://wp.example/a.jpg" alt=""> 新落成的活动室[/caption]'
    )
    body = wp_body(raw)

    assert "wp:" not in body and "<p><br></p>" not in body and "<p>&nbsp;</p>" not in body and "[caption" not in body
    assert '<figure><img src="http://wp.example/a.jpg" alt=""><figcaption>新落成的活动室</figcaption></figure>' in body
    assert "<p>第一段。</p>" in body
