"""The two pages between the password and the back office: enter a code, or enrol an app.

The second-factor middleware sends staff here; both pages need a password-authenticated
session and neither lets a session that could not pass the second factor add a new one.
"""

from __future__ import annotations

import re
from base64 import b32encode

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import devices_for_user, login as otp_login, user_has_device

from xinwen.editorial import twofactor

__all__ = ["otp_verify", "otp_enrol"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )

    def clean_code(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    context = {**admin.site.each_context(request), "next": _next_url(request), **context}
    return render(request, template, context, status=status)  # never_cache marks it no-store


def _staff_or_login(request: HttpRequest) -> HttpResponse | None:
    if not (request.user.is_authenticated and request.user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return None


@never_cache
@csrf_protect
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator app or a recovery code."""
    if refused := _staff_or_login(request):
        return refused
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect(f"{reverse('otp-enrol')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = None
        with transaction.atomic():
            for candidate in devices_for_user(user, for_verify=True):
                if candidate.verify_token(form.cleaned_data["code"]):
                    device = candidate
                    break
        if device is not None:
            request.session.cycle_key()  # the session gained rights: a new key
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "验证码不正确或已使用过，请输入验证器应用当前显示的 6 位数字，或一个未用过的恢复码。多次输错后需等待片刻再试。")
    return _page(request, "editorial/otp_verify.html", {"form": form, "title": "两步验证"}, status=400 if form.errors else 200)


@never_cache
@csrf_protect
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: QR code and secret, one code to confirm, then the recovery codes once."""
    if refused := _staff_or_login(request):
        return refused
    user = request.user
    if user_has_device(user):
        # A second device may only be added by someone who passed the first (xinwen otp_reset otherwise).
        return redirect(f"{reverse('otp-verify')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = twofactor.totp_enrolment_confirm(user=user, token=form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            request.session.cycle_key()
            otp_login(request, device)
            return _page(request, "editorial/otp_recovery_codes.html", {"codes": codes, "title": "保存恢复码"})
        form.add_error("code", "验证码不正确：请确认手机时间准确，并输入验证器应用当前显示的 6 位数字。")
    device = twofactor.totp_enrolment_start(user=user)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "title": "绑定两步验证",
        "qr_svg": twofactor.qr_svg(device.config_url),
        "secret": secret,
        "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": twofactor.second_factor_required(user),
    }
    return _page(request, "editorial/otp_enrol.html", context, status=400 if form.errors else 200)
