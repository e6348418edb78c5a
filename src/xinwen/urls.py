"""Top-level URLs: the public news site, the back office and safe media serving."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from xinwen.editorial import otp_views
from xinwen.editorial.passwords import StaffPasswordResetForm, require_reset_enabled
from xinwen.news import views as news_views

admin.site.site_header = "xinwen 新闻中心管理"
admin.site.site_title = "新闻中心管理"
admin.site.index_title = "内容管理"

# Self-service password reset for staff (Django's views and the admin's templates); 404 without mail.
password_reset_patterns = [
    path(
        "admin/password_reset/",
        require_reset_enabled(auth_views.PasswordResetView.as_view(form_class=StaffPasswordResetForm)),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        require_reset_enabled(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        require_reset_enabled(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        require_reset_enabled(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    # The second factor's own pages, before the admin's catch-all.
    path("admin/otp/verify/", otp_views.otp_verify, name="otp-verify"),
    path("admin/otp/setup/", otp_views.otp_enrol, name="otp-enrol"),
    *password_reset_patterns,
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
