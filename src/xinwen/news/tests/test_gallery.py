"""图集: pictures through the write path, the publish rule, the article page in every script, the admin inline."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.models import Article, GalleryImage, ImageSizes
from xinwen.news.tests.test_uploads import image_bytes
from xinwen.news.uploads import clean_image

pytestmark = pytest.mark.django_db
S = Article.Status
GALLERY = Article.Kind.GALLERY


def picture(name="p.png", size=(900, 600)):
    return clean_image(SimpleUploadedFile(name, image_bytes("PNG", size=size)))


def add_image(article, *, alt="", caption="", order=0, user=None):
    image = GalleryImage(article=article, alt=alt, caption=caption, order=order)
    image.image.save("p.png", picture(), save=False)
    return services.gallery_image_save(image=image, user=user)


@pytest.fixture
def draft(tree):
    return make_article(category=tree["company"], title="集团运动会图集", status=S.DRAFT, kind=GALLERY, body="")


def test_a_gallery_without_pictures_is_not_published(draft, editor):
    with pytest.raises(WorkflowError, match="图集至少需要一张图片"):
        services.article_publish(article=draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_picture_without_alt_stops_publishing_and_names_it(draft, editor):
    add_image(draft, alt="开幕式", order=1, user=editor)
    add_image(draft, alt="  ", order=2, user=editor)
    add_image(draft, alt="", order=3, user=editor)
    with pytest.raises(WorkflowError, match="第 2、3 张图片缺少替代文字"):
        services.article_publish(article=draft, user=editor)
    assert Article.objects.get(pk=draft.pk).status == S.DRAFT


def test_a_gallery_with_described_pictures_is_published_and_an_ordinary_article_needs_none(draft, editor, tree):
    add_image(draft, alt="开幕式", user=editor)
    services.article_publish(article=draft, user=editor)
    assert Article.objects.get(pk=draft.pk).status == S.PUBLISHED
    plain = make_article(category=tree["company"], title="普通文章", status=S.DRAFT)
    services.article_publish(article=plain, user=editor)


def test_pictures_get_generated_sizes_and_a_live_gallery_keeps_its_rules(draft, editor):
    first = add_image(draft, alt="开幕式", user=editor)
    assert ImageSizes.objects.filter(name=first.image.name).exists()
    services.article_publish(article=draft, user=editor)
    with pytest.raises(WorkflowError, match="替代文字"):
        add_image(Article.objects.get(pk=draft.pk), alt="", user=editor)
    with pytest.raises(WorkflowError, match="至少要保留一张图片"):
        services.gallery_image_delete(image=GalleryImage.objects.get(pk=first.pk), user=editor)
    second = add_image(Article.objects.get(pk=draft.pk), alt="颁奖", user=editor)
    services.gallery_image_delete(image=GalleryImage.objects.get(pk=first.pk), user=editor)
    assert list(GalleryImage.objects.values_list("pk", flat=True)) == [second.pk]


def test_only_those_who_may_edit_the_article_change_its_pictures(draft, tree, author):
    with pytest.raises(NotAllowed):
        add_image(draft, alt="x", user=author)  # not the author's article
    assert not GalleryImage.objects.exists()


def test_the_importer_path_holds_a_gallery_without_pictures_for_review(tree):
    article = Article(category=tree["company"], title="导入的图集", kind=GALLERY)
    article, _stored = services.article_import_save(
        article=article, user=None, ref="wxr:1", files={}, body_for=lambda stored: "<p>图集</p>",
        hold=False, publish=True, detail={},
    )  # fmt: skip
    assert article.status == S.REVIEW


def test_editorial_roles_hold_the_gallery_permissions_as_for_articles(author, editor):
    for user in (author, editor):
        for action in ("add", "change", "delete", "view"):
            assert user.has_perm(f"news.{action}_galleryimage"), (user, action)


@pytest.fixture
def published(draft, editor):
    add_image(draft, alt="开幕式入场", caption="运动员代表入场。", order=2, user=editor)
    add_image(draft, alt="接力赛", caption="", order=1, user=editor)
    add_image(draft, alt="颁奖仪式", caption="领导为获奖单位颁奖。", order=3, user=editor)
    return services.article_publish(article=draft, user=editor)


@pytest.mark.parametrize(
    "prefix, caption, counter",
    [
        ("", "运动员代表入场。", "第 {n} 张，共 {m} 张"),
        ("/zh-hant", "運動員代表入場。", "第 {n} 張，共 {m} 張"),
        ("/zh-tw", "運動員代表入場。", "第 {n} 張，共 {m} 張"),
        ("/zh-hk", "運動員代表入場。", "第 {n} 張，共 {m} 張"),
    ],
)
def test_the_page_shows_the_pictures_in_order_as_figures_in_every_script(client, published, prefix, caption, counter):
    html = client.get(f"{prefix}/article/{published.pk}/").content.decode()
    gallery = re.search(r'<section class="gallery".*?</section>', html, re.S).group(0)
    items = re.findall(r'<li class="gallery-item">(.*?)</li>', gallery, re.S)
    assert len(items) == 3
    assert [re.search(r'alt="([^"]*)"', item).group(1) for item in items][0] in ("接力赛", "接力賽")
    assert all("<figure>" in item for item in items)
    assert "<figcaption>" not in items[0] and f"<figcaption>{caption}</figcaption>" in items[1]
    assert f'data-template="{counter}"' in gallery
    assert re.search(r'<div class="gallery-controls" hidden>', gallery)  # no dead buttons without script
    assert "/static/news/gallery" in html
    assert 'loading="lazy"' not in items[0] and 'loading="lazy"' in items[2]


def test_an_ordinary_article_has_no_gallery_even_with_stray_pictures(client, tree, editor):
    article = make_article(category=tree["company"], title="普通文章")
    add_image(article, alt="残留图片", user=editor)
    html = client.get(f"/article/{article.pk}/").content.decode()
    assert 'class="gallery"' not in html and "news/gallery" not in html


# --- the back office: the inline with its management form ---------------------------------

ADD = "admin:news_article_add"


def _form(category, **overrides):
    from xinwen.conftest import form_data

    return form_data(category, kind=GALLERY, body="", **overrides)


def _named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _rows(*rows):
    data = {"gallery_images-TOTAL_FORMS": str(len(rows))}
    for i, (file, alt, caption) in enumerate(rows):
        data.update({
            f"gallery_images-{i}-image": file, f"gallery_images-{i}-alt": alt,
            f"gallery_images-{i}-caption": caption, f"gallery_images-{i}-order": str(i),
        })  # fmt: skip
    return data


def test_an_editor_adds_a_gallery_with_pictures_and_publishes_it_in_one_go(client, tree, editor):
    client.force_login(editor)
    data = _form(tree["company"], _publish="发布", **_rows(
        (_named(image_bytes("PNG", size=(800, 500)), "入场.png"), "开幕式入场", "运动员代表入场。"),
        (_named(image_bytes("JPEG", size=(800, 500)), "颁奖.jpg"), "颁奖仪式", ""),
    ))  # fmt: skip
    data.pop("_save")
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.kind == GALLERY and article.status == S.PUBLISHED
    names = [g.image.name for g in article.gallery_images.all()]
    assert len(names) == 2 and all(n.startswith("gallery/") for n in names)
    assert ImageSizes.objects.filter(name__in=names).count() == 2


def test_the_form_asks_for_alt_text_and_checks_the_picture(client, tree, editor):
    client.force_login(editor)
    response = client.post(reverse(ADD), _form(tree["company"], **_rows((_named(image_bytes("PNG"), "a.png"), "", ""))))
    assert response.status_code == 200 and "请填写替代文字" in response.content.decode()
    bad = _named(b"<?php system($_GET['c']); ?>", "a.png")
    response = client.post(reverse(ADD), _form(tree["company"], **_rows((bad, "图片", ""))))
    assert response.status_code == 200 and "有效的图片" in response.content.decode()
    assert not Article.objects.exists() and not GalleryImage.objects.exists()


def test_publishing_an_empty_gallery_from_the_form_says_why(client, tree, editor):
    client.force_login(editor)
    data = _form(tree["company"], _publish="发布")
    data.pop("_save")
    response = client.post(reverse(ADD), data, follow=True)
    assert "图集至少需要一张图片" in response.content.decode()
    assert Article.objects.get().status == S.DRAFT


def test_removing_every_picture_of_a_published_gallery_is_a_form_error(client, published, editor, tree):
    client.force_login(editor)
    images = list(published.gallery_images.all())
    data = _form(tree["company"], title=published.title, **{
        "gallery_images-TOTAL_FORMS": str(len(images)), "gallery_images-INITIAL_FORMS": str(len(images)),
    })  # fmt: skip
    for i, image in enumerate(images):
        data.update({
            f"gallery_images-{i}-id": str(image.pk), f"gallery_images-{i}-article": str(published.pk),
            f"gallery_images-{i}-alt": image.alt, f"gallery_images-{i}-caption": image.caption,
            f"gallery_images-{i}-order": str(image.order), f"gallery_images-{i}-DELETE": "on",
        })  # fmt: skip
    response = client.post(reverse("admin:news_article_change", args=[published.pk]), data)
    assert response.status_code == 200 and "至少要保留一张图片" in response.content.decode()
    assert GalleryImage.objects.filter(article=published).count() == 3
