"""URLs of an edge process (XINWEN_ROLE=edge): the dynamic paths of a static site, nothing else.

nginx serves every page from the published tree and proxies only the view beacon, search
and the read-only API here. The page and feed URLs keep their names, so templates that
link to them still reverse, but they answer 404: on the public side pages are files.
No admin, no login, no module that writes content is imported from here.
"""

from django.http import Http404
from django.urls import URLPattern, include, path

from xinwen.feeds import urls as feeds_urls
from xinwen.news import urls as news_urls


def _not_here(request, *args, **kwargs):
    raise Http404("此处只提供统计、搜索和接口；页面由静态文件提供。")


def _names_only(module, *, keep=()):
    """A URL module's patterns with their names, answering 404 (except the names in `keep` and included APIs)."""
    patterns = [
        URLPattern(p.pattern, _not_here, p.default_args, p.name) if isinstance(p, URLPattern) and p.name not in keep else p
        for p in module.urlpatterns
    ]
    return patterns, module.app_name


urlpatterns = [
    path("", include("xinwen.search.urls")),
    path("", include("xinwen.stats.urls")),
    # The read-only API (api/v1/ and its JSON 404); feeds, sitemaps and robots.txt are files.
    path("", include(_names_only(feeds_urls, keep={None}))),
    path("", include(_names_only(news_urls))),
]

handler404 = "xinwen.news.views.page_not_found"
handler500 = "xinwen.news.views.server_error"
