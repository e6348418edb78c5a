"""栏目权限 in the back office: the grants screen, the 待办 queues (list filter and home-page inbox),
and the category choices an author is offered.

What a grant means is news/grants.py; writes go through news.services (section_grant_save /
section_grant_delete, category_save for the review chain). editorial/admin.py hooks these in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse

from xinwen.news import services
from xinwen.news.errors import WorkflowError
from xinwen.news.grants import DEFAULT_LEVEL_NAMES, MAX_LEVELS, SectionGrant, chain_for, scope_for
from xinwen.news.models import Article, Category

__all__ = ["QueueFilter", "SectionGrantAdmin", "inbox_for", "writable_categories", "chain_text"]

Status = Article.Status


def writable_categories(user, queryset):
    """The categories this user may file an article under (all of them for 编辑, 管理员 and global 作者),
    and those they review in, so that a reviewer's form keeps the article's own section (moving it
    to another one is still the write path's question)."""
    scope = scope_for(user)
    ids = scope.writable_ids()
    return queryset if ids is None else queryset.filter(pk__in=ids | scope.seen_ids())


def chain_text(article: Article) -> str:
    """审核流程：初审 → 复审 → 终审 → 发布, with where this article stands."""
    chain = chain_for(article.category_id)
    text = chain.describe()
    if article.status == Status.REVIEW:
        text += f"（当前：{chain.name(article.review_level or 1)}）"
    elif article.status == Status.APPROVED:
        text += "（已通过审核，待发布）"
    return text


def _in(ids) -> Q:
    return Q() if ids is None else Q(category__in=ids)


def queue_filters(user) -> dict[str, tuple[str, Q]]:
    """Each 待办 queue this user has: key → (label, filter). Only the queues of their roles and sections."""
    scope = scope_for(user)
    queues: dict[str, tuple[str, Q]] = {}
    for level in range(1, MAX_LEVELS + 1):
        ids = scope.review_ids(level)
        if ids is None or ids:
            at = Q(review_level__lte=1) if level == 1 else Q(review_level=level)  # 0: in review from before the chain
            queues[f"review{level}"] = (f"待{DEFAULT_LEVEL_NAMES[level - 1]}", Q(status=Status.REVIEW) & at & _in(ids))
    if scope.publishes_somewhere():
        queues["approved"] = ("待发布", Q(status=Status.APPROVED) & _in(scope.publish_ids()))
    if scope.writes_somewhere():
        queues["rejected"] = ("被退回", Q(status=Status.REJECTED, created_by=user.pk))
    queues["scheduled"] = ("即将定时发布", Q(pk__in=Article.objects.scheduled().values("pk")))
    return queues


@dataclass(frozen=True)
class InboxItem:
    key: str
    label: str
    count: int
    url: str


def inbox_for(user) -> list[InboxItem]:
    """The 待办 counts of the admin home page, each linking to the filtered article list."""
    if not (user.is_authenticated and user.is_staff and user.has_perm("news.view_article")):
        return []
    visible = Article.objects.previewable_by(user)
    url = reverse("admin:news_article_changelist")
    return [
        InboxItem(key=key, label=label, count=visible.filter(condition).count(), url=f"{url}?queue={key}")
        for key, (label, condition) in queue_filters(user).items()
    ]


class QueueFilter(admin.SimpleListFilter):
    """待办: the articles waiting for this user, by queue (a reviewer sees only their level in their sections)."""

    title = "待办"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _q) in queue_filters(request.user).items()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        queue = queue_filters(request.user).get(self.value())
        return queryset.filter(queue[1]) if queue else queryset.none()


class SectionGrantAdmin(admin.ModelAdmin):
    """栏目权限: who writes, reviews at which level and publishes in which section (管理员 only)."""

    list_display = ("category", "holder", "role_text", "chain")
    list_filter = ("role", "level", "category")
    search_fields = ("user__username", "group__name", "category__name")
    autocomplete_fields = ()
    fields = ("category", "user", "group", "role", "level")
    list_select_related = ("category", "user", "group")

    @admin.display(description="用户或用户组")
    def holder(self, obj: SectionGrant):
        return obj.user.get_username() if obj.user_id else f"用户组：{obj.group.name}"

    @admin.display(description="角色")
    def role_text(self, obj: SectionGrant):
        if obj.role == SectionGrant.Role.REVIEW:
            return f"审核：{chain_for(obj.category_id).name(obj.level)}（第 {obj.level} 级）"
        return obj.get_role_display()

    @admin.display(description="该栏目的审核流程")
    def chain(self, obj: SectionGrant):
        return chain_for(obj.category_id).describe()

    def save_model(self, request, obj, form, change):
        services.section_grant_save(grant=obj, user=request.user)

    def delete_model(self, request, obj):
        services.section_grant_delete(grant=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            services.section_grant_delete(grant=grant, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as exc:  # the service's message is the answer
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.get_full_path())


admin.site.register(SectionGrant, SectionGrantAdmin)


def category_chain_column(obj: Category) -> str:
    chain = chain_for(obj.pk)
    own = "" if obj.review_levels is not None else "（沿用上级）"
    return chain.describe() + own


category_chain_column.short_description = "审核流程"
