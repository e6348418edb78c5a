"""The back office: articles with workflow buttons, categories, revisions, the audit log, accounts and site settings.

The admin parses input and calls the write path (news.services); it never saves a row itself.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin  # registers Django's own; replaced below
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from js_asset import Media

from xinwen.editorial import accounts, sections
from xinwen.editorial.errors import json_error, json_post
from xinwen.editorial.article_list import ArticleListColumns
from xinwen.editorial.article_readonly import ReadOnlyBody
from xinwen.editorial.auditlog import audit_detail_text
from xinwen.editorial.autosave import autosave_urls
from xinwen.editorial.calendar import calendar_urls
from xinwen.editorial.checked_forms import CategoryForm, GlossaryTermForm
from xinwen.editorial.content_check import article_check_rows, content_check_urls
from xinwen.editorial.forms import ArticleAdminForm, AttachmentForm, GalleryImageForm, GalleryImageFormSet, ImageUploadForm
from xinwen.editorial.history import history_urls
from xinwen.editorial.paste import paste_urls
from xinwen.editorial.variant_words import variant_word_context, variant_word_urls
from xinwen.hanzi.models import GlossaryTerm
from xinwen.news import services
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article, Attachment, AuditEntry, Category, GalleryImage, SiteSettings
from xinwen.news.services import WORKFLOW


# The rich-text editor (Tiptap inside django-prose-editor) adds its base stylesheet as a <style>
# element, which carries no nonce; the article form's Content-Security-Policy allows exactly that
# stylesheet by its hash instead of any inline style. A new editor version may change the text:
# tests/test_csp.py recomputes the hash from the installed editor.js.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ("title", "file", "order", "size")
    readonly_fields = ("size",)


class GalleryImageInline(admin.TabularInline):
    """图集图片: shown on the page (in this order) when the article's 类型 is 图集."""

    model = GalleryImage
    form = GalleryImageForm
    formset = GalleryImageFormSet
    extra = 0
    fields = ("image", "alt", "caption", "order")


