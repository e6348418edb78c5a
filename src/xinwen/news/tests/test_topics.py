"""专题: topic pages in every script with banner, introduction and articles (picked and by tag), their feed, the screen."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from xinwen.conftest import make_article
from xinwen.news import pagetags, services
from xinwen.news.errors import NotAllowed
from xinwen.news.models import Article, Topic
from xinwen.publishing.pages import public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(tree, editor):
    picked = make_article(category=tree["company"], title="精选：绿色工厂建设经验", days_ago=5)
    tagged = make_article(category=tree["industry"], title="标签收录：节能降碳新技术", days_ago=2)
    draft = make_article(category=tree["company"], title="精选但未发布", status=Article.Status.DRAFT)
    unrelated = make_article(category=tree["company"], title="与专题无关的文章", days_ago=1)
    services.article_tags_set(article=tagged, names=["绿色发展"], user=editor)
    topic = Topic(title="绿色发展专题", slug="green", intro="第一段介绍。\n\n第二段介绍。", tag=tagged.tags.get())
    services.topic_save(topic=topic, user=editor, article_ids=[picked.pk, draft.pk])
    return {"topic": topic, "picked": picked, "tagged": tagged, "draft": draft, "unrelated": unrelated}


def test_topic_page_shows_picked_and_tagged_published_articles_in_every_script(client, topic):
    page = client.get("/topic/green/").content.decode()
    assert '<h1 id="topic-title">绿色发展专题</h1>' in page
    assert '<p class="lead">第一段介绍。</p><p class="lead">第二段介绍。</p>' in page
    assert page.index("节能降碳新技术") < page.index("绿色工厂建设经验")  # newest first
    assert "精选但未发布" not in page and "与专题无关" not in page
    for prefix, title in [("/zh-hant", "綠色發展專題"), ("/zh-tw", "綠色發展專題"), ("/zh-hk", "綠色發展專題")]:
        text = client.get(f"{prefix}/topic/green/").content.decode()
        assert f'<h1 id="topic-title">{title}</h1>' in text, prefix
        assert f'href="{prefix}/article/{topic["picked"].pk}/"' in text
        assert f'href="{prefix}/feeds/topic/green/rss.xml"' in text


def test_a_private_or_missing_topic_is_a_404(client, topic, editor):
    assert client.get("/topic/nothing/").status_code == 404
    topic["topic"].is_public = False
    services.topic_save(topic=topic["topic"], user=editor)
    assert client.get("/topic/green/").status_code == 404
    assert client.get("/feeds/topic/green/rss.xml").status_code == 404


def test_topic_feed_lists_its_articles_in_the_readers_script(client, topic):
    rss = client.get("/zh-tw/feeds/topic/green/rss.xml").content.decode()
    assert "<title>綠色發展專題" in rss
    assert f"/zh-tw/article/{topic['picked'].pk}/" in rss and f"/zh-tw/article/{topic['tagged'].pk}/" in rss
    assert f"/article/{topic['unrelated'].pk}/" not in rss and f"/article/{topic['draft'].pk}/" not in rss


def test_topic_pages_are_tagged_so_publishing_a_picked_draft_drops_them(topic, rf):
    from xinwen.news.topicviews import topic_page

    class Fill:
        tags: set = set()
        used: set = set()
        max_age = None

    request = rf.get("/topic/green/")
    request.META[pagetags.ENVIRON_KEY] = fill = Fill()
    fill.tags, fill.used = set(), set()
    topic_page(request, slug="green")
    t = topic["topic"]
    assert {pagetags.topic(t.pk), pagetags.article(topic["draft"].pk), pagetags.tag_list(t.tag_id)} <= fill.tags


def test_only_editors_manage_topics(topic, author):
    with pytest.raises(NotAllowed):
        services.topic_save(topic=Topic(title="作者的专题", slug="mine"), user=author)
    assert not Topic.objects.filter(slug="mine").exists()


def test_static_output_includes_topic_pages_and_feeds(topic):
    urls = public_urls()
    for prefix in ("/", "/zh-hant/", "/zh-tw/", "/zh-hk/"):
        assert f"{prefix}topic/green/" in urls and f"{prefix}feeds/topic/green/rss.xml" in urls


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 300), (30, 120, 60)).save(buffer, "PNG")
    return SimpleUploadedFile("banner.png", buffer.getvalue(), content_type="image/png")


def test_the_back_office_screen_creates_a_topic_with_banner_and_picks(client, tree, editor, author):
    story = make_article(category=tree["company"], title="后台挑选的文章")
    client.force_login(author)
    assert client.get(reverse("admin:news_topic_add")).status_code == 403
    client.force_login(editor)
    url = reverse("admin:news_topic_add")
    assert client.get(url).status_code == 200
    data = {"title": "安全生产月", "slug": "safety", "intro": "介绍", "banner": _png(), "banner_alt": "",
            "articles": str(story.pk), "is_public": "on", "order": "0"}
    response = client.post(url, data)
    assert response.status_code == 200 and "请填写图片说明" in response.content.decode()
    data["banner"], data["banner_alt"] = _png(), "安全生产月活动现场"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Topic.objects.get(slug="safety")
    assert list(saved.articles.all()) == [story]
    page = client.get("/topic/safety/").content.decode()
    assert 'alt="安全生产月活动现场"' in page and saved.banner.url in page and "后台挑选的文章" in page
