"""The renderer: the live site's pages, as a first-time reader gets them, safe in a busy web process."""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from xinwen.news.models import Article
from xinwen.publishing.render import Renderer
from xinwen.publishing.services import _one_snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def _connected(signal) -> bool:
    return any(receiver() is close_old_connections for _key, receiver, *_ in signal.receivers if callable(receiver))


def test_a_build_inside_its_snapshot_keeps_its_connection_and_leaves_the_request_signals_alone(news):
    """The publishing worker renders in a thread of a web process, inside its snapshot transaction.

    Django closes a connection that is inside a transaction when request_finished reaches
    close_old_connections in its thread; the renderer must never send it, nor take the
    receiver away from the readers' requests in the process's other threads.
    """
    seen = []

    def watch(sender, **kwargs):
        seen.append(sender)

    request_started.connect(watch)
    request_finished.connect(watch)
    try:
        with _one_snapshot():
            renderer = Renderer()
            urls = ["/", "/zh-tw/", f"/article/{news['industry_article'].pk}/", "/feeds/rss.xml", "/sitemap.xml"]
            assert [renderer.render(url).status for url in urls] == [200] * len(urls)
            assert renderer.render("/404-not-found/", error_page=True).status == 404
            assert Article.objects.count() == len(news["articles"]) + 1  # the transaction's connection still answers
    finally:
        request_started.disconnect(watch)
        request_finished.disconnect(watch)
    assert seen == []
    assert _connected(request_started) and _connected(request_finished)


def test_a_view_that_fails_stops_the_build_naming_the_page_instead_of_publishing_an_error_page(news, target, monkeypatch):
    from xinwen.news import selectors
    from xinwen.publishing.errors import PublishError
    from xinwen.publishing.services import site_publish

    def broken(item):
        raise RuntimeError("相关文章查询失败")

    monkeypatch.setattr(selectors, "article_around", broken)
    assert Renderer().render("/").status == 200  # pages that do not call it are unaffected
    with pytest.raises(RuntimeError, match="相关文章查询失败"):
        Renderer().render(f"/article/{news['industry_article'].pk}/")
    with pytest.raises(PublishError, match=r"/article/\d+/ 渲染失败：RuntimeError: 相关文章查询失败"):
        site_publish(target=target)
    assert not target.exists()  # nothing half-built was switched in


@override_settings(DEBUG=True)
def test_the_error_page_is_the_sites_own_404_even_when_debug_is_on(news):
    page = Renderer().render("/404-not-found/", error_page=True)
    body = page.body.decode()
    assert page.status == 404
    assert "Using the URLconf" not in body and "Django" not in body  # not the debug page
    assert "当前位置" in body or "首页" in body  # the site's chrome, in Chinese


def test_every_page_is_rendered_for_a_first_time_reader(news, client):
    """No cookie or session carries from one page to the next (a reader's script choice would)."""
    renderer = Renderer()
    plain = renderer.render("/").body
    renderer.render("/zh-tw/")
    assert renderer.render("/").body == plain
