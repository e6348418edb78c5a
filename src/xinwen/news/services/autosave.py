"""Autosave (自动保存): what an editor is typing, kept as a draft revision and nothing else.

The article row is never touched: a published article keeps its live content, no status
changes, no notice goes out (nothing readers or derived data see has changed). The typed
content is kept as a reversion Version made from an unsaved copy of the article, commented
AUTOSAVE_COMMENT, so it appears on the 版本与操作记录 page and 回滚到此版本 brings it back.
Consecutive autosaves of one person replace each other, so the history holds the latest
one, not one per minute.
"""

from __future__ import annotations

import reversion
from django.db import transaction
from reversion.models import Revision, Version

from xinwen.news.errors import NotAllowed
from xinwen.news.models import Article
from xinwen.news.sanitize import sanitize_html
from xinwen.news.services.access import can_edit

__all__ = ["article_autosave", "AUTOSAVE_COMMENT", "AUTOSAVED_FIELDS"]

AUTOSAVE_COMMENT = "自动保存（草稿版本，未发布）"
# The text an editor types; the category, cover and times are saved with the form itself.
AUTOSAVED_FIELDS = ("title", "subtitle", "summary", "body", "source_name", "source_url", "author", "editor")


@transaction.atomic
def article_autosave(*, article: Article, user, data: dict[str, str]) -> Version | None:
    """Keep `data` (field → typed text) as the article's newest draft revision; None when nothing differs."""
    if article.pk is None or not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章，无法自动保存。")
    copy = Article.objects.get(pk=article.pk)
    for name in AUTOSAVED_FIELDS:
        if name in data:
            limit = Article._meta.get_field(name).max_length
            value = str(data[name])
            setattr(copy, name, value[:limit] if limit else value)
    copy.title = " ".join(copy.title.split()) or article.title
    copy.body = sanitize_html(copy.body or "")  # exactly as Article.save() would
    latest = Version.objects.get_for_object(article).select_related("revision").first()
    if latest is not None and _same_content(latest, copy):
        return None
    user_id = getattr(user, "pk", None)
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(copy)
        reversion.set_user(user if user_id else None)
        reversion.set_comment(AUTOSAVE_COMMENT)
    if latest is not None and latest.revision.comment == AUTOSAVE_COMMENT and latest.revision.user_id == user_id:
        Revision.objects.filter(pk=latest.revision_id).delete()  # the newer autosave replaces it
    return Version.objects.get_for_object(article).first()


def _same_content(version: Version, article: Article) -> bool:
    data = version.field_dict
    return all(data.get(name) == getattr(article, name) for name in AUTOSAVED_FIELDS)
