"""Feeds, sitemaps, robots.txt and the JSON API, at the site root (included by xinwen.urls)."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.http import require_safe

from xinwen.feeds import feeds, views
from xinwen.feeds.api import api
from xinwen.feeds.api.cors import api_view, wrap_patterns
from xinwen.feeds.conditional import conditional

app_name = "feeds"

_api_patterns, _api_app, _api_namespace = api.urls


def feed_view(feed):
    return require_safe(conditional(feed))


@api_view
def api_not_found(request, rest=""):
    return JsonResponse(
        {"error": {"code": "not_found", "message": "没有这个接口：接口列表见 /api/v1/openapi.json。", "field": None}},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = [
    path("feeds/rss.xml", feed_view(feeds.NewsRssFeed()), name="rss"),
    path("feeds/atom.xml", feed_view(feeds.NewsAtomFeed()), name="atom"),
    path("feeds/topic/<slug:slug>/rss.xml", feed_view(feeds.TopicRssFeed()), name="topic-rss"),
    path("feeds/<slug:slug>/rss.xml", feed_view(feeds.CategoryRssFeed()), name="category-rss"),
    path("feeds/<slug:slug>/atom.xml", feed_view(feeds.CategoryAtomFeed()), name="category-atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/v1/", (wrap_patterns(_api_patterns), _api_app, _api_namespace)),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]