@admin.register(Article)
class ArticleAdmin(ReadOnlyBody, ArticleListColumns, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [GalleryImageInline, AttachmentInline]
    actions = ["publish_selected", "unpublish_selected", "archive_selected", "submit_selected", "delete_selected"]
    readonly_fields = ("status", "view_count", "created_by", "created_at", "updated_at", "public_link")
    autocomplete_fields = ()
    change_form_template = "editorial/article_change_form.html"
    change_list_template = "editorial/article_change_list.html"
    delete_confirmation_template = "editorial/article_delete_confirmation.html"
    fieldsets = [
        (None, {"fields": ("title", "subtitle", "kind", "category", "summary", "body", "cover", "tag_names")}),
        ("视频", {"classes": ("collapse",), "fields": ("video", "video_poster", "video_captions")}),
        ("来源与署名", {"fields": ("source_name", "source_url", "external_url", "author", "editor")}),
        ("发布", {"fields": ("status", "publish_at", "unpublish_at", "pinned", "headline", "focus", "recommended", "public_link")}),
        ("记录", {"classes": ("collapse",), "fields": ("view_count", "created_by", "created_at", "updated_at")}),
    ]

    class Media:
        js = ["editorial/editor-zh.js", "editorial/editor-common.js", "editorial/editor-upload.js", "editorial/editor-paste.js", "editorial/autosave.js", "editorial/content-check.js"]
        css = {"all": ["editorial/admin.css", "editorial/inbox.css"]}

    # --- who sees and edits what ------------------------------------------------
    def get_queryset(self, request):
        return super().get_queryset(request).previewable_by(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return sections.scope_for(request.user).publishes_somewhere()  # each article is checked by the service

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":  # 栏目权限: an author is offered their sections only
            kwargs["queryset"] = sections.writable_categories(request.user, Category.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})  # 同时发布到 offers this user's sections

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not (SiteSettings.load().cross_listing or (obj is not None and obj.pk and obj.also_in.exists())):
            return fieldsets  # a site without cross-listing never sees the box (one left from before can be cleared)
        (name, options), *rest = fieldsets
        fields = list(options["fields"])
        fields.insert(fields.index("category") + 1, "also_in_sections")
        return [(name, {**options, "fields": fields}), *rest]

    @admin.display(description="同时发布到")
    def also_in_sections(self, obj: Article):  # the read-only form's value
        return "、".join(c.name for c in obj.also_in.order_by("order", "pk")) if obj.pk else ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user, obj if obj is not None and obj.pk else None):
            fields += ["publish_at", "unpublish_at", "pinned", "headline", "focus", "recommended"]
        return fields

    # --- list columns: editorial/article_list.py -----------------------------------
    @admin.display(description="前台地址")
    def public_link(self, obj: Article):
        if not obj.pk:
            return "保存后生成"
        note = "" if obj.is_public else "（读者尚不可见，编辑可预览）"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>{}', obj.get_absolute_url(), obj.get_absolute_url(), note)

    # --- saving through services --------------------------------------------------
    def save_model(self, request, obj, form, change):
        services.article_save(article=obj, user=request.user, changed_fields=list(form.changed_data))
        if "tag_names" in form.cleaned_data:
            services.article_tags_set(article=obj, names=form.cleaned_data["tag_names"], user=request.user)
        if "also_in_sections" in form.cleaned_data:
            sections = [c.pk for c in form.cleaned_data["also_in_sections"]]
            services.article_also_in_set(article=obj, category_ids=sections, user=request.user)

    def delete_model(self, request, obj):
        services.article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article, user=request.user)

    def render_delete_form(self, request, context):
        context["recycle_bin_days"] = settings.RECYCLE_BIN_DAYS
        return super().render_delete_form(request, context)

    def response_delete(self, request, obj_display, obj_id):
        messages.success(
            request, f"「{obj_display}」已移入回收站，{settings.RECYCLE_BIN_DAYS} 天内可以在回收站中恢复。"
        )
        return HttpResponseRedirect(reverse("admin:news_article_changelist"))

    def changelist_view(self, request, extra_context=None):
        services.recycle_bin_purge_expired()  # lazily, no cron: see news/services/recycle.py
        extra_context = {**(extra_context or {}), "can_open_recycle_bin": self.has_delete_permission(request)}
        return super().changelist_view(request, extra_context)

    @method_decorator(csp_update({"style-src": [EDITOR_STYLE_HASH]}))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        actions = self._workflow_actions(request, obj)
        names = {name for name, _label in actions}
        context["workflow_actions"] = actions
        # Each role is shown what it can do: scheduling and review notes only to those who publish.
        context["can_schedule"] = "_publish" in names
        context["asks_review_note"] = "_reject" in names
        context["review_chain"] = sections.chain_text(obj) if obj is not None and obj.pk else ""
        context["can_withdraw"] = bool(
            obj is not None
            and obj.status == Article.Status.REVIEW
            and obj.review_level <= 1
            and obj.created_by_id == request.user.pk
            and obj.deleted_at is None
        )
        # The 内容检查 panel: what the write path will say when 提交审核 or 发布 is pressed.
        context["content_findings"] = article_check_rows(obj)
        if (obj is None and self.has_add_permission(request)) or (obj is not None and self.has_change_permission(request, obj)):
            args = [obj.pk] if obj is not None and obj.pk else []
            context["content_check_url"] = reverse("admin:news_article_content_check", args=args)
        context.update(variant_word_context(request, obj))
        context["needs_confirmation"] = any(f["action"] == "confirm" for f in context["content_findings"])
        context["upload_url"] = reverse("admin:news_article_upload_image")
        context["paste_url"] = reverse("admin:news_article_paste")
        # The rich-text editor's import map is an inline <script type="importmap">: under the
        # Content-Security-Policy it runs only with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_actions(self, request, obj):
        return services.workflow_actions(user=request.user, article=obj)

    def save_formset(self, request, form, formset, change):
        """Attachments and 图集 pictures are saved and deleted through the write path, like the article itself."""
        if formset.model is GalleryImage:
            for image in formset.save(commit=False):
                services.gallery_image_save(image=image, user=request.user)
            for image in formset.deleted_objects:
                services.gallery_image_delete(image=image, user=request.user)
            return
        for attachment in formset.save(commit=False):
            services.attachment_save(attachment=attachment, user=request.user)
        for attachment in formset.deleted_objects:
            services.attachment_delete(attachment=attachment, user=request.user)

    def _apply_workflow(self, request, obj) -> bool:
        """Run the workflow button pressed, if any; False when it was refused (the message says why)."""
        note = request.POST.get("_review_note", "")
        for name, _label, service, _statuses, _needs in WORKFLOW:
            if name in request.POST:
                extra = {"reason": note} if name == "_reject" else {"comment": note} if name in ("_publish", "_approve") else {}
                if service in ("article_submit", "article_publish"):
                    extra["confirmed"] = bool(request.POST.get("_confirm_content"))
                try:
                    getattr(services, service)(article=obj, user=request.user, **extra)
                except WorkflowError as exc:
                    messages.error(request, str(exc))
                    return False
                # The workflow's message says what happened; Django's "saved" would only repeat it.
                request._workflow_reported = True
                if obj.is_scheduled:
                    messages.success(request, f"已设置定时发布：{obj.publish_at:%Y-%m-%d %H:%M}，届时自动对读者可见。")
                else:
                    messages.success(request, f"「{obj.title}」已{_label}。" if name != "_publish" else f"「{obj.title}」已发布。")
                return True
        return True

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, "_workflow_reported", False):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        if not self._apply_workflow(request, obj):
            return HttpResponseRedirect(reverse("admin:news_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if not self._apply_workflow(request, obj):
            return HttpResponseRedirect(reverse("admin:news_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    # --- bulk actions -------------------------------------------------------------
    def _bulk(self, request, queryset, service: str, done: str):
        ok, failed = 0, []
        for article in queryset:
            try:
                with transaction.atomic():
                    getattr(services, service)(article=article, user=request.user)
                ok += 1
            except (WorkflowError, PermissionDenied) as exc:
                failed.append(f"「{article.title}」：{exc}")
        if ok:
            messages.success(request, f"{ok} 篇文章{done}。")
        for line in failed:
            messages.warning(request, line)

    @admin.action(description="发布所选文章", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "article_publish", "已发布")

    @admin.action(description="撤回所选文章", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "article_unpublish", "已撤回")

    @admin.action(description="归档所选文章", permissions=["publish"])
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, "article_archive", "已归档")

    @admin.action(description="提交所选文章审核", permissions=["change"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "article_submit", "已提交审核")

    @admin.action(description="删除所选文章（移入回收站）", permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's bulk delete, but it says where the articles go, and they go through the write path."""
        if request.POST.get("post"):
            self._bulk(request, queryset, "article_delete", f"已移入回收站，{settings.RECYCLE_BIN_DAYS} 天内可以恢复")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "删除所选文章",
            "opts": self.model._meta,
            "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "recycle_bin_days": settings.RECYCLE_BIN_DAYS,
        }
        return TemplateResponse(request, "editorial/article_delete_selected_confirmation.html", context)

    # --- extra views: body images, calendar (calendar.py), revisions (history.py) ------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload-image/", view(self.upload_image_view), name="news_article_upload_image"),
            *history_urls(self),
            *autosave_urls(self),
            *paste_urls(self),
            *content_check_urls(self),
            *variant_word_urls(self),
            path("<int:pk>/withdraw/", view(self.withdraw_view), name="news_article_withdraw"),
            *calendar_urls(self),
            path("recycle-bin/", view(self.recycle_bin_view), name="news_article_recycle_bin"),
            path("recycle-bin/<int:pk>/restore/", view(self.restore_view), name="news_article_restore"),
            path("recycle-bin/<int:pk>/purge/", view(self.purge_view), name="news_article_purge"),
            *super().get_urls(),
        ]

    @json_post("上传图片", too_big="图片太大，无法上传。")
    def upload_image_view(self, request: HttpRequest):
        """Store an image for the article body and answer with its URL (JSON)."""
        if not self.has_add_permission(request) and not self.has_change_permission(request):
            return json_error("您没有上传图片的权限。", status=403)
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [str(e) for errs in form.errors.values() for e in errs]
            return json_error("；".join(errors) or "请选择一张图片。")
        image = services.body_image_create(upload=form.cleaned_data["image"], user=request.user)
        return JsonResponse({"url": image.file.url, "alt": form.cleaned_data.get("alt", "")}, status=201)

    # --- withdrawing a submission, the recycle bin ---------------------------------------
    def withdraw_view(self, request: HttpRequest, pk: int):
        if request.method != "POST":
            return JsonResponse({"error": "撤回提交需要从文章页面提交。"}, status=405)
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            services.article_withdraw(article=article, user=request.user)
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"「{article.title}」已撤回提交，现在是草稿，可以继续修改。")
        return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]))

    def _binned(self, request, pk: int) -> Article:
        if request.method != "POST":
            raise PermissionDenied
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return get_object_or_404(Article.objects.in_recycle_bin(), pk=pk)

    def recycle_bin_view(self, request: HttpRequest):
        """The articles in the recycle bin, with when each is purged by itself."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        services.recycle_bin_purge_expired()
        articles = list(
            Article.objects.in_recycle_bin().select_related("category", "deleted_by").order_by("-deleted_at", "-pk")
        )
        for article in articles:
            article.purge_at = services.recycle_bin_expiry(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "回收站",
            "articles": articles,
            "recycle_bin_days": settings.RECYCLE_BIN_DAYS,
            "can_purge": request.user.has_perm("news.purge_article"),
        }
        return TemplateResponse(request, "editorial/recycle_bin.html", context)

    def restore_view(self, request: HttpRequest, pk: int):
        article = self._binned(request, pk)
        services.article_restore(article=article, user=request.user)
        messages.success(request, f"「{article.title}」已恢复，状态为「{article.get_status_display()}」。")
        return HttpResponseRedirect(reverse("admin:news_article_recycle_bin"))

    def purge_view(self, request: HttpRequest, pk: int):
        article = self._binned(request, pk)
        title = article.title
        services.article_purge(article=article, user=request.user)  # NotAllowed is a 403
        messages.success(request, f"「{title}」已彻底删除。")
        return HttpResponseRedirect(reverse("admin:news_article_recycle_bin"))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ("indented_name", "slug", "order", "article_count", sections.category_chain_column)
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {}
    ordering = ("parent__order", "order", "id")

    @admin.display(description="名称")
    def indented_name(self, obj: Category):
        return str(obj)

    @admin.display(description="文章数")
    def article_count(self, obj: Category):
        return obj.articles.count()

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj, user=request.user, changed_fields=list(form.changed_data))

    def delete_model(self, request, obj):
        services.category_delete(category=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            try:
                services.category_delete(category=category, user=request.user)
            except WorkflowError as exc:
                messages.error(request, str(exc))

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("admin:news_category_changelist"))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "content_type", "object_link", "detail_text")
    list_filter = ("action", "content_type", "at")
    search_fields = ("username", "object_repr")
    date_hierarchy = "at"
    list_select_related = ("content_type",)

    readonly_fields = ("at", "username", "action", "content_type", "object_id", "object_repr", "detail_text")
    exclude = ("detail", "user")

    @admin.display(description="详情")
    def detail_text(self, obj: AuditEntry):
        return audit_detail_text(obj)

    @admin.display(description="对象")
    def object_link(self, obj: AuditEntry):
        gone = (AuditEntry.Action.DELETE, AuditEntry.Action.PURGE)
        if obj.content_type.model == "article" and obj.action not in gone:
            return format_html('<a href="{}">{}</a>', reverse("admin:news_article_change", args=[obj.object_id]), obj.object_repr)
        return obj.object_repr

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    form = GlossaryTermForm
    list_display = ("term", "mode", "zh_hans", "zh_hant", "zh_tw", "zh_hk", "note", "updated_at")
    list_filter = ("mode",)
    search_fields = ("term", "zh_hans", "zh_hant", "zh_tw", "zh_hk", "note")
    fieldsets = [
        (None, {"fields": ("term", "mode", "note")}),
        ("各版本写法（“指定译法”时填写；留空的版本按常规转换）", {"fields": ("zh_hans", "zh_hant", "zh_tw", "zh_hk")}),
    ]

    def save_model(self, request, obj, form, change):
        services.glossary_term_save(term=obj, user=request.user, changed_fields=list(form.changed_data))

    def delete_model(self, request, obj):
        services.glossary_term_delete(term=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for term in queryset:
            self.delete_model(request, term)


# --- accounts: 管理员 manage them within the roles; only superusers go beyond ----------------

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(UserAdmin):
    def get_queryset(self, request):
        # A superuser's account (or one with more than the roles) does not exist for a 管理员.
        return accounts.manageable_accounts(request.user, super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Fields not in the form are not read from a POST either.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in accounts.SUPERUSER_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = accounts.assignable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        accounts.account_change_check(user=request.user, account=obj, groups=form.cleaned_data.get("groups", []))
        super().save_model(request, obj, form, change)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """The roles' permissions come from migrations: others may look, only a superuser changes them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


from xinwen.editorial import site_settings  # noqa: E402, F401  (registers the 站点设置 screen)
from xinwen.editorial import topics  # noqa: E402, F401  (registers the 专题 screen)
