from django.contrib import admin

from xinwen.hanzi.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ("term", "mode", "zh_hans", "zh_hant", "zh_tw", "zh_hk", "note", "updated_at")
    list_filter = ("mode",)
    search_fields = ("term", "zh_hans", "zh_hant", "zh_tw", "zh_hk", "note")
    fieldsets = [
        (None, {"fields": ("term", "mode", "note")}),
        ("各版本写法（“指定译法”时填写；留空的版本按常规转换）", {"fields": ("zh_hans", "zh_hant", "zh_tw", "zh_hk")}),
    ]
