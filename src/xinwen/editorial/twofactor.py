"""Second factor for the back office: who needs one, enrolment, recovery codes, reset.

TOTP devices (an authenticator app) and one static device of single-use recovery codes come
from django-otp; a session counts as verified once django_otp.login() recorded the device
that accepted a code. Editors, administrators and superusers must have a device; authors may
enrol, and must when OTP_REQUIRED_FOR_AUTHORS is on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinwen.news.grants import has_review_or_publish_grant, user_grants

__all__ = [
    "RECOVERY_CODE_COUNT",
    "second_factor_required",
    "second_factor_satisfied",
    "totp_enrolment_start",
    "totp_enrolment_confirm",
    "second_factor_reset",
    "qr_svg",
]

RECOVERY_CODE_COUNT = 10
AUTHOR_GROUP = "作者"
ENROLMENT_NAME = "验证器应用"
RECOVERY_NAME = "恢复码"


def second_factor_required(user) -> bool:
    """True for staff who may not use the back office on a password alone."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser or getattr(settings, "OTP_REQUIRED_FOR_AUTHORS", False):
        return True
    groups = set(user.groups.values_list("name", flat=True))
    # Only a pure 作者 may go without (global, or by 栏目权限 alone); whoever reviews or publishes in
    # any section needs the second factor; a staff account without a role gets no exemption.
    if has_review_or_publish_grant(user):
        return True
    if not groups:
        return not user_grants(user).exists()
    return groups != {AUTHOR_GROUP}


def second_factor_satisfied(request) -> bool:
    """May this session use the back office: verified, or an author without a device."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_verified():
        return True
    return not second_factor_required(user) and not user_has_device(user)


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created on first call (same secret on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLMENT_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending device with a code from the app; returns it and fresh recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device, recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """A new set of single-use recovery codes; the old set stops working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_reset(*, user) -> int:
    """Remove every device of the user (they enrol again at the next login); returns how many."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    return removed


def qr_svg(text: str) -> str:
    """An inline SVG QR code of `text` (no image service: closed networks have none)."""
    import segno  # the enrolment page's: the middleware imports this module in every worker

    return segno.make(text, error="m").svg_inline(scale=4, dark="#000", light="#fff")
