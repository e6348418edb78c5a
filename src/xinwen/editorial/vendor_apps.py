"""Chinese names in the back office for the third-party apps it shows (django-axes, django-otp).

Django names an app in the admin by its AppConfig's verbose_name, and the way to rename
someone else's app is a subclass listed in INSTALLED_APPS instead of the app's module.
Their models' names cannot come from the locale: django-otp's are plain English strings
("TOTP device") or derived from the class name, so each config sets them when the app is
ready. Only the runtime names change; the models' declared options (what migrations read)
stay the library's, so no migration follows.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as OTPStaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OTPTOTPAppConfig

__all__ = ["AxesConfig", "OTPStaticConfig", "OTPTOTPConfig"]


class ChineseNamesMixin:
    """An AppConfig whose models get the names in `model_names` (model → singular, plural)."""

    model_names: dict[str, tuple[str, str]] = {}

    def ready(self):
        super().ready()
        for model_name, (singular, plural) in self.model_names.items():
            meta = self.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural


class AxesConfig(ChineseNamesMixin, AxesAppConfig):
    verbose_name = "登录防护"
    model_names = {
        "AccessAttempt": ("登录尝试", "登录尝试"),
        "AccessAttemptExpiration": ("登录尝试到期", "登录尝试到期"),
        "AccessFailureLog": ("登录失败", "登录失败"),
        "AccessLog": ("登录记录", "登录记录"),
    }


class OTPTOTPConfig(ChineseNamesMixin, OTPTOTPAppConfig):
    verbose_name = "两步验证：验证器应用"
    model_names = {"TOTPDevice": ("验证器应用", "验证器应用")}


class OTPStaticConfig(ChineseNamesMixin, OTPStaticAppConfig):
    # One static device per account holds its single-use recovery codes (editorial/twofactor.py).
    verbose_name = "两步验证：恢复码"
    model_names = {"StaticDevice": ("恢复码", "恢复码")}
