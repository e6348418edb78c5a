"""An nginx configuration for a published tree: the same URLs, headers and policy as the app.

Printed by `xinwen nginx-conf`, for a file in nginx's http context (conf.d/). Pages are
served from files (`gzip_static` picks the .gz twin); the paths that need the app
(the view beacon, search, the API, the pinyin view, the share QR code) are proxied to an app
server, usually an edge process.
"""

from __future__ import annotations

from csp.constants import NONCE
from django.conf import settings

__all__ = ["site_policy", "page_headers", "nginx_conf"]

# The media policy of news.views.media_file: an upload never runs or renders as a page.
MEDIA_POLICY = "default-src 'none'; sandbox"


def site_policy() -> str:
    """settings.CONTENT_SECURITY_POLICY as a header value; static pages carry no nonce."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    parts = []
    for name, values in directives.items():
        values = [v for v in values if v is not NONCE]
        parts.append(" ".join([name, *values]))
    return "; ".join(parts)


def page_headers(policy: str | None = None) -> list[str]:
    """The `add_header` lines of every page: the app's security headers, under `policy` (the site's by default)."""
    policy = site_policy() if policy is None else policy
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
        ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or "same-origin"),
        ("Content-Security-Policy", policy),
    ]
    if settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers.append(("Strict-Transport-Security", hsts))
    return [f'add_header {name} "{value}" always;' for name, value in headers]


SCRIPTS = ("", "/zh-hant", "/zh-tw", "/zh-hk")


def _search(prefix: str) -> str:
    return f"""location = {prefix}/search/ {{
        error_page 404 /404.html;
        error_page 418 = @xinwen_app;
        if ($args != "") {{
            return 418;
        }}
        try_files $uri/index.html @xinwen_app;
    }}"""


def nginx_conf(*, root: str, listen: str = "80", app: str = "127.0.0.1:8000", server_name: str = "_") -> str:
    """The server block. An article page, the hot path, costs one regular expression (hidden
    files) and one file lookup: the dynamic paths are exact or prefix locations, or what
    try_files falls through to when no file answers (the pinyin view, the share code)."""
    headers = "\n    ".join(page_headers())
    media_headers = "\n        ".join(page_headers(MEDIA_POLICY))
    searches = "\n    ".join(_search(prefix) for prefix in SCRIPTS)
    stats = "\n    ".join(f"location {prefix}/stats/ {{\n        proxy_pass http://xinwen_app;\n    }}" for prefix in SCRIPTS)
    return f"""# xinwen static site (xinwen nginx-conf). Include in nginx's http context.
# A list's ?page=N and a sitemap's ?p=N are files of their own (index.page-N.html).
map $args $xinwen_page {{
    "" "";
    "~^page=(?<n>[1-9][0-9]{{0,8}})$" ".page-$n";
    "~^p=(?<n>[1-9][0-9]{{0,8}})$" ".p-$n";
    default "";
}}
# An article's pinyin view (?ruby=1) is rendered by the app: its files are looked for under
# a folder that no tree has, so try_files falls through to @xinwen_other, which proxies it
# (as it does the share panel's QR code, which is no file either).
map $arg_ruby $xinwen_ruby {{
    "1" "/.ruby";
    default "";
}}

upstream xinwen_app {{
    server {app};
}}

server {{
    listen {listen};
    server_name {server_name};
    root {root};
    charset utf-8;
    server_tokens off;
    disable_symlinks off;  # the root is a symlink to the current release

    gzip_static on;
    # With the ngx_brotli module: brotli_static on;
    gzip on;
    gzip_types text/plain text/css application/javascript application/xml application/atom+xml application/rss+xml image/svg+xml;

    {headers}

    # For the dynamic paths below (an edge process: XINWEN_ROLE=edge). The Host as the browser
    # sent it, port included: the beacon's Origin check compares the two ($host drops the port).
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;

    error_page 404 /404.html;

    location / {{
        try_files $xinwen_ruby$uri/index$xinwen_page.html $xinwen_ruby$uri/index.html $xinwen_ruby$uri @xinwen_other;
    }}
    location @xinwen_other {{
        error_page 404 /404.html;  # an error_page here replaces the server's: both are needed
        error_page 418 = @xinwen_app;
        if ($arg_ruby = "1") {{
            return 418;  # the pinyin view, of any page: the app answers (404 where there is none)
        }}
        if ($uri ~ "^(/zh-(hant|tw|hk))?/article/[0-9]+/share-qr\\.svg$") {{
            return 418;  # drawn when a reader opens 分享; the edge's page cache keeps it
        }}
        return 404;
    }}
    location ^~ /sitemap- {{
        location ~ ^(?<sitemap>/sitemap-[^/]+)\\.xml$ {{
            try_files $sitemap$xinwen_page.xml $uri =404;
        }}
    }}
    location = /favicon.ico {{
        return 301 /static/news/favicon.svg;
    }}
    location /static/ {{
        expires 30d;
        location ~ "\\.[0-9a-f]{{12}}\\.[A-Za-z0-9]+$" {{
            expires max;  # fingerprinted names (xinwen/assets.py): a new file is a new name
        }}
    }}
    location /media/ {{
        {media_headers}
        types {{ image/jpeg jpg jpeg; image/png png; image/gif gif; image/webp webp; application/pdf pdf; video/mp4 mp4; text/vtt vtt; }}
        default_type application/octet-stream;  # an upload is never text/html
    }}
    location = /manifest.json {{
        return 404;
    }}
    location ~ /\\.(?!well-known/) {{
        return 404;  # rsync's holding folders (.~tmp~) and temporary names while files are put in place
    }}

    # The dynamic paths, in every script: search (its empty form is a file), view beacon, read-only API.
    {searches}
    {stats}
    location /api/ {{
        proxy_pass http://xinwen_app;
    }}
    location @xinwen_app {{
        proxy_pass http://xinwen_app;
    }}
}}
"""
