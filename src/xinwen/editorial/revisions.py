"""Article revisions for the back office: how two versions differ, in the words an editor uses.

Only the editorial content is versioned (news.revisions). Each change carries the field's
label and display values (栏目 by name, 置顶 是/否, a cover by its file name, no HTML entities),
a word-level diff of the text (hanzi.worddiff) and, for the body, both versions rendered
side by side, sanitised again before they reach the page, so images and tables show.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from xinwen.hanzi.worddiff import word_diff
from xinwen.news.models import Article
from xinwen.news.revisions import CONTENT_FIELDS
from xinwen.news.sanitize import sanitize_html
from xinwen.news.tree import CategoryTree

__all__ = ["CONTENT_FIELDS", "article_versions", "FieldChange", "version_changes", "live_field_dict", "display_value", "revision_comment"]

BLOCKS = ("</p>", "</h2>", "</h3>", "</h4>", "</li>", "</tr>", "</blockquote>", "<br>", "<br/>", "<br />")


def article_versions(article: Article) -> list[Version]:
    """Newest first."""
    return list(Version.objects.get_for_object(article).select_related("revision__user"))


@dataclass
class FieldChange:
    field: str
    label: str
    before: str  # display values
    after: str
    diff_html: SafeString  # escaped, with <ins>/<del> marks
    before_html: SafeString | None = None  # the body only: both versions rendered, sanitised
    after_html: SafeString | None = None


def body_text(value: str) -> str:
    """The words of an HTML body as a reader reads them: blocks on their own lines, entities decoded."""
    marked = value or ""
    for tag in BLOCKS:
        marked = marked.replace(tag, tag + "\n")
    lines = (" ".join(html.unescape(strip_tags(line)).split()) for line in marked.split("\n"))
    return "\n".join(line for line in lines if line)


def display_value(name: str, value, *, tree: CategoryTree | None = None) -> str:
    """What a field's stored value means to an editor."""
    if isinstance(Article._meta.get_field(name), models.BooleanField):  # 置顶, 头条, 焦点图, 推荐 ...
        return "是" if value else "否"  # a version from before the field existed holds its default
    if value in (None, ""):
        return "（空）"
    if name == "category":
        tree = tree or CategoryTree.load()
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = None
        return tree.path_name(pk) if pk in tree.nodes else f"（已删除的栏目 {value}）"
    if name == "body":
        return body_text(str(value))
    if name == "cover":
        return str(value).rsplit("/", 1)[-1]
    return " ".join(html.unescape(str(value)).split())


def _diff_html(before: str, after: str) -> SafeString:
    parts = []
    for op, text in word_diff(before, after):
        text = escape(text).replace("\n", "<br>")
        parts.append(text if op == "equal" else f"<{op[:3]}>{text}</{op[:3]}>")
    return mark_safe("".join(parts))


def version_changes(older: dict, newer: dict, *, tree: CategoryTree | None = None) -> list[FieldChange]:
    """Fields whose value differs between two field dicts (a Version.field_dict or live values)."""
    tree = tree or CategoryTree.load()
    changes = []
    for name in CONTENT_FIELDS:
        field = Article._meta.get_field(name)
        raw_before, raw_after = older.get(field.attname), newer.get(field.attname)
        before, after = display_value(name, raw_before, tree=tree), display_value(name, raw_after, tree=tree)
        markup_changed = name == "body" and (raw_before or "").strip() != (raw_after or "").strip()
        if before == after and not markup_changed:
            continue
        if not older:  # the first version: what it held, nothing to compare with
            diff = mark_safe(escape(after).replace("\n", "<br>"))
        elif before != after:
            diff = _diff_html(before, after)
        else:
            diff = mark_safe("文字未变，格式、图片或表格有改动（见下方对照）。")
        change = FieldChange(name, str(field.verbose_name), before, after, diff)
        if name == "body":
            change.before_html = mark_safe(sanitize_html(raw_before or ""))
            change.after_html = mark_safe(sanitize_html(raw_after or ""))
        changes.append(change)
    return changes


def revision_comment(comment: str) -> str:
    """A revision's comment with field names as labels ("修改：title、body" → "修改：标题、正文")."""
    head, sep, names = (comment or "").partition("：")
    if not sep or head != "修改":
        return comment
    labels = []
    for name in names.split("、"):
        try:
            labels.append(str(Article._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # an old comment, shown as written
            labels.append(name)
    return f"{head}：{'、'.join(labels)}"


def live_field_dict(article: Article) -> dict:
    return {Article._meta.get_field(n).attname: getattr(article, Article._meta.get_field(n).attname) for n in CONTENT_FIELDS}
