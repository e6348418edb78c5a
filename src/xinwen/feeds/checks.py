"""System checks (`xinwen check --deploy`): a Baidu push that is switched on must be able to work."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from xinwen.feeds import conf


@checks.register(checks.Tags.compatibility)
def baidu_push_configuration(app_configs=None, **kwargs):
    if not conf.baidu_token():
        return []
    site = conf.baidu_site()
    if not site:
        return [
            checks.Error(
                "BAIDU_PUSH_TOKEN is set, but there is no public origin to push URLs of.",
                hint="Set BAIDU_PUSH_SITE (or SITE_URL) to the site as registered with Baidu, e.g. https://news.example.org",
                id="feeds.E001",
            )
        ]
    parts = urlsplit(site)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        return [
            checks.Error(
                f"BAIDU_PUSH_SITE must be a scheme and host such as https://news.example.org, not {site!r}.",
                id="feeds.E002",
            )
        ]
    if settings.SITE_URL and urlsplit(settings.SITE_URL).netloc != parts.netloc:
        return [
            checks.Warning(
                "BAIDU_PUSH_SITE and SITE_URL name different hosts: Baidu will be sent URLs that are not canonical.",
                id="feeds.W001",
            )
        ]
    return []
