"""xinwen image_sizes: generate the web sizes (and WebP copies) of stored pictures, with the site's watermark."""

import logging

from django.core.management.base import BaseCommand

from xinwen.news.services import image_sizes_rebuild

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "为正文图片和封面图生成网页使用的各宽度图片（含 WebP），按站点设置加水印；原图不变。"
        "修改水印设置后运行一次；可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="只为还没有生成尺寸的图片生成（升级后首次运行）。")

    def handle(self, *args, missing=False, **options):
        count = image_sizes_rebuild(only_missing=missing, progress=lambda name: log.debug("sizes of %s", name))
        self.stdout.write(f"已为 {count} 张图片生成网页尺寸。")
