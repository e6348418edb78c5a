"""A post in several categories and with 标签 keeps them: its own category by WordPress's rule, the others as
同时发布到 where the site allows it, its tags as tags; what a source cannot say is reported, never guessed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from xinwen.importer.extract import extract_page, parse_html
from xinwen.importer.models import ImportFlag, ImportRecord
from xinwen.importer.tests.test_carryover import rss_page
from xinwen.importer.tests.test_network import run_report
from xinwen.news.models import Article, Category, SiteSettings
from xinwen.news.services import site_settings_save

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def export(*, categories: list[tuple[str, str]], tags: list[str], post_id: int = 7) -> bytes:
    """A WordPress export whose category list gives 社区动态 (under 新闻中心) a lower term id than 通知公告."""
    terms = "".join(f'<category domain="category" nicename="{slug}"><![CDATA[{name}]]></category>' for slug, name in categories)
    terms += "".join(f'<category domain="post_tag" nicename="t{i}"><![CDATA[{name}]]></category>' for i, name in enumerate(tags))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>滨江社区时讯</title>
<wp:category><wp:term_id>9</wp:term_id><wp:category_nicename>tongzhi</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>通知公告</wp:cat_name></wp:category>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>新闻中心</wp:cat_name></wp:category>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>shequ</wp:category_nicename><wp:category_parent>news</wp:category_parent><wp:cat_name>社区动态</wp:cat_name></wp:category>
<item><title>社区图书室延长开放时间</title><link>http://wp.example/shequ/{post_id}.html</link><dc:creator>zhou</dc:creator>
<content:encoded><![CDATA[<p>即日起，社区图书室每天开放到晚上九点，方便下班后的居民借阅。</p>]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>2024-05-06 00:30:00</wp:post_date_gmt><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>{terms}</item></channel></rss>""".encode()


def cross_listing(on: bool) -> None:
    site_settings_save(site_settings=SiteSettings(cross_listing=on), user=None, changed_fields=["cross_listing"])


def path_of(category: Category) -> list[str]:
    names = []
    while category is not None:
        names.insert(0, category.name)
        category = category.parent
    return names


def test_a_wxr_post_in_two_categories_is_listed_in_both_and_keeps_its_tags(tmp_path):
    cross_listing(True)
    source = tmp_path / "wordpress.xml"
    # The export lists 通知公告 first (by name); WordPress's own category is the one with the lower term id.
    source.write_bytes(export(categories=[("tongzhi", "通知公告"), ("shequ", "社区动态")], tags=["图书室", "便民服务"]))

    rows = run_report(tmp_path, str(source), "--create-categories")

    assert [row["status"] for row in rows] == ["created"]
    assert rows[0]["also_in"] == ["通知公告"] and rows[0]["tags"] == ["图书室", "便民服务"]
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert path_of(article.category) == ["新闻中心", "社区动态"]
    assert [c.name for c in article.also_in.all()] == ["通知公告"]
    assert sorted(article.tags.values_list("name", flat=True)) == ["便民服务", "图书室"]
    notices = Category.objects.get(name="通知公告")
    assert article in Article.objects.published().in_sections([notices.pk], cross_listed=True)
    assert not ImportFlag.objects.filter(kind="listing").exists()

    # The same export again: nothing changed, nothing written.
    again = run_report(tmp_path, str(source), "--create-categories")
    assert [row["status"] for row in again] == ["unchanged"]


def test_where_the_site_lists_an_article_in_one_section_the_other_category_is_reported_not_lost_silently(tmp_path):
    cross_listing(False)
    source = tmp_path / "wordpress.xml"
    source.write_bytes(export(categories=[("shequ", "社区动态"), ("tongzhi", "通知公告")], tags=["图书室"]))

    rows = run_report(tmp_path, str(source), "--create-categories")

    article = Article.objects.get()
    assert rows[0]["status"] == "created" and article.status == Article.Status.PUBLISHED  # not held for it
    assert article.category.name == "社区动态" and not article.also_in.exists()
    flag = ImportFlag.objects.get(kind="listing")
    assert "通知公告" in flag.message and "未开启" in flag.message and not flag.hold
    assert list(article.tags.values_list("name", flat=True)) == ["图书室"]  # tags need no setting


