"""Login throttling on top of django-axes: the site's own client address, and password spraying.

django-axes would otherwise take REMOTE_ADDR, which behind a reverse proxy is the proxy: five
failures from anyone would lock a user name for everyone. It is told to use the address that
view counting and search rate limiting use (PROXY_COUNT trusted proxies, IPv6 as its /64).

Axes counts failures per (user name, address). One address trying many user names once each
(password spraying) never reaches that limit, so the handler also blocks an address from which
LOGIN_SPRAY_LIMIT distinct user names failed within the cool-off time.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings

from xinwen.stats.conf import proxy_count
from xinwen.stats.identity import client_address, network_of

__all__ = ["client_ip", "LoginThrottleHandler", "DEFAULT_SPRAY_LIMIT"]

DEFAULT_SPRAY_LIMIT = 20


def client_ip(request) -> str | None:
    """The client address as the rest of the site sees it (AXES_CLIENT_IP_CALLABLE).

    An IPv6 client is recorded as the first address of its /64, since axes stores an address
    (an inet column on PostgreSQL), not a network.
    """
    address = client_address(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), proxy_count()
    )
    if not address:
        return None
    return network_of(address).split("/", 1)[0]


def _spray_limit() -> int:
    return int(getattr(settings, "LOGIN_SPRAY_LIMIT", DEFAULT_SPRAY_LIMIT) or 0)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler plus a per-address limit on distinct failing user names."""

    def failing_usernames(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.values("username").distinct().count()

    def is_spraying(self, request) -> bool:
        limit = _spray_limit()
        return limit > 0 and self.failing_usernames(request) >= limit

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.is_spraying(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_spraying(request):
            # The failure that reaches the limit is already answered with the lock-out page.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send("axes", request=request, username=None, ip_address=request.axes_ip_address)
