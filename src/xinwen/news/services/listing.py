"""同时发布到 writes: the further sections whose lists show an article, besides its own.

Where 站点设置 allows it (cross_listing), an article filed in one section (its breadcrumb,
URL, 栏目权限 and previous/next) may also be listed in a few others. Listing an article in a
section, or taking it out, is work in that section: for a published article it needs the
right to publish there (it appears in that list at once), for any other the right to write
there. The change notice lets the page cache and the static publisher drop the lists of
the sections it entered or left (news.purges reads them from the article's placement).
"""

from __future__ import annotations

from django.db import transaction

from xinwen.news import changes
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.grants import scope_for
from xinwen.news.models import Article, AuditEntry, Category, SiteSettings
from xinwen.news.services.access import OPERATOR, audit_record, can_edit

__all__ = ["MAX_ALSO_IN", "article_also_in_check", "article_also_in_set"]

MAX_ALSO_IN = 5  # a few sections besides its own; a story everywhere is a site-wide one (首页, 推荐)


def _require_section_right(user, article: Article, sections: list[Category]) -> None:
    if user is OPERATOR:
        return
    scope = scope_for(user)
    publishing = article.status == Article.Status.PUBLISHED and article.deleted_at is None
    for section in sections:
        if publishing and not scope.may_publish(section.pk):
            raise NotAllowed(f"您没有在栏目「{section.name}」发布文章的权限，不能把已发布的文章列入或移出该栏目。")
        if not publishing and not scope.may_write(section.pk):
            raise NotAllowed(f"您没有在栏目「{section.name}」写稿的权限，不能把文章列入或移出该栏目。")


def article_also_in_check(*, article: Article, category_ids, user) -> tuple[list[Category], bool]:
    """(the further sections as chosen, by tree order; whether they differ from the stored ones), or the reason not.

    Raises WorkflowError or NotAllowed with the editor's message; the form asks this
    before saving anything, and article_also_in_set asks it again inside its transaction.
    """
    if article.pk is not None and not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章的栏目。")
    wanted = {int(pk) for pk in category_ids} - {article.category_id}
    if len(wanted) > MAX_ALSO_IN:
        raise WorkflowError(f"一篇文章最多同时发布到 {MAX_ALSO_IN} 个其他栏目，现在选了 {len(wanted)} 个。")
    found = {c.pk: c for c in Category.objects.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise WorkflowError("所选的栏目已不存在，请刷新页面后重新选择。")
    chosen = sorted(found.values(), key=lambda c: (c.order, c.pk))
    before = {c.pk: c for c in article.also_in.all()} if article.pk is not None else {}
    if set(before) == wanted:
        return chosen, False
    if wanted and not SiteSettings.load().cross_listing:
        raise WorkflowError("站点设置未开启“允许文章同时发布到多个栏目”，文章只能属于一个栏目。")
    _require_section_right(user, article, [found.get(pk) or before[pk] for pk in sorted(wanted ^ set(before))])
    return chosen, True


@transaction.atomic
def article_also_in_set(*, article: Article, category_ids, user) -> list[Category]:
    """List `article` in exactly these further sections (its own section is left out); returns them by tree order."""
    if article.pk is None:
        raise WorkflowError("请先保存文章，再选择同时发布到的栏目。")
    chosen, changed = article_also_in_check(article=article, category_ids=category_ids, user=user)
    if not changed:
        return chosen
    article.also_in.set(chosen)
    detail = {"fields": ["also_in"], "also_in": [c.name for c in chosen]}
    audit_record(user=user, action=AuditEntry.Action.CHANGE, obj=article, detail=detail)
    changes.article_changed(article_id=article.pk, action=AuditEntry.Action.CHANGE)
    return chosen