def test_a_further_category_the_site_lacks_is_reported_without_create_categories(tree, tmp_path):
    cross_listing(True)
    source = tmp_path / "wordpress.xml"
    source.write_bytes(export(categories=[("shequ", "社区动态"), ("tongzhi", "失物招领")], tags=[]).replace(
        "通知公告".encode(), "失物招领".encode()))  # fmt: skip
    Category.objects.create(name="社区动态", slug="shequ", parent=tree["root"])

    rows = run_report(tmp_path, str(source))

    assert rows[0]["status"] == "created"
    article = Article.objects.get()
    assert article.category.name == "社区动态" and not article.also_in.exists()
    assert "失物招领" in ImportFlag.objects.get(kind="listing").message
    assert not Category.objects.filter(name="失物招领").exists()


CLASSIC = """<html><head><title>{title} – 滨江社区</title></head><body class="single">
<article><header class="entry-header"><h1 class="entry-title">{title}</h1>
<time class="entry-date published" datetime="2024-05-06T08:30:00+08:00">2024年5月6日</time></header>
<div class="entry-content"><p>即日起，社区图书室每天开放到晚上九点，方便下班后的居民借阅。</p>
<p>图书室新增了少儿读物和大字本图书，欢迎居民前来借阅。</p></div>
<footer class="entry-footer"><span class="cat-links">{categories}</span><span class="tags-links">{tags}</span></footer>
</article></body></html>"""


def test_a_crawled_post_takes_the_category_its_address_names_and_lists_the_others_and_its_tags():
    categories = ('<a href="http://wp.example/category/tongzhi/" rel="category tag">通知公告</a>, '
                  '<a href="http://wp.example/category/news/shequ/" rel="category tag">社区动态</a>')  # fmt: skip
    tags = '<a href="http://wp.example/tag/books/" rel="tag">图书室</a><a href="http://wp.example/tag/x/" rel="tag">便民服务</a>'
    html = CLASSIC.format(title="社区图书室延长开放时间", categories=categories, tags=tags)

    found = extract_page(parse_html(html), url="http://wp.example/news/shequ/7.html")

    assert found.breadcrumb == ["社区动态"]  # /news/shequ/7.html: WordPress's %category% is the post's own
    assert found.also_in == [["通知公告"]] and found.also_in_links == ["http://wp.example/category/tongzhi/"]
    assert found.tags == ["图书室", "便民服务"]


def test_a_block_themes_category_links_are_no_tags():
    block = ('<div class="taxonomy-category wp-block-post-terms"><a href="http://wp.example/category/shequ/" rel="tag">社区动态</a></div>'
             '<div class="taxonomy-post_tag wp-block-post-terms"><a href="http://wp.example/tag/books/" rel="tag">图书室</a></div>')  # fmt: skip
    html = CLASSIC.format(title="社区图书室延长开放时间", categories="", tags="").replace("</article>", block + "</article>")

    found = extract_page(parse_html(html), url="http://wp.example/shequ/7.html")

    assert found.breadcrumb == ["社区动态"] and found.also_in == []
    assert found.tags == ["图书室"]


def test_a_feed_that_mixes_categories_and_tags_says_what_it_could_not_carry(tree, site, tmp_path):
    site.add("/feed/", rss_page(range(1, 4), base=site.base).replace(' domain="category"', ""), content_type="application/rss+xml")

    rows = run_report(tmp_path, site.url("/feed/"))

    assert sum(row["status"] == "created" for row in rows) == 3
    warnings = [row["error"] for row in rows if row["status"] == "warning"]
    assert len(warnings) == 1 and "不区分栏目与标签" in warnings[0] and "WXR" in warnings[0]
    assert not ImportRecord.objects.filter(article__tags__isnull=False).exists()  # nothing guessed into a tag
