"""Back-office session rules: the second factor before any admin page, idle and absolute lifetimes."""

from __future__ import annotations

import time
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from xinwen.editorial.twofactor import second_factor_satisfied

__all__ = ["SecondFactorMiddleware", "SessionLifetimeMiddleware", "LOGIN_AT", "SEEN_AT"]

LOGIN_AT = "xinwen_login_at"
SEEN_AT = "xinwen_seen_at"
# Writing the session on every request costs a database write; a minute's precision is plenty.
SEEN_PRECISION = 60


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SecondFactorMiddleware:
    """Every URL under the admin prefix needs a session that passed the second factor.

    Staff without one are sent to enter a code, or to enrol when they have no device yet.
    `request.second_factor_passed()` tells other code (staff previews on the public site).
    Place after django_otp.middleware.OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.second_factor_passed = partial(second_factor_satisfied, request)
        # Without a session cookie nobody is logged in; touching request.user would load the
        # session and mark every public page "Vary: Cookie", which the page cache refuses.
        if _has_session(request) and self._guarded(request.path_info):
            user = request.user
            if user.is_authenticated and user.is_staff and not second_factor_satisfied(request):
                target = "otp-verify" if user_has_device(user) else "otp-enrol"
                return HttpResponseRedirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def _guarded(path: str) -> bool:
        if not path.startswith(reverse("admin:index")):
            return False
        open_paths = {reverse("admin:login"), reverse("admin:logout"), reverse("otp-verify"), reverse("otp-enrol")}
        return path not in open_paths


@receiver(user_logged_in, dispatch_uid="xinwen-session-login-at")
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionLifetimeMiddleware:
    """Log out a back-office session idle for SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS since login.

    Django's SESSION_COOKIE_AGE alone is not an absolute limit: every saved change of the
    session pushes its expiry forward, so the login time is kept in the session itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Back-office requests only: touching the session on a public page would mark it
        # "Vary: Cookie" for everyone who has a session cookie.
        if _has_session(request) and request.path_info.startswith(reverse("admin:index")) and request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            login_at = session.get(LOGIN_AT)
            seen_at = session.get(SEEN_AT, login_at)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if login_at is None:  # a session from before this rule: count from now
                session[LOGIN_AT] = session[SEEN_AT] = now
            elif now - login_at > settings.SESSION_MAX_HOURS * 3600 or (idle and now - seen_at > idle):
                logout(request)
                messages.info(request, "登录已超时，请重新登录。")
            elif now - seen_at >= SEEN_PRECISION:
                session[SEEN_AT] = now
        return self.get_response(request)
