"""The 专题 screen: topics with a banner, an introduction, a tag and hand-picked articles.

Kept beside admin.py (which imports it). Saving calls news.services.topic_save, which
also sets the hand-picked articles, so the form's own many-to-many save never runs.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.core.files.uploadedfile import UploadedFile

from xinwen.news import services
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Topic
from xinwen.news.uploads import clean_image

__all__ = ["TopicAdmin"]


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "slug", "intro", "banner", "banner_alt", "tag", "articles", "is_public", "order"]

    def clean_banner(self):
        banner = self.cleaned_data.get("banner")
        return clean_image(banner) if isinstance(banner, UploadedFile) else banner

    def clean(self):
        data = super().clean()
        if data.get("banner") and not (data.get("banner_alt") or "").strip():
            self.add_error("banner_alt", "有横幅图片时请填写图片说明，供看不到图片的读者使用。")
        return data


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicForm
    list_display = ("title", "slug", "tag", "is_public", "order", "updated_at")
    search_fields = ("title", "slug")
    raw_id_fields = ("articles",)
    fieldsets = [
        (None, {"fields": ("title", "slug", "intro", "is_public", "order")}),
        ("横幅", {"fields": ("banner", "banner_alt")}),
        ("收录文章", {"fields": ("tag", "articles"), "description": "可以按标签自动收录，也可以手工挑选文章（填写文章 ID），两者可同时使用。"}),
    ]

    def has_add_permission(self, request):
        return services.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return services.can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return services.can_publish(request.user)

    def has_view_permission(self, request, obj=None):
        return services.can_publish(request.user)

    def has_module_permission(self, request):
        return services.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        ids = [a.pk for a in form.cleaned_data.get("articles", [])]
        services.topic_save(topic=obj, user=request.user, article_ids=ids, changed_fields=list(form.changed_data))

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the articles were set by topic_save
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.topic_delete(topic=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for topic in queryset:
            services.topic_delete(topic=topic, user=request.user)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except WorkflowError as exc:  # the service refused (rolled back): say why, keep the editor on the form
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.path)
