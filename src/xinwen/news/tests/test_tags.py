"""标签: the write path for tags, tag pages in every script, links from the article page, purge tags."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.hanzi.pinyin import pinyin_slug
from xinwen.news import pagetags, services
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.models import Article, AuditEntry, Tag
from xinwen.news.purges import article_purge_tags
from xinwen.news.selectors import article_placement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("数字化转型", "shu-zi-hua-zhuan-xing"),
        ("數字化轉型", "shu-zi-hua-zhuan-xing"),  # the same words in Traditional: the same slug
        ("AI 大模型", "ai-da-mo-xing"),
        ("5G网络", "5g-wang-luo"),
        ("！？", ""),
    ],
)
def test_pinyin_slug(text, slug):
    assert pinyin_slug(text) == slug


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("安全生产，数字化, 党建", ["安全生产", "数字化", "党建"]),
        ("安全生产、安全生产；乡村振兴  ", ["安全生产", "乡村振兴"]),
        ("", []),
    ],
)
def test_tag_names_parse(typed, names):
    assert services.tag_names_parse(typed) == names


def test_tag_names_parse_refuses_too_many_and_too_long():
    with pytest.raises(WorkflowError, match="最多 10 个标签"):
        services.tag_names_parse(",".join(f"标签{i}" for i in range(11)))
    with pytest.raises(WorkflowError, match="太长"):
        services.tag_names_parse("长" * 31)


def test_article_tags_set_creates_tags_once_with_unique_slugs(tree, editor):
    first = make_article(category=tree["company"])
    second = make_article(category=tree["industry"])
    services.article_tags_set(article=first, names=["数字化", "安全生产"], user=editor)
    services.article_tags_set(article=second, names=["數字化"], user=editor)  # another tag: another script's name
    services.article_tags_set(article=second, names=["数字化"], user=editor)
    assert Tag.objects.count() == 3
    assert set(Tag.objects.values_list("slug", flat=True)) == {"shu-zi-hua", "shu-zi-hua-2", "an-quan-sheng-chan"}
    assert list(second.tags.values_list("name", flat=True)) == ["数字化"]
    assert AuditEntry.objects.filter(object_id=str(second.pk), detail__fields=["tags"]).count() == 2


def test_an_author_cannot_tag_someone_elses_article(tree, author, editor):
    story = make_article(category=tree["company"], created_by=editor)
    with pytest.raises(NotAllowed):
        services.article_tags_set(article=story, names=["数字化"], user=author)
    assert not Tag.objects.exists()


def test_tag_page_lists_only_published_articles_in_every_script(client, tree, editor):
    shown = make_article(category=tree["company"], title="网络安全宣传周活动")
    draft = make_article(category=tree["company"], title="草稿不可见", status=Article.Status.DRAFT)
    other = make_article(category=tree["industry"], title="没有标签的文章")
    for item in (shown, draft):
        services.article_tags_set(article=item, names=["网络安全"], user=editor)
    tag = Tag.objects.get(name="网络安全")
    assert tag.get_absolute_url() == "/tag/wang-luo-an-quan/"

    page = client.get("/tag/wang-luo-an-quan/").content.decode()
    assert "网络安全宣传周活动" in page and "草稿不可见" not in page and other.title not in page
    assert "<h1>标签：网络安全</h1>" in page

    for prefix, heading, title in [
        ("/zh-hant", "標籤：網路安全", "網絡安全宣傳周活動"),
        ("/zh-tw", "標籤：網路安全", "網路安全宣傳週活動"),
        ("/zh-hk", "標籤：網絡安全", "網絡安全宣傳周活動"),
    ]:
        response = client.get(f"{prefix}/tag/wang-luo-an-quan/")
        assert response.status_code == 200
        text = response.content.decode()
        assert f'href="{prefix}/article/{shown.pk}/"' in text
        assert "標籤" in text and "网络" not in text, prefix


def test_tag_page_404s(client, tree, editor):
    assert client.get("/tag/no-such-tag/").status_code == 404
    draft = make_article(category=tree["company"], status=Article.Status.DRAFT)
    services.article_tags_set(article=draft, names=["未发布"], user=editor)
    response = client.get(Tag.objects.get().get_absolute_url())
    assert response.status_code == 404  # no published article carries it yet: no page to index
    published = make_article(category=tree["company"])
    services.article_tags_set(article=published, names=["未发布"], user=editor)
    assert client.get(Tag.objects.get().get_absolute_url() + "?page=2").status_code == 404


def test_article_page_links_to_its_tags(client, tree, editor):
    story = make_article(category=tree["company"])
    services.article_tags_set(article=story, names=["乡村振兴", "党建"], user=editor)
    page = client.get(f"/zh-tw/article/{story.pk}/").content.decode()
    assert '<a href="/zh-tw/tag/xiang-cun-zhen-xing/" rel="tag">鄉村振興</a>' in page
    assert '<a href="/zh-tw/tag/dang-jian/" rel="tag">黨建</a>' in page


def test_changing_tags_drops_the_old_and_new_tag_pages(tree, editor):
    story = make_article(category=tree["company"])
    services.article_tags_set(article=story, names=["旧标签"], user=editor)
    old_tag = Tag.objects.get(name="旧标签")
    before = article_placement(story.pk)
    services.article_tags_set(article=story, names=["新标签"], user=editor)
    new_tag = Tag.objects.get(name="新标签")
    after = article_placement(story.pk)
    tags = article_purge_tags(article_id=story.pk, old=before, new=after)
    assert {pagetags.tag_list(old_tag.pk), pagetags.tag_list(new_tag.pk)} <= tags
    # An edit in place touches no tag page: the page lists the title, dropped by article:<id>.
    assert not any(t.startswith("tag:") for t in article_purge_tags(article_id=story.pk, old=after, new=after))
    # No memo: every tag page.
    assert pagetags.TAGS in article_purge_tags(article_id=story.pk, old=None, new=after)


def test_article_form_saves_tags_through_the_service(client, tree, editor):
    story = make_article(category=tree["company"], title="表单标签测试")
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[story.pk])
    form = client.get(url).content.decode()
    assert 'name="tag_names"' in form
    data = {
        "title": story.title, "category": tree["company"].pk, "body": story.body, "status": story.status,
        "publish_at_0": story.publish_at.strftime("%Y-%m-%d"), "publish_at_1": story.publish_at.strftime("%H:%M:%S"),
        "tag_names": "数字化，安全生产", "source_script": story.source_script,
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "gallery_images-TOTAL_FORMS": "0", "gallery_images-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(story.tags.values_list("name", flat=True)) == ["安全生产", "数字化"]
    assert "数字化，安全生产" in client.get(url).content.decode() or "安全生产，数字化" in client.get(url).content.decode()
