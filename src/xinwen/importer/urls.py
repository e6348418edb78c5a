"""Old addresses of imported sites: included last, so they never shadow a page of xinwen's own.

Only old-looking paths are routed here (a file suffix of the CMSs sites come from, or
WordPress date permalinks), so unknown new-style paths keep Django's APPEND_SLASH
behaviour and plain 404s. `middleware.LegacyRedirectFallbackMiddleware` covers the rest.
"""

from django.urls import re_path

from xinwen.importer import views

app_name = "importer"

urlpatterns = [
    re_path(r"^(?P<path>.+\.(?:s?html?|xhtml|php|aspx?|jsp|do|cgi))$", views.legacy_redirect, name="legacy"),
    re_path(r"^(?P<path>(?:\w+/)?\d{4}/\d{1,2}/(?:\d{1,2}/)?[^/]+)/?$", views.legacy_redirect, name="legacy-dated"),
]
