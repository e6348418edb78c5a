"""The site name saved under 站点设置 reaches what machines read: feeds, the news sitemap, JSON-LD and Open Graph."""

from __future__ import annotations

import json
import re

import pytest

from xinwen.news import services
from xinwen.news.models import SiteSettings

pytestmark = pytest.mark.django_db

SAVED = "南方示例控股集团"
SAVED_HANT = "南方示例控股集團"


@pytest.fixture
def named(newsroom):
    services.site_settings_save(site_settings=SiteSettings(site_name=SAVED), user=services.OPERATOR)
    return newsroom


@pytest.mark.parametrize("path, name", [("/feeds/rss.xml", SAVED), ("/zh-hant/feeds/atom.xml", SAVED_HANT)])
def test_feeds_carry_the_saved_site_name(client, named, path, name):
    body = client.get(path).content.decode()
    assert f"<title>{name} · " in body
    assert "东方智联装备集团" not in body


def test_the_news_sitemap_names_the_publication_by_the_saved_name(client, named):
    body = client.get("/sitemap-news.xml").content.decode()
    assert f"<news:name>{SAVED}</news:name>" in body


def test_article_metadata_names_the_saved_publisher(client, named):
    html = client.get(named["story"].get_absolute_url()).content.decode()
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    article = next(b for b in blocks if b.get("@type") == "NewsArticle")
    assert article["publisher"]["name"] == SAVED
    assert f'<meta property="og:site_name" content="{SAVED}">' in html


def test_without_saved_settings_the_configured_name_is_used(client, newsroom):
    assert "<title>东方智联装备集团 · " in client.get("/feeds/rss.xml").content.decode()
