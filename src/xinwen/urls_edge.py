"""URLs of an edge process (XINWEN_ROLE=edge): the dynamic paths of a static site, nothing else.

nginx serves every page from the published tree and proxies only the view beacon, search,
the read-only API, an article's pinyin view (?ruby=1) and its share QR code here. The page and feed URLs keep their names, so templates that
link to them still reverse, but they answer 404: on the public side pages are files.
No admin, no login, no module that writes content is imported from here.
"""

from django.http import Http404
from django.urls import URLPattern, include, path

from xinwen.feeds import urls as feeds_urls
from xinwen.news import urls as news_urls
from xinwen.news import views as news_views


def _not_here(request, *args, **kwargs):
    raise Http404("此处只提供统计、搜索和接口；页面由静态文件提供。")


def _pinyin_only(request, pk):
    """An article's pinyin (?ruby=1) view: rendered on demand, it is not in the tree (see publishing/pages.py)."""
    if request.GET.get("ruby") != "1":
        raise Http404("页面由静态文件提供。")
    return news_views.article(request, pk)


def _names_only(module, *, keep=(), instead=None):
    """A URL module's patterns with their names, answering 404 (except `keep`, included APIs and `instead`'s views)."""
    instead = instead or {}
    patterns = [
        URLPattern(p.pattern, instead.get(p.name, _not_here), p.default_args, p.name)
        if isinstance(p, URLPattern) and p.name not in keep
        else p
        for p in module.urlpatterns
    ]
    return patterns, module.app_name


urlpatterns = [
    path("", include("xinwen.search.urls")),
    path("", include("xinwen.stats.urls")),
    # The read-only API (api/v1/ and its JSON 404); feeds, sitemaps and robots.txt are files.
    path("", include(_names_only(feeds_urls, keep={None}))),
    # An article's share QR code too: drawn on demand, only when a reader opens 分享.
    path("", include(_names_only(news_urls, keep={"article-qr"}, instead={"article": _pinyin_only}))),
]


handler404 = "xinwen.news.views.page_not_found"
handler500 = "xinwen.news.views.server_error"
