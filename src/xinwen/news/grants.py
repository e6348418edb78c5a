"""栏目权限 and the review chain (三审): who may write, review at which level and publish in which sections.

A `SectionGrant` gives a user or a group one role in one category and everything below it:
作者 (write and submit), 审核 at level N (approve or send back at that level of the chain),
发布 (publish, schedule, unpublish, archive). The global roles of news/roles.py are the same
roles granted on the whole tree, so a site without section grants works exactly as before:

- 管理员 (the group) and superusers: every role everywhere;
- 编辑 (anyone holding news.publish_article through a group or directly): 审核 at every level
  and 发布 in the whole tree;
- 作者 (anyone holding news.change_article through a group or directly): 作者 in the whole tree.

Grants only add: a 作者 granted 发布 in 通知公告 is an author everywhere and a publisher there.
Accounts that should work in some sections only hold no global role, just grants; the
`SectionGrantBackend` gives them the model permissions the back office needs to open its
article screens (never news.publish_article, which means "the whole tree").

The chain of a category is its own `review_levels` or, when that is empty, the nearest
ancestor's; a root without one has ROOT_DEFAULT_LEVELS (one level, the review step xinwen
always had). Level names follow the same inheritance (`review_names`, "初审/复审/终审").

Written by news.services.sections only; read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.db import models
from django.db.models import Q

__all__ = [
    "SectionGrant",
    "Chain",
    "Scope",
    "chain_for",
    "scope_for",
    "SectionGrantBackend",
    "ROOT_DEFAULT_LEVELS",
    "DEFAULT_LEVEL_NAMES",
    "MAX_LEVELS",
]

MAX_LEVELS = 3
ROOT_DEFAULT_LEVELS = 1
DEFAULT_LEVEL_NAMES = ("初审", "复审", "终审")
ADMIN_GROUP = "管理员"


class SectionGrant(models.Model):
    """One role in one category (and the categories below it) for a user or a group."""

    class Role(models.TextChoices):
        AUTHOR = "author", "作者"
        REVIEW = "review", "审核"
        PUBLISH = "publish", "发布"

    category = models.ForeignKey(
        "news.Category", verbose_name="栏目", on_delete=models.CASCADE, related_name="grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        "auth.Group", verbose_name="用户组", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    level = models.PositiveSmallIntegerField(
        "审核级别", default=0, blank=True, help_text="仅“审核”角色填写：1 为初审，2 为复审，3 为终审。"
    )

    class Meta:
        app_label = "news"
        verbose_name = "栏目权限"
        verbose_name_plural = "栏目权限"
        ordering = ["category_id", "role", "level", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True) | Q(user__isnull=True, group__isnull=False),
                name="sectiongrant_user_xor_group",
            ),
        ]

    def __str__(self) -> str:
        who = self.user.get_username() if self.user_id else f"用户组 {self.group.name}" if self.group_id else "?"
        return f"{who}：{self.category.name} {self.role_label}"

    @property
    def role_label(self) -> str:
        if self.role == self.Role.REVIEW:
            return f"审核（第 {self.level} 级）"
        return self.get_role_display()


@dataclass(frozen=True)
class Chain:
    """A category's review chain: how many levels and what each is called."""

    levels: int
    names: tuple[str, ...]

    def name(self, level: int) -> str:
        if 1 <= level <= len(self.names):
            return self.names[level - 1]
        return f"第 {level} 级审核"

    def describe(self) -> str:
        return " → ".join(self.names[: self.levels]) + " → 发布" if self.levels else "提交后直接待发布"


def _names(text: str) -> tuple[str, ...]:
    given = [part.strip() for part in (text or "").replace("／", "/").split("/")]
    return tuple((given[i] if i < len(given) and given[i] else DEFAULT_LEVEL_NAMES[i]) for i in range(MAX_LEVELS))


def chain_for(category_id: int | None, *, tree=None) -> Chain:
    """The chain a category's articles pass: its own, else the nearest ancestor's, else the root default."""
    from xinwen.news.tree import CategoryTree

    tree = tree or CategoryTree.load()
    levels = names = None
    for pk in tree.chain_ids(category_id):  # innermost first
        node = tree.nodes[pk]
        if levels is None and node.review_levels is not None:
            levels = min(int(node.review_levels), MAX_LEVELS)
        if names is None and node.review_names.strip():
            names = _names(node.review_names)
    return Chain(levels=ROOT_DEFAULT_LEVELS if levels is None else levels, names=names or DEFAULT_LEVEL_NAMES)


def _global_perm(user, perm: str) -> bool:
    """The permission from the user's groups or own permissions (the global roles), not from section grants."""
    return ModelBackend().has_perm(user, perm)


