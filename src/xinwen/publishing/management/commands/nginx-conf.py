"""`xinwen nginx-conf --root DIR`: print an nginx server block that serves a published tree."""

from django.core.management.base import BaseCommand

from xinwen.publishing.nginx import nginx_conf


class Command(BaseCommand):
    help = "输出为静态发布目录服务的 nginx 配置（放在 http 配置段中，例如 conf.d/xinwen.conf）。"

    def add_arguments(self, parser):
        parser.add_argument("--root", required=True, help="发布目录（xinwen publish --to 的 DIR）")
        parser.add_argument("--listen", default="80", help="nginx listen 参数（默认 80）")
        parser.add_argument("--app", default="127.0.0.1:8000", help="动态路径（统计、搜索、接口）转发到的应用服务器")
        parser.add_argument("--server-name", default="_", help="server_name（默认 _）")

    def handle(self, *args, root, listen, app, server_name, **options):
        self.stdout.write(nginx_conf(root=root, listen=listen, app=app, server_name=server_name), ending="")
