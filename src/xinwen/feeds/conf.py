"""The feeds app's settings, with their defaults, in one place.

Every value comes from `settings` (which reads the environment once, see settings.py);
the defaults here keep the app working, and switched off where it talks to the outside,
until a site sets them.
"""

from __future__ import annotations

from django.conf import settings

__all__ = [
    "baidu_token",
    "baidu_site",
    "baidu_endpoint",
    "baidu_enabled",
    "baidu_thread",
    "baidu_timeout",
    "cors_origins",
]

BAIDU_ENDPOINT = "http://data.zz.baidu.com/urls"  # Baidu 搜索资源平台「普通收录 · API提交」


def baidu_token() -> str:
    return (getattr(settings, "BAIDU_PUSH_TOKEN", "") or "").strip()


def baidu_site() -> str:
    """The site as registered with Baidu (scheme and host): it is also the origin of every pushed URL."""
    site = getattr(settings, "BAIDU_PUSH_SITE", "") or getattr(settings, "SITE_URL", "") or ""
    return site.strip().rstrip("/")


def baidu_endpoint() -> str:
    return getattr(settings, "BAIDU_PUSH_ENDPOINT", "") or BAIDU_ENDPOINT


def baidu_enabled() -> bool:
    """Off by default: only a token and a public origin switch the push on."""
    return bool(baidu_token() and baidu_site())


def baidu_thread() -> bool:
    """Push from a background thread of the web process right after publishing (else only the command pushes)."""
    return bool(getattr(settings, "BAIDU_PUSH_THREAD", True))


def baidu_timeout() -> float:
    return float(getattr(settings, "BAIDU_PUSH_TIMEOUT", 10))


def cors_origins() -> list[str]:
    """Origins allowed to read the JSON API from a browser; ["*"] allows every origin."""
    origins = getattr(settings, "API_CORS_ORIGINS", []) or []
    if isinstance(origins, str):
        origins = origins.split(",")
    return [origin.strip().rstrip("/") for origin in origins if origin.strip()]
