"""The page chrome kept per worker (chrome()): the same bytes as rendering it, and never stale after a notice."""

from __future__ import annotations

import re

import pytest

from xinwen.news import services
from xinwen.news.models import SiteSettings
from xinwen.news import chrome

pytestmark = pytest.mark.django_db


def header_of(response) -> str:
    return re.search(r'<header class="site-header">.*?</header>', response.content.decode(), re.S).group(0)


def footer_of(response) -> str:
    return re.search(r'<footer class="site-footer">.*?</footer>', response.content.decode(), re.S).group(0)


@pytest.mark.parametrize("path", ["/", "/zh-tw/", "/category/company/", "/zh-hk/category/industry/", "/sitemap/"])
def test_a_kept_header_and_footer_are_the_bytes_a_fresh_render_gives(client, tree, path):
    chrome._fragments.clear()
    fresh = client.get(path)
    kept = client.get(path)
    assert header_of(kept) == header_of(fresh) and footer_of(kept) == footer_of(fresh)
    assert chrome._fragments, "the second request should have reused kept fragments"


def test_the_menu_marks_the_section_being_read_on_each_page(client, tree):
    for slug, other in [("company", "industry"), ("industry", "company"), ("company", "industry")]:
        header = header_of(client.get(f"/category/{slug}/"))
        assert f'href="/category/{slug}/" aria-current="page"' in header
        assert f'href="/category/{other}/" aria-current' not in header
    home = header_of(client.get("/"))
    assert 'href="/" aria-current="page"' in home and 'href="/category/company/" aria-current' not in home


def test_each_script_keeps_its_own_chrome(client, tree):
    assert "公司新闻" in header_of(client.get("/"))
    assert "公司新聞" in header_of(client.get("/zh-tw/"))
    assert "公司新闻" in header_of(client.get("/"))
    assert 'href="/zh-tw/category/company/"' in header_of(client.get("/zh-tw/"))


def test_a_renamed_section_is_in_the_menu_on_the_next_request(client, tree, django_capture_on_commit_callbacks):
    assert "公司新闻" in header_of(client.get("/category/industry/"))
    company = tree["company"]
    company.name = "集团要闻"
    with django_capture_on_commit_callbacks(execute=True):
        services.category_save(category=company, user=services.OPERATOR, changed_fields=["name"])
    header = header_of(client.get("/category/industry/"))
    assert "集团要闻" in header and "公司新闻" not in header


def test_changed_site_settings_are_in_the_footer_on_the_next_request(client, tree, django_capture_on_commit_callbacks):
    assert "承办单位" not in footer_of(client.get("/"))
    with django_capture_on_commit_callbacks(execute=True):
        services.site_settings_save(
            site_settings=SiteSettings(site_name="示例集团", operator="示例集团办公室"), user=services.OPERATOR
        )
    footer = footer_of(client.get("/"))
    assert "承办单位：示例集团办公室" in footer
    assert "示例集团" in header_of(client.get("/"))
