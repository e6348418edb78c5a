"""Word and WPS paste in the rich-text editor: the clipboard's HTML made into body HTML by the server's own cleaner.

The editor parses pasted HTML with its own schema, which drops Word's `mso-list` styles and
alignment before anything could see them: a bulleted list arrived as paragraphs starting
with a stray "l". editorial/static/editorial/editor-paste.js therefore sends Office
clipboard HTML here first and inserts what comes back: `sanitize_html` (news/wordpaste.py,
then nh3), the same function every saved body goes through, so there is one cleaner.
Pictures the clipboard carries inline (data: URLs, as WPS and Word's web view put them)
are checked and stored through the body-image write path and linked; pictures Word links
as local files (file:///…) no browser may read: they are dropped and counted, and the
editor is told to upload them.
"""

from __future__ import annotations

import base64
import binascii
import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils.html import escape

from xinwen.editorial.errors import json_error, json_post
from xinwen.news import services
from xinwen.news.sanitize import sanitize_html
from xinwen.news.uploads import clean_image

__all__ = ["paste_urls", "MAX_PASTE_BYTES", "MAX_PASTED_IMAGES"]

MAX_PASTE_BYTES = 4 * 1024 * 1024  # below DATA_UPLOAD_MAX_MEMORY_SIZE, so the answer is ours, not Django's
MAX_PASTED_IMAGES = 20
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_NO_SRC = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>")
_DATA_SRC = re.compile(r"""\ssrc\s*=\s*(["'])data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)\1""", re.IGNORECASE)
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def _store_inline_images(markup: str, user) -> tuple[str, list[str]]:
    """Replace data: pictures by stored body images; returns the markup and one problem per picture refused."""
    problems: list[str] = []
    stored = 0

    def replace(match: re.Match) -> str:
        nonlocal stored
        tag = match.group(0)
        data = _DATA_SRC.search(tag)
        if data is None:
            if re.search(r"""\ssrc\s*=\s*["']?\s*data:""", tag, re.IGNORECASE):
                problems.append("剪贴板中有一张图片无法读取，已略过。")
                return ""
            return tag  # a linked picture: the sanitiser keeps http(s) and drops file:///, counted below
        if stored >= MAX_PASTED_IMAGES:
            problems.append(f"一次粘贴最多保存 {MAX_PASTED_IMAGES} 张图片，其余图片请用「上传图片到正文」上传。")
            return ""
        try:
            raw = base64.b64decode(re.sub(r"\s+", "", data.group(3)), validate=True)
            upload = clean_image(SimpleUploadedFile(f"pasted.{_EXTENSIONS[data.group(2).lower()]}", raw))
        except (binascii.Error, ValueError):
            problems.append("剪贴板中有一张图片无法读取，已略过。")
            return ""
        except ValidationError as exc:
            problems.append(f"剪贴板中有一张图片没有保存：{'；'.join(exc.messages)}")
            return ""
        image = services.body_image_create(upload=upload, user=user)
        stored += 1
        return tag[: data.start()] + f' src="{escape(image.file.url)}"' + tag[data.end() :]

    return _IMG.sub(replace, markup), problems


@json_post("粘贴内容", max_bytes=MAX_PASTE_BYTES, too_big=f"粘贴的内容太大（超过 {MAX_PASTE_BYTES // 1024 // 1024} MB），请分几次粘贴。")
def paste_view(model_admin, request: HttpRequest):
    if not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request):
        return json_error("您没有编辑文章的权限。", status=403)
    markup = request.POST.get("html")
    if markup is None:
        return json_error("没有收到粘贴的内容（html）。", status=400)
    if "\x00" in markup:
        return json_error("粘贴的内容含有无效字符。", status=400)
    markup, problems = _store_inline_images(markup, request.user)
    # The sanitiser drops a src it does not allow (file:///, cid:) and leaves an empty <img>: it goes.
    html, dropped = _NO_SRC.subn("", sanitize_html(markup))
    if dropped:
        problems.append(f"有 {dropped} 张图片是本机文件，浏览器无法读取，已略过；请用「上传图片到正文」上传。")
    return JsonResponse({"html": html, "problems": problems})


def paste_urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [path("paste/", view(lambda request: paste_view(model_admin, request)), name="news_article_paste")]
