"""The 站点设置 screen: one row, so the back office shows its change view only.

Kept beside admin.py (which imports it) to keep that module small. Saving calls
news.services.site_settings_save, which drops every stored page.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.urls import reverse

from xinwen.news import services
from xinwen.news.models import SiteSettings
from xinwen.news.uploads import clean_image

__all__ = ["SiteSettingsAdmin"]


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = "__all__"

    PICTURES = ("watermark_logo", "logo", "header_banner")  # checked and re-encoded on upload

    def clean(self):
        cleaned = super().clean()
        for name in self.PICTURES:
            if isinstance(cleaned.get(name), UploadedFile):
                try:
                    cleaned[name] = clean_image(cleaned[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ("site_name",)}),
        ("页头与配色", {"fields": ("logo", "header_banner", "palette")}),
        ("页脚：单位与联系方式", {"fields": ("organizer", "operator", "address", "phone", "email")}),
        ("页脚：备案信息", {"fields": ("icp_number", "police_number", "site_code")}),
        ("页脚：友情链接", {"fields": ("friendly_links",)}),
        ("栏目", {"fields": ("cross_listing",)}),
        (
            "图片水印（只加在网页使用的生成尺寸上，原图不变）",
            {"fields": ("watermark_text", "watermark_logo", "watermark_position", "watermark_opacity")},
        ),
    ]
    form = SiteSettingsForm

    def _change_url(self) -> str:
        return reverse("admin:news_sitesettings_change", args=[SiteSettings.SINGLETON_PK])

    def has_add_permission(self, request):
        return False  # the one row exists from its first save in the change view

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) != str(SiteSettings.SINGLETON_PK):
            return None
        return SiteSettings.load()

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)  # Django's own 403
        return HttpResponseRedirect(self._change_url())

    def save_model(self, request, obj, form, change):
        services.site_settings_save(site_settings=obj, user=request.user, changed_fields=list(form.changed_data))
