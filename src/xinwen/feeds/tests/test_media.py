"""Video and 图集 reach the machines too: feed enclosures and content, JSON-LD, and the API, in every script."""

from __future__ import annotations

import re

import extruct
import feedparser
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from xinwen.conftest import make_article
from xinwen.feeds.tests.conftest import ORIGIN
from xinwen.feeds.tests.test_feeds import parse
from xinwen.hanzi.tests.conftest import add_cover
from xinwen.news import services
from xinwen.news.models import Article, GalleryImage
from xinwen.news.tests.mp4_sample import mp4_bytes
from xinwen.news.tests.test_uploads import image_bytes
from xinwen.news.uploads import clean_image

pytestmark = pytest.mark.django_db

HOSTILE_CAPTION = '运动会<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture
def video_article(tree, site):
    article = make_article(
        category=tree["company"],
        title="集团年度工作会议视频",
        body="<p>会议现场视频。</p>",
        video=SimpleUploadedFile("v.mp4", mp4_bytes()),
        video_poster=SimpleUploadedFile("p.png", image_bytes("PNG")),
    )
    add_cover(article)
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def gallery_article(tree, site, editor):
    article = make_article(category=tree["company"], title="集团运动会图集", kind=Article.Kind.GALLERY, body="")
    for order, (alt, caption) in enumerate([("开幕式", "运动员入场，观众欢呼"), ("颁奖", HOSTILE_CAPTION)]):
        image = GalleryImage(article=article, alt=alt, caption=caption, order=order)
        image.image.save("p.png", clean_image(SimpleUploadedFile("p.png", image_bytes("PNG", size=(900, 600)))), save=False)
        services.gallery_image_save(image=image, user=editor)
    return Article.objects.get(pk=article.pk)


def entry_of(feed, title: str):
    (entry,) = [e for e in feed.entries if title in e.title]
    return entry


def test_rss_encloses_the_video_and_atom_the_video_and_the_cover(client, video_article):
    video_url = ORIGIN + video_article.video.url
    rss = entry_of(parse(client, "/feeds/rss.xml"), "工作会议视频")
    assert [(e.href, e.type, int(e.length)) for e in rss.enclosures] == [(video_url, "video/mp4", video_article.video.size)]
    atom = entry_of(parse(client, "/feeds/atom.xml"), "工作会议视频")
    assert [(e.href, e.type) for e in atom.enclosures] == [(video_url, "video/mp4"), (ORIGIN + video_article.cover.url, "image/png")]


@pytest.mark.parametrize("prefix, download", [("", "下载视频"), ("/zh-tw", "下載影片")])
def test_a_video_articles_content_starts_with_its_player(client, video_article, prefix, download):
    content = entry_of(parse(client, f"{prefix}/feeds/rss.xml"), "工作會議" if prefix else "工作会议").content[0].value
    player = re.match(r"<figure><video [^>]*>.*?</video></figure>", content, re.S)
    assert player, content[:200]
    assert f'src="{ORIGIN}{video_article.video.url}"' in player.group(0)
    assert f'poster="{ORIGIN}{video_article.video_poster.url}"' in player.group(0)
    assert download in player.group(0)
    assert "現場" in content if prefix else "现场" in content  # the body follows, converted


@pytest.mark.parametrize("prefix, caption", [("", "运动员入场，观众欢呼"), ("/zh-tw", "運動員入場，觀眾歡呼")])
def test_a_gallerys_content_carries_every_picture_with_its_caption_escaped(client, gallery_article, prefix, caption):
    content = entry_of(parse(client, f"{prefix}/feeds/rss.xml"), "圖集" if prefix else "图集").content[0].value
    figures = re.findall(r"<figure><img ([^>]*)>(?:<figcaption>(.*?)</figcaption>)?</figure>", content)
    assert len(figures) == 2
    assert [re.search(r'alt="([^"]*)"', attrs).group(1) for attrs, _ in figures] == (
        ["開幕式", "頒獎"] if prefix else ["开幕式", "颁奖"]
    )
    assert all(re.search(rf'src="{ORIGIN}/media/[^"]+"', attrs) and 'width="' in attrs for attrs, _ in figures)
    assert figures[0][1] == caption
    # The hostile caption is text: no element, no attribute, no handler comes out of it.
    assert "<script" not in content and "onerror=alert(2)>" not in content
    assert "&lt;script&gt;" in figures[1][1]


def test_the_json_ld_describes_the_video_and_lists_the_gallerys_pictures(client, video_article, gallery_article):
    url = ORIGIN + video_article.get_absolute_url()
    html = client.get(video_article.get_absolute_url()).content.decode()
    (news,) = [i for i in extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"] if i["@type"] == "NewsArticle"]
    video = news["video"]
    assert video["@type"] == "VideoObject" and video["name"] == news["headline"]
    assert video["contentUrl"] == ORIGIN + video_article.video.url
    assert video["thumbnailUrl"][0] == ORIGIN + video_article.video_poster.url
    assert video["uploadDate"] == news["datePublished"]

    url = ORIGIN + gallery_article.get_absolute_url()
    html = client.get(gallery_article.get_absolute_url()).content.decode()
    (news,) = [i for i in extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"] if i["@type"] == "NewsArticle"]
    assert "video" not in news
    shown = re.findall(r'<li class="gallery-item"><figure><picture>.*?<img src="([^"]+)"', html)
    assert len(shown) == 2 and news["image"] == [ORIGIN + src for src in shown]  # what the page shows, in order


def test_the_api_gives_the_kind_the_video_and_the_pictures(client, video_article, gallery_article):
    data = client.get(f"/api/v1/articles/{video_article.pk}").json()
    assert data["kind"] == "article" and data["gallery"] == []
    assert data["video"] == {
        "url": ORIGIN + video_article.video.url,
        "type": "video/mp4",
        "size": video_article.video.size,
        "poster": ORIGIN + video_article.video_poster.url,
        "captions": None,
    }
    data = client.get(f"/api/v1/articles/{gallery_article.pk}?variant=zh-tw").json()
    assert data["kind"] == "gallery" and data["video"] is None
    assert [(p["alt"], p["caption"]) for p in data["gallery"]] == [
        ("開幕式", "運動員入場，觀眾歡呼"),
        ("頒獎", HOSTILE_CAPTION.replace("运动会", "運動會")),  # JSON carries text; escaping is the client's page's job
    ]
    assert all(p["url"].startswith(ORIGIN + "/media/") and p["width"] == 900 for p in data["gallery"])


def test_a_feed_of_galleries_costs_one_query_for_all_their_pictures(client, tree, site, editor, django_assert_max_num_queries):
    def gallery(n):
        article = make_article(category=tree["company"], title=f"图集{n}", kind=Article.Kind.GALLERY, body="")
        image = GalleryImage(article=article, alt=f"图{n}", order=0)
        image.image.save("p.png", clean_image(SimpleUploadedFile("p.png", image_bytes("PNG", size=(400, 300)))), save=False)
        services.gallery_image_save(image=image, user=editor)

    gallery(1)
    client.get("/feeds/rss.xml")  # warm the per-process caches (site settings, glossary)
    cache.clear()
    with django_assert_max_num_queries(40) as few:
        assert feedparser.parse(client.get("/feeds/rss.xml").content).entries
    for n in range(2, 8):
        gallery(n)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        entries = feedparser.parse(client.get("/feeds/rss.xml").content).entries
    assert sum("<figure><img" in e.content[0].value for e in entries) == 7
