"""The article form's 内容检查 panel: what the write path's content checks say, saved or still being typed.

The panel of a saved article is rendered with the page (`article_check_rows`), so it works
without script. editorial/static/editorial/content-check.js posts the form's unsaved text
to `content_check_view` (800 ms after the last keystroke, and on 「检查」) and redraws the
panel from its answer; a click on a row marks the hit in the form. The view runs
`news.content_checks.article_findings`, the function `article_submit` and `article_publish`
enforce, over an article that is never saved: what the panel lists is what 提交审核 and
发布 will say. Offsets come back in the text the editor sees: the body's text is the one the
script extracted from the rich-text editor (one line break wherever the markup has a tag, as
the write path reads it), so a hit maps back to the editor's own positions.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from xinwen.editorial.errors import json_error, json_post
from xinwen.news.content_checks import BLOCK, CONFIRM, NOTE, FieldText, Finding, article_findings
from xinwen.news.models import Article, Category
from xinwen.news.sanitize import sanitize_html

__all__ = ["article_check_rows", "finding_rows", "content_check_urls", "MAX_CHECK_BYTES"]

ACTION_LABELS = {BLOCK: "禁止发布", CONFIRM: "需要确认", NOTE: "仅提示"}
_RANK = {BLOCK: 0, CONFIRM: 1, NOTE: 2}
# The labels the checks use for the form's own fields; a hit elsewhere (a section's name,
# a picture's alt text, a link) is listed but has nothing in the form to select.
FORM_FIELDS = {
    "标题": "title",
    "副标题": "subtitle",
    "摘要": "summary",
    "正文": "body",
    "来源": "source_name",
    "作者": "author",
    "责任编辑": "editor",
}
TEXT_FIELDS = ("title", "subtitle", "summary", "source_name", "author", "editor")
# Bytes of JSON: a long article's markup and its text, well below DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_CHECK_BYTES = 4 * 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")


def _utf16(text: str):
    """Code-point offset → UTF-16 offset in `text` (what a browser's strings and ProseMirror count)."""
    if not text or max(text) <= "\uffff":
        return lambda index: index
    astral = [i for i, char in enumerate(text) if char > "\uffff"]
    return lambda index: index + bisect_left(astral, index)


def finding_rows(texts: list[FieldText], findings: list[Finding]) -> list[dict]:
    """The panel's rows, 禁止发布 first; a hit in a form field carries that field's name and UTF-16 offsets."""
    by_field = {item.field: item.text for item in texts}
    rows = []
    for f in sorted(findings, key=lambda f: _RANK.get(f.action, len(_RANK))):
        row = {
            "field": f.field,
            "word": f.word,
            "category": f.category,
            "action": f.action,
            "action_label": ACTION_LABELS.get(f.action, f.action),
            "position": f.start + 1,
            "start": f.start,
            "end": f.end,
            "text": f.text,
            "excerpt": f.excerpt(texts),
            "name": "",
        }
        text = by_field.get(f.field)
        # Only a hit that is really there (not a picture's or a link's) can be selected in the form.
        if f.field in FORM_FIELDS and text is not None and f.end > f.start and text[f.start : f.end] == f.text:
            offset = _utf16(text)
            row.update(name=FORM_FIELDS[f.field], **{"from": offset(f.start), "to": offset(f.end)})
        rows.append(row)
    return rows


def article_check_rows(article: Article | None) -> list[dict]:
    """The panel of a saved article as the page renders it: what the write path will say of it."""
    if article is None or not article.pk:
        return []
    return finding_rows(*article_findings(article))


def _string(value, label: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"「{label}」应为文字。")
    # A lone surrogate (JSON allows "\ud800") becomes U+FFFD: one character either way, offsets stay.
    return _SURROGATE.sub("\ufffd", value)


def _parse(request: HttpRequest) -> dict:
    """The posted JSON as {field: text, "body_text": text or None, "category": id or None}; ValueError says what is wrong."""
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("请求内容不是有效的 JSON，无法检查。请刷新页面后重试。") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("fields", {}), dict):
        raise ValueError("请求格式不对：应为 {\"fields\": {\"title\": …, \"body\": …}}。")
    fields = payload.get("fields", {})
    labels = {name: label for label, name in FORM_FIELDS.items()}
    data = {name: _string(fields[name], labels[name]) for name in (*TEXT_FIELDS, "body") if name in fields}
    body_text = payload.get("body_text")
    data["body_text"] = None if body_text is None else _string(body_text, "正文")
    category = payload.get("category")
    if category in (None, ""):
        data["category"] = None
    elif isinstance(category, int) or (isinstance(category, str) and category.isascii() and category.isdigit()):
        data["category"] = int(category)
    else:
        raise ValueError("「栏目」应为栏目编号。")
    return data


_TOO_BIG = f"内容太长（超过 {MAX_CHECK_BYTES // (1024 * 1024)} MB），无法在保存前检查；保存后在本页查看检查结果。"


@json_post("内容检查", max_bytes=MAX_CHECK_BYTES, too_big=_TOO_BIG)
def content_check_view(model_admin, request: HttpRequest, pk: int | None = None):
    """POST JSON {fields, body_text, category} → {findings, counts}: the checks over the text as typed, nothing saved."""
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        return json_error("您没有编辑文章的权限，不能检查。", status=403)
    if pk is not None:
        article = get_object_or_404(model_admin.get_queryset(request), pk=pk)
        if not model_admin.has_change_permission(request, article):
            return json_error("您不能修改这篇文章，不能检查。", status=403)
    elif model_admin.has_add_permission(request):
        article = Article()
    else:
        return json_error("您没有新建文章的权限，不能检查。", status=403)
    try:
        data = _parse(request)
    except ValueError as exc:
        return json_error(str(exc))
    # The article in memory only, as the form would save it: never article.save().
    for name in TEXT_FIELDS:
        if name in data:
            setattr(article, name, data[name])
    if "body" in data:
        article.body = sanitize_html(data["body"])  # what Article.save() would store
    if data["category"] is not None:
        category = Category.objects.filter(pk=data["category"]).first()
        if category is not None:
            article.category = category
    rows = finding_rows(*article_findings(article, body_text=data["body_text"]))
    counts = {action: sum(1 for row in rows if row["action"] == action) for action in ACTION_LABELS}
    return JsonResponse({"findings": rows, "counts": counts})


def content_check_urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    check = view(lambda request, pk=None: content_check_view(model_admin, request, pk))
    return [
        path("content-check/", check, name="news_article_content_check"),
        path("<int:pk>/content-check/", check, name="news_article_content_check"),
    ]