@dataclass
class Scope:
    """What one user may do where. `None` in a set's place means the whole tree."""

    everything: bool = False
    author_all: bool = False
    publish_all: bool = False
    review_all: set[int] = field(default_factory=set)  # levels held in the whole tree
    author: set[int] = field(default_factory=set)  # category ids, inheritance already applied
    publish: set[int] = field(default_factory=set)
    review: dict[int, set[int]] = field(default_factory=dict)  # level -> category ids

    def may_write(self, category_id) -> bool:
        return self.everything or self.author_all or self.publish_all or category_id in self.author or category_id in self.publish

    def may_review(self, category_id, level: int) -> bool:
        return self.everything or level in self.review_all or category_id in self.review.get(level, ())

    def may_publish(self, category_id) -> bool:
        return self.everything or self.publish_all or category_id in self.publish

    def writes_somewhere(self) -> bool:
        return self.everything or self.author_all or self.publish_all or bool(self.author or self.publish)

    def publishes_somewhere(self) -> bool:
        return self.everything or self.publish_all or bool(self.publish)

    def reviews_somewhere(self) -> bool:
        return self.everything or bool(self.review_all) or any(self.review.values())

    def whole_tree(self) -> bool:
        """May see every section's articles (管理员, 编辑)."""
        return self.everything or self.publish_all

    def writable_ids(self) -> set[int] | None:
        return None if (self.everything or self.author_all or self.publish_all) else self.author | self.publish

    def review_ids(self, level: int) -> set[int] | None:
        return None if (self.everything or level in self.review_all) else set(self.review.get(level, ()))

    def publish_ids(self) -> set[int] | None:
        return None if (self.everything or self.publish_all) else set(self.publish)

    def seen_ids(self) -> set[int]:
        """The sections where this user reviews or publishes: they see the articles there."""
        ids = set(self.publish)
        for cats in self.review.values():
            ids |= cats
        return ids


def user_grants(user):
    """The user's own grants and those of their groups."""
    return SectionGrant.objects.filter(Q(user=user.pk) | Q(group__in=user.groups.all()))


def scope_for(user, *, tree=None) -> Scope:
    """Every role `user` holds and where (`user=None`, the operator, holds everything)."""
    if user is None:
        return Scope(everything=True)
    if not (user.is_authenticated and user.is_active):
        return Scope()
    if user.is_superuser or user.groups.filter(name=ADMIN_GROUP).exists():
        return Scope(everything=True)
    scope = Scope()
    if _global_perm(user, "news.publish_article"):
        scope.publish_all, scope.author_all, scope.review_all = True, True, set(range(1, MAX_LEVELS + 1))
    elif _global_perm(user, "news.change_article"):
        scope.author_all = True
    grants = list(user_grants(user).values_list("category_id", "role", "level"))
    if grants:
        from xinwen.news.tree import CategoryTree

        tree = tree or CategoryTree.load()
        for category_id, role, level in grants:
            below = set(tree.descendant_ids(category_id)) if category_id in tree.nodes else set()
            if role == SectionGrant.Role.AUTHOR:
                scope.author |= below
            elif role == SectionGrant.Role.PUBLISH:
                scope.publish |= below
            elif role == SectionGrant.Role.REVIEW and 1 <= level <= MAX_LEVELS:
                scope.review.setdefault(level, set()).update(below)
    return scope


def has_review_or_publish_grant(user) -> bool:
    return user_grants(user).filter(role__in=[SectionGrant.Role.REVIEW, SectionGrant.Role.PUBLISH]).exists()


# What an account with section grants only needs to open the article screens; the grants then say where.
# Reviewers change what waits at their level (news.services.can_edit), but only writers add articles.
SECTION_PERMISSIONS = frozenset(
    {
        "news.view_article", "news.change_article",
        "news.view_attachment", "news.add_attachment", "news.change_attachment", "news.delete_attachment",
        "news.add_bodyimage", "news.view_category",
    }
)  # fmt: skip
WRITER_PERMISSIONS = frozenset({"news.add_article"})


class SectionGrantBackend(BaseBackend):
    """Gives staff with at least one section grant the article screens' model permissions.

    Never news.publish_article or any permission outside the article screens: those mean the
    whole tree, and the grants decide every section-level question (news.services.access).
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not (user_obj.is_active and user_obj.is_staff) or user_obj.is_anonymous:
            return set()
        cache = "_xinwen_section_perm_cache"
        if not hasattr(user_obj, cache):
            roles = set(user_grants(user_obj).values_list("role", flat=True))
            writes = bool(roles & {SectionGrant.Role.AUTHOR, SectionGrant.Role.PUBLISH})
            setattr(user_obj, cache, (SECTION_PERMISSIONS | (WRITER_PERMISSIONS if writes else set())) if roles else set())
        return getattr(user_obj, cache)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
