"""A section's page: 图文列表 with thumbnails where the section asks for them, and the sections beside it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xinwen.conftest import make_article, make_category
from xinwen.news import services
from xinwen.news.models import Category

pytestmark = pytest.mark.django_db


def cover(size=(1600, 1200)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, "JPEG")
    return SimpleUploadedFile("cover.jpg", out.getvalue(), content_type="image/jpeg")


def entries(page: str) -> list[str]:
    listed = page[page.index('<ul class="article-list') : page.index("</ul>", page.index('<ul class="article-list'))]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', listed)


def test_an_image_list_shows_a_thumbnail_beside_each_story_with_a_cover(client, tree):
    company = tree["company"]
    with_cover = make_article(category=company, title="有封面的稿件", cover=cover(), days_ago=1)
    services.image_sizes_ensure(name=with_cover.cover.name)
    make_article(category=company, title="没有封面的稿件", days_ago=2)

    text_list = client.get("/category/company/").content.decode()
    assert 'class="thumb"' not in text_list and "<picture" not in text_list

    company.list_style = Category.ListStyle.IMAGE
    services.category_save(category=company, user=services.OPERATOR, changed_fields=["list_style"])
    page = client.get("/zh-tw/category/company/").content.decode()
    item = re.search(r'<li class="with-thumb">(.*?)</li>', page, re.S).group(1)
    thumb = re.search(r'<a class="thumb" href="/zh-tw/article/(\d+)/" tabindex="-1" aria-hidden="true">(.*?)</a>', item, re.S)
    assert int(thumb.group(1)) == with_cover.pk
    assert "<picture>" in thumb.group(2) and 'sizes="8rem"' in thumb.group(2) and 'alt=""' in thumb.group(2)
    assert re.search(r'srcset="[^"]*\.webp 320w', thumb.group(2))  # a small copy, never the 1600 px original
    assert page.count('class="with-thumb"') == 1  # the story without a cover is an ordinary entry
    assert entries(page) == ["有封面的稿件", "沒有封面的稿件"]


def test_a_section_page_lists_the_sections_beside_it_and_marks_its_own(client, tree):
    page = client.get("/zh-tw/category/industry/").content.decode()
    aside = re.search(r'<aside class="section-nav" aria-labelledby="section-nav-heading">(.*?)</aside>', page, re.S).group(1)
    assert '<h2 id="section-nav-heading">新聞中心</h2>' in aside
    assert re.findall(r'<a href="([^"]+)"', aside) == ["/zh-tw/category/company/", "/zh-tw/category/industry/", "/zh-tw/category/notices/"]
    assert '<a href="/zh-tw/category/industry/" aria-current="page">行業動態</a>' in aside
    # The root lists its sections as sub-sections already; a section alone under its parent needs no sidebar.
    assert 'class="section-nav"' not in client.get("/category/news/").content.decode()
    only = make_category("唯一子栏目", slug="only-child", parent=tree["notices"])
    make_article(category=only)
    assert 'class="section-nav"' not in client.get("/category/only-child/").content.decode()
