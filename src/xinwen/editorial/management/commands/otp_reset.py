"""`xinwen otp_reset USER`: remove a user's second-factor devices; they enrol again at next login."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xinwen.editorial.twofactor import second_factor_reset


class Command(BaseCommand):
    help = "删除账号的两步验证设备（验证器应用和恢复码）；该账号下次登录时重新绑定。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号名")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"没有账号 {username}。") from None
        removed = second_factor_reset(user=user)
        self.stdout.write(f"账号 {username}：已删除 {removed} 个两步验证设备，下次登录时需重新绑定验证器应用。")
