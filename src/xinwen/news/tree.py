"""The category tree as one read model: loaded with one query, walked only here.

`CategoryTree.load()` reads every category once (trees are small: tens of sections);
ancestors, descendants, navigation and full path names are answered from memory.
Every module that needs the shape of the tree asks this object instead of walking
parent ids itself. Public pages ask `CategoryTree.current()`: the tree each worker keeps
until a category notice bumps its stamp (see xinwen/stamps.py), so a page costs no query
for its navigation.
"""

from __future__ import annotations

from collections.abc import Iterable

from xinwen import stamps
from xinwen.news.models import Category

__all__ = ["CategoryTree", "STAMP"]

STAMP = "categories"


class CategoryTree:
    def __init__(self, categories: Iterable[Category]):
        self.nodes: dict[int, Category] = {}
        self._children: dict[int | None, list[Category]] = {}
        for category in categories:  # menu order (Category.Meta.ordering)
            self.nodes[category.pk] = category
            self._children.setdefault(category.parent_id, []).append(category)
        for category in self.nodes.values():
            category.child_list = self._children.get(category.pk, [])
            if category.parent_id in self.nodes:  # category.ancestors() walks the tree without a query
                category.parent = self.nodes[category.parent_id]

    @classmethod
    def load(cls) -> CategoryTree:
        return cls(Category.objects.all())

    @classmethod
    def current(cls) -> CategoryTree:
        """The tree as of the last category notice, read once per worker per change; for pages only.

        Writes and anything inside a transaction use load(): the notice that refreshes
        this copy comes after the commit. Callers must not change the nodes.
        """
        return stamps.kept(STAMP, cls.load)

    @staticmethod
    def changed(**notice) -> None:
        """A category changed (a news.changes subscriber): every worker reloads the tree."""
        stamps.bump(STAMP)

    def roots(self) -> list[Category]:
        return self._children.get(None, [])

    def children(self, pk: int | None) -> list[Category]:
        return self._children.get(pk, [])

    def chain_ids(self, pk: int | None) -> list[int]:
        """The category and its ancestors, innermost first: the lists that include its articles."""
        chain: list[int] = []
        node = self.nodes.get(pk) if pk is not None else None
        while node is not None and node.pk not in chain:
            chain.append(node.pk)
            node = self.nodes.get(node.parent_id) if node.parent_id is not None else None
        return chain

    def ancestors(self, pk: int, *, include_self: bool = False) -> list[Category]:
        """Root first (a breadcrumb)."""
        chain = [self.nodes[i] for i in reversed(self.chain_ids(pk))]
        return chain if include_self else chain[:-1]

    def descendant_ids(self, pk: int) -> list[int]:
        """The category and everything below it."""
        ids: list[int] = []
        stack = [pk]
        while stack:
            node = stack.pop()
            if node in ids:
                continue
            ids.append(node)
            stack.extend(child.pk for child in self._children.get(node, []))
        return ids

    def sections(self) -> list[Category]:
        """The top-level sections: the children of a single root (新闻中心), or the roots themselves."""
        roots = self.roots()
        if len(roots) == 1 and self.children(roots[0].pk):
            return self.children(roots[0].pk)
        return roots

    def navigation(self) -> list[Category]:
        """The header menu: a single root followed by its sections, or the roots."""
        roots = self.roots()
        if len(roots) == 1:
            return [roots[0], *self.children(roots[0].pk)]
        return roots

    def path_name(self, pk: int) -> str:
        return " > ".join(node.name for node in self.ancestors(pk, include_self=True))

    def path_names(self) -> dict[int, str]:
        return {pk: self.path_name(pk) for pk in self.nodes}

    def roll_up(self, values: dict[int, object], combine) -> dict[int, object]:
        """Each category's value combined with those of everything below it."""
        total: dict[int, object] = {}
        for pk, value in values.items():
            for node in self.chain_ids(pk):
                total[node] = value if node not in total else combine(total[node], value)
        return total
