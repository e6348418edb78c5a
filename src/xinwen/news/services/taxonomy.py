"""Category and glossary writes: both change every page (navigation, conversion), so both announce it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.pinyin import pinyin_slug
from xinwen.news import changes
from xinwen.news.content_checks import category_texts, glossary_texts, texts_enforce
from xinwen.news.errors import WorkflowError
from xinwen.news.models import AuditEntry, Category
from xinwen.news.services.access import audit_record, require_perm

__all__ = ["category_save", "category_create", "category_delete", "category_path_ensure", "glossary_term_save", "glossary_term_delete"]

Action = AuditEntry.Action


@transaction.atomic
def category_save(*, category: Category, user, changed_fields: list[str] | None = None) -> Category:
    created = category.pk is None
    require_perm(user, "news.add_category" if created else "news.change_category", "您没有管理栏目的权限。")
    texts_enforce(texts=category_texts(category), what="栏目")
    category.save()
    audit_record(
        user=user, action=Action.CREATE if created else Action.CHANGE, obj=category, detail={"fields": changed_fields or []}
    )
    changes.category_changed(category_id=category.pk, action=Action.CREATE if created else Action.CHANGE)
    return category


@transaction.atomic
def category_delete(*, category: Category, user) -> None:
    """Delete an empty category; one that still holds articles or sub-categories is protected."""
    require_perm(user, "news.delete_category", "您没有删除栏目的权限。")
    if category.articles.exists() or category.children.exists():
        raise WorkflowError(f"栏目「{category.name}」下还有文章或子栏目，不能删除。")
    audit_record(user=user, action=Action.DELETE, obj=category, detail={"name": category.name})
    changes.category_changed(category_id=category.pk, action=Action.DELETE)
    try:
        category.delete()
    except ProtectedError as exc:  # a concurrent insert
        raise WorkflowError(f"栏目「{category.name}」仍在使用中，不能删除。") from exc


def _unique_slug(name: str) -> str:
    base = pinyin_slug(name) or "lanmu"
    slug, n = base, 2
    while Category.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}"[:60], n + 1
    return slug


@transaction.atomic
def category_create(*, name: str, user, parent: Category | None = None, slug: str = "") -> Category:
    """A new category under `parent`: never a second one of the same name there; the slug from its pinyin unless given."""
    name = " ".join((name or "").split())
    if not name:
        raise WorkflowError("栏目名称不能为空。")
    if Category.objects.filter(name=name, parent=parent).exists():
        where = f"「{parent.name}」下" if parent else "顶层"
        raise WorkflowError(f"{where}已有栏目「{name}」。")
    if slug and Category.objects.filter(slug=slug).exists():
        raise WorkflowError(f"网址标识「{slug}」已被其他栏目使用，请换一个。")
    category = Category(name=name[:60], slug=slug or _unique_slug(name), parent=parent)
    try:
        category.full_clean(validate_unique=False)
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in Category._meta.fields}
        raise WorkflowError("；".join(f"{labels.get(k, k)}：{'、'.join(v)}" for k, v in exc.message_dict.items())) from exc
    return category_save(category=category, user=user)


@transaction.atomic
def category_path_ensure(*, path: list[str], user) -> Category:
    """The category a breadcrumb names (新闻中心 > 公司新闻), creating the missing levels under their parents."""
    if not path:
        raise WorkflowError("栏目路径为空。")
    parent = None
    for name in path:
        found = Category.objects.filter(name=name, parent=parent).first()
        if found is None:
            found = category_save(category=Category(name=name, slug=_unique_slug(name), parent=parent), user=user)
        parent = found
    return parent


@transaction.atomic
def glossary_term_save(*, term: GlossaryTerm, user, changed_fields: list[str] | None = None) -> GlossaryTerm:
    """Save a glossary term; every page converts with the new glossary from the next request on."""
    created = term.pk is None
    require_perm(user, "hanzi.add_glossaryterm" if created else "hanzi.change_glossaryterm", "您没有管理简繁词表的权限。")
    texts_enforce(texts=glossary_texts(None, terms=[term]), what="简繁词表条目")
    term.save()
    audit_record(user=user, action=Action.CREATE if created else Action.CHANGE, obj=term, detail={"fields": changed_fields or []})
    changes.glossary_changed(term=term.term, action=Action.CREATE if created else Action.CHANGE)
    return term


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, user) -> None:
    require_perm(user, "hanzi.delete_glossaryterm", "您没有管理简繁词表的权限。")
    audit_record(user=user, action=Action.DELETE, obj=term, detail={"term": term.term})
    changes.glossary_changed(term=term.term, action=Action.DELETE)
    term.delete()
