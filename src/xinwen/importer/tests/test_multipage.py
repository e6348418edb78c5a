"""Which links are a post's own later pages, and which URLs a crawl keeps in scope."""

from __future__ import annotations

import pytest

from xinwen.importer.crawl import Scope
from xinwen.importer.multipage import continuation_number, continuation_urls, first_pages


@pytest.mark.parametrize(
    ("link", "base", "number"),
    [
        ("http://wp.example/2018/03/15/slug/2/", "http://wp.example/2018/03/15/slug/", 2),
        ("http://wp.example/?p=105&page=3", "http://wp.example/?p=105", 3),
        ("http://d.example/a/news/123_2.html", "http://d.example/a/news/123.html", 2),
        ("http://d.example/a/news/124_2.html", "http://d.example/a/news/123.html", None),  # another article's page
        ("http://wp.example/?p=106&page=2", "http://wp.example/?p=105", None),
        ("http://other.example/2018/03/15/slug/2/", "http://wp.example/2018/03/15/slug/", None),
        ("http://wp.example/2018/03/15/slug/comment-page-2/", "http://wp.example/2018/03/15/slug/", None),
        ("http://d.example/a/news/123_1.html", "http://d.example/a/news/123.html", None),
        ("http://d.example/a/news/123_99.html", "http://d.example/a/news/123.html", None),  # past MAX_PAGES
        ("http://g.example/zwgk/202305/t20230518_9188_1.html", "http://g.example/zwgk/202305/t20230518_9188.html", 2),
        ("http://wp.example/news/company/41.html/2", "http://wp.example/news/company/41.html", 2),  # /%post_id%.html
        ("http://wp.example/news/company/42.html/2", "http://wp.example/news/company/41.html", None),
    ],
)
def test_a_later_page_is_recognised_only_by_the_shape_of_its_own_address(link, base, number):
    assert continuation_number(link, base) == number
    if number:
        assert base in first_pages(link)


def test_continuation_links_come_in_page_order_once_each():
    html = b'<a href="3/">3</a><a href="/2018/x/2/">2</a><a href="2/#top">2</a><a href="javascript:;">x</a>'
    assert continuation_urls(html, "http://wp.example/2018/x/") == ["http://wp.example/2018/x/2/", "http://wp.example/2018/x/3/"]


@pytest.mark.parametrize(
    ("start", "include", "exclude", "inside", "outside"),
    [
        ("http://s.example/news/", [], [], "http://s.example/news/1.html", "http://s.example/about/1.html"),
        ("http://s.example/news/list_1.html", [], [], "http://s.example/news/1.html", "http://s.example/notice/1.html"),
        ("http://s.example/", [], ["/news/draft/*"], "http://s.example/a/1.html", "http://s.example/news/draft/2.html"),
        ("http://s.example/news/", ["/a/*"], [], "http://s.example/a/12.html", "http://s.example/news/1.html"),
        ("http://s.example/", ["*?p=*"], [], "http://s.example/?p=105", "http://s.example/2018/03/slug/"),
        ("http://s.example/媒体报道/", [], [], "http://s.example/%E5%AA%92%E4%BD%93%E6%8A%A5%E9%81%93/1.html", "http://s.example/x/1.html"),
    ],
)
def test_the_crawl_scope_is_the_start_folder_unless_patterns_say_otherwise(start, include, exclude, inside, outside):
    scope = Scope(start, include=include, exclude=exclude)
    assert inside in scope and outside not in scope
