"""Back office: imported articles that need a look, with the reasons, and the editor's accept / fix."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from xinwen.news.errors import WorkflowError
from xinwen.news.services import can_publish
from xinwen.importer.confidence import FIELD_LABELS, HOLD_BELOW
from xinwen.importer.errors import ImportFailed
from xinwen.importer.models import ImportFlag, ImportRecord


class FlagInline(admin.TabularInline):
    model = ImportFlag
    extra = 0
    can_delete = False
    fields = ("kind", "message", "repaired", "hold")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class FlagKindFilter(admin.SimpleListFilter):
    title = "审核原因"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return ImportFlag.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(flags__kind=self.value()).distinct()
        return queryset


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ("article_title", "review", "reasons", "certainty", "article_status", "old_address", "updated_at", "actions_column")
    list_filter = ("review", FlagKindFilter, "kind", "encoding")
    search_fields = ("article__title", "ref", "old_path", "rejected_title")
    list_select_related = ("article",)
    list_per_page = 50
    actions = ["accept_selected"]
    inlines = [FlagInline]
    readonly_fields = ("article_link", "ref", "old_path", "kind", "encoding", "rejected_title", "review", "reviewed_by",
                       "reviewed_at", "imported_at", "updated_at", "report")  # fmt: skip
    fields = readonly_fields

    change_form_template = "admin/importer/importrecord/change_form.html"

    def get_queryset(self, request):
        # What waits for an editor comes first.
        pending_first = Case(When(review=ImportRecord.Review.PENDING, then=Value(0)), default=Value(1))
        queryset = self.model._default_manager.annotate(pending_first=pending_first).prefetch_related("flags")
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["pending_first", "-updated_at", "-id"]

    def has_add_permission(self, request):
        return False  # records come from `xinwen import` only

    def has_change_permission(self, request, obj=None):
        return False  # nothing to edit here: the article is fixed in its own form

    def get_urls(self):
        return [
            path("<int:pk>/accept/", self.admin_site.admin_view(self.accept_view), name="importer_importrecord_accept"),
            *super().get_urls(),
        ]

    @admin.display(description="可信度")
    def certainty(self, record):
        """Each field's score; the doubtful ones say why (the evidence the import found)."""
        fields = (record.report or {}).get("confidence") or {}
        items = []
        for name, label in FIELD_LABELS.items():
            if name in fields:
                score, evidence = fields[name]["score"], fields[name]["evidence"]
                low = score < HOLD_BELOW
                shown = f"{score:.1f}（{evidence}）" if low else f"{score:.1f}"
                items.append((("certainty-low" if low else "certainty-ok"), evidence, label, shown))
        return format_html_join("<br>", '<span class="{}" title="{}">{} {}</span>', items) or "—"

    @admin.display(description="文章", ordering="article__title")
    def article_title(self, record):
        return record.article.title

    @admin.display(description="状态")
    def article_status(self, record):
        return record.article.get_status_display()

    @admin.display(description="原因")
    def reasons(self, record):
        flags = list(record.flags.all())
        if not flags:
            return "—"
        return format_html_join(
            "",
            '<div class="import-flag">{}{}：{}</div>',
            (("⚠ " if f.hold else "✓ " if f.repaired else "", f.get_kind_display(), f.message[:140]) for f in flags),
        )

    @admin.display(description="旧网址")
    def old_address(self, record):
        return record.old_path or "—"

    @admin.display(description="文章")
    def article_link(self, record):
        url = reverse("admin:news_article_change", args=[record.article_id])
        return format_html('<a href="{}">{}</a>', url, record.article.title)

    @admin.display(description="操作")
    def actions_column(self, record):
        fix = reverse("admin:news_article_change", args=[record.article_id])
        if record.review != ImportRecord.Review.PENDING:
            return format_html('<a href="{}">修改文章</a>', fix)
        review = reverse("admin:importer_importrecord_change", args=[record.pk])
        return format_html('<a href="{}">审核</a> · <a href="{}">修改文章</a>', review, fix)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        extra = {"can_accept": bool(record and record.review == ImportRecord.Review.PENDING and can_publish(request.user))}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _accept(self, request, records) -> int:
        from xinwen.importer import services  # the import pipeline: not needed to list imports

        if not can_publish(request.user):
            raise PermissionDenied
        accepted = 0
        for record in records:
            try:
                services.import_record_accept(record=record, user=request.user)
                accepted += 1
            except (ImportFailed, WorkflowError) as exc:
                self.message_user(request, f"{record.article.title}：{exc}", messages.ERROR)
        return accepted

    def accept_view(self, request, pk: int):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:importer_importrecord_changelist"))
        record = get_object_or_404(ImportRecord, pk=pk)
        if self._accept(request, [record]):
            self.message_user(request, f"已接受：{record.article.title}", messages.SUCCESS)
        return HttpResponseRedirect(request.META.get("HTTP_REFERER") or reverse("admin:importer_importrecord_changelist"))

    @admin.action(description="接受所选导入文章（确认修复无误；待审核的将发布）")
    def accept_selected(self, request, queryset):
        accepted = self._accept(request, queryset.filter(review=ImportRecord.Review.PENDING))
        self.message_user(request, f"已接受 {accepted} 篇导入的文章。", messages.SUCCESS)
