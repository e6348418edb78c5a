"""`xinwen category add|list`: set up the category tree before an import (through news.services, as the back office does)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xinwen.news import services
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Category


def _parent(value: str) -> Category:
    """A category by slug, by name, or by path (新闻中心/公司新闻)."""
    by_slug = Category.objects.filter(slug=value).first()
    if by_slug is not None:
        return by_slug
    *above, name = [part.strip() for part in value.replace(">", "/").split("/") if part.strip()] or [""]
    found = [c for c in Category.objects.filter(name=name) if not above or [a.name for a in c.ancestors()][-len(above):] == above]
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f"没有栏目「{value}」：可以写网址标识、名称或路径（新闻中心/公司新闻）。")
    paths = "、".join(" > ".join(a.name for a in c.ancestors(include_self=True)) for c in found)
    raise CommandError(f"有多个栏目叫「{name}」（{paths}），请写网址标识或路径。")


class Command(BaseCommand):
    help = "管理栏目：add 新建栏目（--parent 上级栏目，--slug 网址标识），list 列出栏目树。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a category")
        add.add_argument("name", help="the category's name, e.g. 公司新闻")
        add.add_argument("--parent", default="", help="parent category: slug, name or path (新闻中心/公司新闻)")
        add.add_argument("--slug", default="", help="URL name (default: from the name's pinyin)")
        sub.add_parser("list", help="list the category tree")

    def handle(self, *args, **opts):
        if opts["action"] == "list":
            for category, depth in _walk():
                self.stdout.write(f"{'  ' * depth}{category.name}  ({category.slug})")
            return
        parent = _parent(opts["parent"]) if opts["parent"] else None
        try:
            category = services.category_create(name=opts["name"], parent=parent, slug=opts["slug"].strip(), user=None)
        except WorkflowError as exc:
            raise CommandError(str(exc)) from exc
        path = " > ".join(c.name for c in category.ancestors(include_self=True))
        self.stdout.write(f"已新建栏目：{path}（网址标识 {category.slug}）")


def _walk():
    """Every category, parents before children, with its depth."""
    children: dict = {}
    for category in Category.objects.order_by("order", "id"):
        children.setdefault(category.parent_id, []).append(category)

    def visit(parent_id, depth):
        for category in children.get(parent_id, []):
            yield category, depth
            yield from visit(category.pk, depth + 1)

    yield from visit(None, 0)
