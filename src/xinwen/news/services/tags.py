"""标签 writes: which tags an article carries, creating the tags an editor names for the first time.

Tags are created here and nowhere else; a new tag's URL slug is the pinyin of its name
(`hanzi.pinyin.pinyin_slug`), made unique with a number. Changing an article's tags moves
it between tag pages, so the change notice lets the page cache and the static publisher
drop those pages (news.purges reads the tags from the article's placement).
"""

from __future__ import annotations

import re

from django.db import transaction

from xinwen.hanzi.pinyin import pinyin_slug
from xinwen.news import changes
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.models import Article, AuditEntry, Tag
from xinwen.news.services.access import audit_record, can_edit

__all__ = ["MAX_TAGS", "tag_names_parse", "article_tags_set"]

MAX_TAGS = 10
_NAME_MAX = Tag._meta.get_field("name").max_length
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def tag_names_parse(text: str) -> list[str]:
    """The tag names an editor typed, separated by commas (either width), 、, semicolons or spaces; duplicates dropped."""
    names: list[str] = []
    for raw in _SEPARATORS.split(text or ""):
        name = raw.strip()
        if name and name not in names:
            names.append(name)
    too_long = [n for n in names if len(n) > _NAME_MAX]
    if too_long:
        raise WorkflowError(f"标签「{too_long[0][:40]}」太长：每个标签最多 {_NAME_MAX} 个字。")
    if len(names) > MAX_TAGS:
        raise WorkflowError(f"一篇文章最多 {MAX_TAGS} 个标签，现在有 {len(names)} 个。")
    return names


def _unique_slug(name: str) -> str:
    base = pinyin_slug(name, max_length=50) or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _tag_for(name: str) -> Tag:
    found = Tag.objects.filter(name=name).first()
    if found is not None:
        return found
    return Tag.objects.create(name=name, slug=_unique_slug(name))


@transaction.atomic
def article_tags_set(*, article: Article, names: list[str], user) -> list[Tag]:
    """Give `article` exactly the tags `names` (in that order of display: by name), creating new ones."""
    if article.pk is None:
        raise WorkflowError("请先保存文章，再设置标签。")
    if not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章的标签。")
    tags = [_tag_for(name) for name in tag_names_parse("，".join(names))]
    before = set(article.tags.values_list("pk", flat=True))
    if before == {t.pk for t in tags}:
        return tags
    article.tags.set(tags)
    audit_record(
        user=user, action=AuditEntry.Action.CHANGE, obj=article, detail={"fields": ["tags"], "tags": [t.name for t in tags]}
    )
    changes.article_changed(article_id=article.pk, action=AuditEntry.Action.CHANGE)
    return tags
