"""头条, 焦点图 and 推荐 on the home page: who gets in, in which order, and that a flag drops the stored home page."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xinwen.conftest import make_article
from xinwen.news import pagetags
from xinwen.news.models import Article
from xinwen.news.purges import article_purge_tags
from xinwen.news.selectors import article_placement, featured_blocks, public_articles

pytestmark = pytest.mark.django_db


def cover() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (960, 540), (11, 87, 208)).save(out, "JPEG")
    return SimpleUploadedFile("cover.jpg", out.getvalue(), content_type="image/jpeg")


def flagged(tree, days_ago, **flags) -> Article:
    return make_article(category=tree["company"], days_ago=days_ago, cover=cover() if flags.pop("with_cover", False) else "", **flags)


def test_each_place_holds_the_newest_flagged_articles_and_focus_needs_a_cover(tree):
    headlines = [flagged(tree, n, headline=True) for n in (5, 1, 3)]
    slides = [flagged(tree, n, focus=True, with_cover=True) for n in range(1, 8)]
    flagged(tree, 0.5, focus=True)  # no cover: no slide
    recommended = [flagged(tree, n, recommended=True) for n in range(2, 10)]
    make_article(category=tree["company"], status=Article.Status.DRAFT, headline=True)  # not public

    blocks = featured_blocks(public_articles())

    assert blocks["headlines"] == [headlines[1], headlines[2]]
    assert blocks["focus"] == slides[:5]
    assert blocks["recommended"] == recommended[:6]


def test_the_home_page_shows_each_place(client, tree):
    flagged(tree, 1, headline=True, title="头条新闻示例")
    for n in range(3):
        flagged(tree, n + 2, focus=True, with_cover=True, title=f"焦点新闻{n + 1}")
    flagged(tree, 6, recommended=True, title="推荐新闻示例")

    page = client.get("/").content.decode()

    headline = re.search(r'<section class="headlines".*?</section>', page, re.S).group(0)
    assert "头条新闻示例" in headline
    carousel = re.search(r'<section class="carousel".*?</section>', page, re.S).group(0)
    assert re.findall(r'<span class="carousel-caption">([^<]+)</span>', carousel) == ["焦点新闻1", "焦点新闻2", "焦点新闻3"]
    assert '<div class="carousel-controls" hidden>' in carousel  # shown by the script only
    images = re.findall(r"<img [^>]*>", carousel)
    assert 'loading="lazy"' not in images[0] and all('loading="lazy"' in img for img in images[1:])
    assert "news/carousel" in page and ".js" in page
    assert "推荐新闻示例" in re.search(r'<section class="block recommended".*?</section>', page, re.S).group(0)


def test_a_single_slide_needs_no_script(client, tree):
    flagged(tree, 1, focus=True, with_cover=True)
    page = client.get("/").content.decode()
    assert '<section class="carousel"' in page and "carousel.js" not in page


@pytest.mark.parametrize("flag", ["headline", "focus", "recommended"])
def test_giving_an_article_a_home_place_drops_the_stored_home_page(tree, flag):
    article = flagged(tree, 1, with_cover=True)
    before = article_placement(article.pk)
    Article.objects.filter(pk=article.pk).update(**{flag: True})
    after = article_placement(article.pk)

    assert before != after
    assert pagetags.HOME in article_purge_tags(article_id=article.pk, old=before, new=after)
