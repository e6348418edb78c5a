"""Links in an article's body, and whether an internal one leads to a page readers can open.

`body_links` is pure. `internal_problem` asks the site itself: `resolve()` for the path
(with the script prefix /zh-tw/ etc. taken off, as the middleware does), then
`Article.objects.published()` for an article, the attachment's article for a download,
the storage for an uploaded file. External links are left to `xinwen linkcheck`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve

from xinwen.hanzi.variants import variant_for_prefix
from xinwen.news.models import Article, Attachment, Category

__all__ = ["body_links", "internal_path", "internal_problem", "is_external", "link_check"]

_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def body_links(markup: str) -> list[str]:
    """Every href of a link and src of an image in the body, in order, each once."""
    found = (html.unescape(m.group(1) if m.group(1) is not None else m.group(2)).strip() for m in _LINK.finditer(markup or ""))
    return list(dict.fromkeys(url for url in found if url))


def _site_host() -> str:
    return urlsplit(getattr(settings, "SITE_URL", "") or "").netloc.lower()


def internal_path(url: str) -> str | None:
    """The path of a link to this site (root-relative, or absolute to SITE_URL's host); None for anything else."""
    parts = urlsplit(url)
    if parts.scheme in ("", "http", "https") and not parts.netloc and url.startswith("/") and not url.startswith("//"):
        return unquote(parts.path)
    if parts.scheme in ("http", "https") and parts.netloc.lower() == _site_host() and _site_host():
        return unquote(parts.path) or "/"
    return None


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and internal_path(url) is None


def internal_problem(path: str) -> tuple[str, str] | None:
    """(kind, message) when the page at `path` is not open to readers: "missing" or "unpublished"; None when it is."""
    first, slash, rest = path.lstrip("/").partition("/")
    if slash and variant_for_prefix(first) is not None:
        path = "/" + rest
    media = settings.MEDIA_URL or "/media/"
    if path.startswith(media):
        name = path[len(media) :]
        return None if name and default_storage.exists(name) else ("missing", "文件不存在")
    if path.startswith(settings.STATIC_URL or "/static/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return ("missing", "站内页面不存在")
    if match.url_name == "article" and match.namespace == "news":
        pk = match.kwargs["pk"]
        if Article.objects.published().filter(pk=pk).exists():
            return None
        if Article.objects.filter(pk=pk, deleted_at__isnull=True).exists():
            return ("unpublished", "链接的文章尚未发布或已下线")
        return ("missing", "链接的文章不存在")
    if match.url_name == "category" and match.namespace == "news":
        return None if Category.objects.filter(slug=match.kwargs["slug"]).exists() else ("missing", "链接的栏目不存在")
    if match.url_name == "attachment" and match.namespace == "news":
        attachment = Attachment.objects.filter(pk=match.kwargs["pk"]).first()
        if attachment is None:
            return ("missing", "链接的附件不存在")
        if not Article.objects.published().filter(pk=attachment.article_id).exists():
            return ("unpublished", "附件所属文章尚未发布")
    return None


def link_check(texts, *, article=None, **_context):
    """The content check: every internal link of the body must lead to a page readers can open.

    A target that does not exist needs the editor's confirmation (a dead link is what
    website inspections count); one not yet published is only noted (articles are often
    published together).
    """
    from xinwen.guard.matcher import CONFIRM, NOTE
    from xinwen.news.content_checks import Finding

    if article is None:
        return []
    findings = []
    for url in body_links(article.body):
        path = internal_path(url)
        problem = internal_problem(path) if path is not None else None
        if problem:
            kind, message = problem
            action = CONFIRM if kind == "missing" else NOTE
            findings.append(Finding("正文链接", message, "死链", action, 0, len(url), url, "站内链接检查"))
    return findings
