"""`xinwen demo`: migrate, load demo content, create accounts and run the site on 127.0.0.1:8000."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from xinwen.site.demo import demo_load
from xinwen.site.demo_sections import SECTION_ACCOUNTS, demo_sections_load
from xinwen.stats.demo import demo_history_load

ACCOUNTS = [
    # (username, role group or None for the superuser, description)
    ("admin", None, "管理员（全部权限）"),
    ("editor", "编辑", "编辑（审核、发布、定时、撤回）"),
    ("author", "作者", "作者（撰写草稿、提交审核）"),
]


class Command(BaseCommand):
    help = "Set up and run the demo site: SQLite database, demo news, accounts, server on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="where the server listens")
        parser.add_argument("--no-server", action="store_true", help="prepare everything but do not start the server")

    def handle(self, *args, addrport, no_server, **options):
        call_command("migrate", interactive=False, verbosity=0)
        result = demo_load()
        self.stdout.write(f"演示内容：新建 {result['articles']} 篇文章，{result['categories']} 个栏目。")
        if days := demo_history_load():
            self.stdout.write(f"浏览统计：生成近 60 天的演示数据（{days} 条每日记录）。")
        for line in self._accounts():
            self.stdout.write(line)
        demo_sections_load()  # 三审 on 公司新闻 and 行业动态, and the section accounts' grants
        self.stdout.write("三审：公司新闻、行业动态需经 初审 → 复审 → 终审 → 发布；栏目权限见后台“栏目权限”。")
        self.stdout.write(
            "两步验证：admin 和 editor 首次登录后台时，页面会显示二维码，请用手机上的 TOTP 验证器应用"
            "（如 FreeOTP、Microsoft Authenticator）扫描并输入验证码完成绑定，保存显示的恢复码；"
            "author 和 reporter 可以不绑定，chushen、fushen、zhongshen 需要绑定。丢失验证器时运行 xinwen otp_reset 账号名。"
        )
        if no_server:
            return
        if not (os.environ.get("EMAIL_BACKEND") or settings.EMAIL_HOST):
            # No mail server in the demo server: review notices are printed to this console instead.
            settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
            settings.REVIEW_NOTICE_EMAIL = True
        self.stdout.write(self.style.SUCCESS(f"网站：http://{addrport}/    后台：http://{addrport}/admin/"))
        # No autoreloader: it would run this command, and its password printing, a second time.
        call_command("runserver", addrport, use_reloader=False)

    @transaction.atomic
    def _accounts(self):
        User = get_user_model()
        lines = []
        for username, group, description in ACCOUNTS:
            if User.objects.filter(username=username).exists():
                lines.append(f"账号 {username}：已存在，密码未改变（忘记时运行 xinwen changepassword {username}）。")
                continue
            password = secrets.token_urlsafe(12)
            if group is None:
                user = User.objects.create_superuser(username=username, password=password, email="")
            else:
                user = User.objects.create_user(username=username, password=password, is_staff=True)
                user.groups.add(Group.objects.get(name=group))
            lines.append(f"账号 {username} / 密码 {password}  — {description}（只显示这一次）")
        for username, description, _grants in SECTION_ACCOUNTS:  # 栏目权限 only, no global role
            if User.objects.filter(username=username).exists():
                lines.append(f"账号 {username}：已存在，密码未改变（忘记时运行 xinwen changepassword {username}）。")
                continue
            password = secrets.token_urlsafe(12)
            User.objects.create_user(username=username, password=password, is_staff=True, email=f"{username}@example.com")
            lines.append(f"账号 {username} / 密码 {password}  — {description}（只显示这一次）")
        return lines
