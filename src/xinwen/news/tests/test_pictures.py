"""Pictures as readers get them: sizes generated at upload, <picture> with srcset on pages, own URLs only."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xinwen.conftest import make_article, make_user
from xinwen.news import services
from xinwen.news.content_checks import NeedsConfirmation, missing_alt_findings
from xinwen.news.models import Article, ImageSizes, SiteSettings
from xinwen.news.pictures import PictureSet, media_name, responsive_html
from xinwen.news.sanitize import sanitize_html
from xinwen.news.uploads import clean_image


def jpeg(width: int, height: int, *, orientation: int | None = None) -> bytes:
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0110] = "XW-Phone 12"
    if orientation:
        exif[0x0112] = orientation
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def upload(width=4000, height=3000, **kwargs):
    return clean_image(SimpleUploadedFile("现场.jpg", jpeg(width, height, **kwargs), content_type="image/jpeg"))


SET = PictureSet("images/2026/01/abc.jpg", 4000, 3000, (320, 640, 960, 1280), ".jpg")


# --- rewriting bodies (pure) ------------------------------------------------------------------


def test_an_own_picture_becomes_a_picture_with_webp_srcset_sizes_and_its_proportions():
    html = responsive_html('<p><img src="/media/images/2026/01/abc.jpg" alt="签约&amp;仪式"></p>', {SET.name: SET})

    assert html.startswith('<p><picture><source type="image/webp" srcset="/media/images/2026/01/abc.w320.webp 320w, ')
    assert '/media/images/2026/01/abc.w1280.webp 1280w"' in html
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'src="/media/images/2026/01/abc.w1280.jpg"' in img
    assert "abc.w640.jpg 640w" in img and 'sizes="(max-width: 50rem) calc(100vw - 2rem), 48rem"' in img
    assert 'width="1280" height="960"' in img
    assert 'alt="签约&amp;仪式"' in img
    assert "abc.jpg" not in html.replace("abc.w", ""), "the original is never on the page"


def test_only_the_first_picture_loads_at_once():
    body = '<img src="/media/images/2026/01/abc.jpg" alt="一"><img src="/media/images/2026/01/abc.jpg" alt="二">'
    first, second = re.findall(r"<img [^>]*>", responsive_html(body, {SET.name: SET}))
    assert 'loading="lazy"' not in first and 'loading="lazy"' in second
    # Below a cover, every body picture waits until it is scrolled near.
    assert all('loading="lazy"' in tag for tag in re.findall(r"<img [^>]*>", responsive_html(body, {SET.name: SET}, eager=0)))


@pytest.mark.parametrize(
    "body",
    [
        '<img src="https://elsewhere.example/media/images/2026/01/abc.jpg" alt="外站">',
        '<img src="/media/images/2026/01/other.jpg" alt="没有尺寸的旧图">',
        '<img src="/media/images/2026/01/abc.jpg?x=1" alt="带参数">',
    ],
)
def test_other_pictures_stay_as_they_are(body):
    assert responsive_html(body, {SET.name: SET}) == body


def test_media_names_come_only_from_the_sites_own_media_url():
    assert media_name("/media/images/2026/01/abc.jpg") == "images/2026/01/abc.jpg"
    assert media_name("/media/images/../../secret.jpg") == ""
    assert media_name("/static/news/logo.png") == ""


# --- the sanitiser ----------------------------------------------------------------------------


def test_the_sanitiser_keeps_a_srcset_of_the_sites_own_media_and_leaves_picture_to_the_page():
    html = responsive_html('<img src="/media/images/2026/01/abc.jpg" alt="图">', {SET.name: SET}, eager=0)
    img = re.search(r"<img [^>]*>", html).group(0)
    assert sanitize_html(html) == img  # <picture>/<source> are the page's to write, never stored


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<img src="/media/a.jpg" srcset="https://tracker.example/p.gif 1x">', '<img src="/media/a.jpg">'),
        ('<img src="/media/a.jpg" srcset="/media/a.w320.jpg 320w, //tracker.example/p.gif 640w">', '<img src="/media/a.jpg">'),
        ('<picture><source srcset="https://tracker.example/p.webp" type="image/webp"><img src="/media/a.jpg"></picture>', '<img src="/media/a.jpg">'),
        ('<img src="/media/a.jpg" loading="sometimes" decoding="never">', '<img src="/media/a.jpg">'),
        ('<img src="/media/a.jpg" sizes="url(https://tracker.example/)">', '<img src="/media/a.jpg">'),
        ('<source src="https://tracker.example/v.mp4" type="video/mp4">', ""),
    ],
)
def test_the_sanitiser_drops_srcsets_and_values_that_are_not_the_sites_own(dirty, clean):
    assert sanitize_html(dirty) == clean


# --- generation at upload, through the write path -----------------------------------------------


@pytest.mark.django_db
def test_an_uploaded_body_image_is_stored_once_and_gets_its_sizes(tree):
    editor = make_user("editor", role="编辑")
    image = services.body_image_create(upload=upload(), user=editor)

    sizes = ImageSizes.objects.get(name=image.file.name)
    assert (sizes.width, sizes.height, sizes.widths, sizes.ext) == (4000, 3000, [320, 640, 960, 1280], ".jpg")
    stem = image.file.name.rsplit(".", 1)[0]
    for width in sizes.widths:
        for ext in (".jpg", ".webp"):
            with default_storage.open(f"{stem}.w{width}{ext}") as handle, Image.open(handle) as copy:
                assert copy.width == width and not copy.getexif()
    with image.file.open() as handle, Image.open(handle) as original:
        assert original.size == (4000, 3000), "the original is kept at full size"


@pytest.mark.django_db
def test_a_portrait_phone_photo_is_upright_in_every_size(tree):
    image = services.body_image_create(upload=upload(1600, 1200, orientation=6), user=None)
    sizes = ImageSizes.objects.get(name=image.file.name)
    assert (sizes.width, sizes.height) == (1200, 1600)


@pytest.mark.django_db
def test_the_watermark_is_on_the_sizes_and_never_on_the_original(tree):
    services.site_settings_save(
        site_settings=SiteSettings(watermark_text="XW NEWS", watermark_opacity=100), user=None, changed_fields=["watermark_text"]
    )
    raw = upload(1200, 900)
    raw.seek(0)
    uploaded = raw.read()
    raw.seek(0)
    image = services.body_image_create(upload=raw, user=None)

    with image.file.open() as handle:
        assert handle.read() == uploaded
    assert ImageSizes.objects.get(name=image.file.name).watermarked
    # Taking the watermark off and rebuilding writes clean sizes from the untouched original.
    services.site_settings_save(site_settings=SiteSettings(), user=None, changed_fields=["watermark_text"])
    assert services.image_sizes_rebuild() == 1
    assert not ImageSizes.objects.get(name=image.file.name).watermarked


@pytest.mark.django_db
def test_a_text_watermark_needs_a_font_that_can_write_it(tree, settings):
    from xinwen.news.images import text_font
    from xinwen.news.errors import WorkflowError

    settings.WATERMARK_FONT = ""
    site = SiteSettings(watermark_text="示例新闻中心")
    if text_font("示例新闻中心") is None:
        with pytest.raises(WorkflowError, match="中文的字体"):
            services.site_settings_save(site_settings=site, user=None, changed_fields=["watermark_text"])
    else:
        services.site_settings_save(site_settings=site, user=None, changed_fields=["watermark_text"])


@pytest.mark.django_db
def test_a_new_cover_gets_its_sizes_when_the_article_is_saved(tree):
    article = Article(category=tree["company"], title="封面测试")
    article.cover.save("cover.jpg", upload(2000, 1000), save=False)
    services.article_save(article=article, user=None)
    assert ImageSizes.objects.get(name=article.cover.name).widths == [320, 640, 960, 1280]


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_article_page_serves_body_pictures_and_the_cover_in_sizes(client, tree):
    image = services.body_image_create(upload=upload(), user=None)
    body = f'<p>现场。</p><p><img src="{image.file.url}" alt="现场照片"></p>'
    article = Article(category=tree["company"], title="图片新闻", body=body)
    article.cover.save("cover.jpg", upload(1600, 900), save=False)
    services.article_save(article=article, user=None)
    services.article_publish(article=article, user=None)

    page = client.get(article.get_absolute_url()).content.decode()

    assert page.count("<picture>") == 2
    cover = re.search(r'<figure class="cover"><picture>.*?</picture>', page).group(0)
    assert 'loading="lazy"' not in cover, "the cover is the first thing a reader sees"
    body_img = re.search(r'<img [^>]*alt="现场照片"[^>]*>', page).group(0)
    assert 'loading="lazy"' in body_img and 'width="1280" height="960"' in body_img
    assert image.file.url not in page, "the 4000 px original is never linked from the page"
    stem = image.file.url.rsplit(".", 1)[0]
    assert client.get(f"{stem}.w640.webp")["Content-Type"] == "image/webp"


@pytest.mark.django_db
def test_the_home_page_shows_covers_in_small_sizes(client, tree):
    article = Article(category=tree["company"], title="置顶封面", pinned=True)
    article.cover.save("cover.jpg", upload(1600, 900), save=False)
    services.article_save(article=article, user=None)
    services.article_publish(article=article, user=None)

    page = client.get("/").content.decode()
    picture = re.search(r'<ul class="pinned-list">.*?</ul>', page, re.S).group(0)
    assert 'sizes="15rem"' in picture and ".w320.webp 320w" in picture


@pytest.mark.django_db
def test_pictures_without_sizes_render_as_before(client, tree):
    article = make_article(category=tree["company"], body='<p><img src="/media/images/old.jpg" alt="旧图"></p>')
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<img src="/media/images/old.jpg" alt="旧图">' in page


# --- 图片说明 (alt text) at publish ---------------------------------------------------------------


def test_pictures_without_alt_text_are_found_and_pictures_with_it_are_not():
    body = '<img src="/media/a.jpg" alt="签约"><img src="/media/b.jpg"><img src="/media/c.jpg" alt=" ">'
    assert [f.text for f in missing_alt_findings(body)] == ["第2张图片", "第3张图片"]


@pytest.mark.django_db
def test_publishing_a_picture_without_alt_text_asks_the_editor_to_confirm(tree):
    article = make_article(category=tree["company"], status=Article.Status.DRAFT, body='<p><img src="/media/b.jpg"></p>')
    with pytest.raises(NeedsConfirmation, match="第1张图片"):
        services.article_publish(article=article, user=None)
    services.article_publish(article=article, user=None, confirmed=True)
    assert Article.objects.published().filter(pk=article.pk).exists()
