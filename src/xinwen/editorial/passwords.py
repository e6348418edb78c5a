"""Password rules and self-service reset for staff.

The strength check is zxcvbn's estimate (keyboard walks such as 1qaz2wsx, repeats such as
aaaa…, sequences, dates, common words and names); the breached-password check is Django's
CommonPasswordValidator with its bundled list of 20,000 common passwords, so nothing is
sent anywhere. Reset by email is offered only when the site can send mail.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import Http404

__all__ = ["StrengthValidator", "StaffPasswordResetForm", "reset_enabled", "require_reset_enabled"]

# zxcvbn's own warnings, for the common cases, in the user's language.
WARNINGS = {
    "Straight rows of keys are easy to guess.": "键盘上连续的按键很容易被猜到。",
    "Short keyboard patterns are easy to guess.": "简短的键盘图案很容易被猜到。",
    'Repeats like "aaa" are easy to guess.': "“aaa”这样的重复字符很容易被猜到。",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "“abcabcabc”这样的重复并不比“abc”难猜多少。",
    "Sequences like abc or 6543 are easy to guess.": "abc、6543 这样的顺序很容易被猜到。",
    "Recent years are easy to guess.": "最近的年份很容易被猜到。",
    "Dates are often easy to guess.": "日期通常很容易被猜到。",
    "This is a top-10 common password.": "这是最常见的密码之一。",
    "This is a top-100 common password.": "这是最常见的密码之一。",
    "This is a very common password.": "这是非常常见的密码。",
    "This is similar to a commonly used password.": "这与常见密码非常相似。",
    "A word by itself is easy to guess.": "单个词语很容易被猜到。",
    "Names and surnames by themselves are easy to guess.": "单独的姓名很容易被猜到。",
    "Common names and surnames are easy to guess.": "常见的姓名很容易被猜到。",
}


class StrengthValidator:
    """Reject passwords whose zxcvbn score is below `min_score` (0..4)."""

    def __init__(self, min_score: int = 3):
        self.min_score = max(0, min(int(min_score), 4))

    def validate(self, password: str, user=None) -> None:
        inputs = [str(value) for value in (getattr(user, "username", ""), getattr(user, "email", ""),
                                           getattr(user, "first_name", ""), getattr(user, "last_name", ""))
                  if value]
        inputs.append(getattr(settings, "SITE_NAME", ""))
        from zxcvbn import zxcvbn  # 13 MB of word lists: loaded by the first password checked, not by every worker

        # zxcvbn's cost grows with length; a 100-character passphrase is strong anyway.
        result = zxcvbn(password[:100], user_inputs=inputs)
        if result["score"] >= self.min_score:
            return
        reason = WARNINGS.get(result["feedback"].get("warning") or "", "")
        raise ValidationError(
            "密码太容易被猜到%(reason)s请使用更长、更不规则的密码，例如由几个不相关的词语和数字组成的短句。",
            code="password_too_guessable",
            params={"reason": f"：{reason}" if reason else "。"},
        )

    def get_help_text(self) -> str:
        return "密码不能是键盘上连续的按键、重复的字符、常见密码或与账号相关的信息。"


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, for active staff accounts only."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


def reset_enabled() -> bool:
    return bool(getattr(settings, "PASSWORD_RESET_BY_EMAIL", False))


def require_reset_enabled(view):
    """The reset pages exist only where mail can be sent: 404 otherwise."""

    def wrapped(request, *args, **kwargs):
        if not reset_enabled():
            raise Http404("未配置邮件发送，不提供通过邮件重设密码。")
        return view(request, *args, **kwargs)

    return wrapped


def password_reset_link(request) -> dict:
    """Context processor: whether the admin login page offers 「忘记密码？」."""
    return {"password_reset_enabled": reset_enabled()}
