"""Top-level URLs: the public news site, the back office and safe media serving."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from xinwen.news import views as news_views

admin.site.site_header = "xinwen 新闻中心管理"
admin.site.site_title = "新闻中心管理"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url=static("news/favicon.svg"), permanent=True)),
    re_path(r"^media/(?P<path>.+)$", news_views.media_file, name="media"),
    path("", include("xinwen.feeds.urls")),
    path("", include("xinwen.search.urls")),
    path("", include("xinwen.stats.urls")),
    path("", include("xinwen.news.urls")),
    # Last: old URLs of imported sites (/news/123.html, /plus/view.php?aid=123) redirect to new ones.
    path("", include("xinwen.importer.urls")),
]

handler404 = "xinwen.news.views.page_not_found"
handler500 = "xinwen.news.views.server_error"
