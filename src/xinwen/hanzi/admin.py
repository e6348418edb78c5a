from django.contrib import admin

from xinwen.hanzi.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ("term", "mode", "zh_hans", "zh_hant", "zh_tw", "zh_hk", "note", "updated_at")
    list_filter = ("mode",)
    search_fields = ("term", "zh_hans", "zh_hant", "zh_tw", "zh_hk", "note")
    def save_model(self, request, obj, form, change):
        from xinwen.editorial.services import glossary_term_save

        glossary_term_save(term=obj, user=request.user, changed_fields=list(form.changed_data))

    def delete_model(self, request, obj):
        from xinwen.editorial.services import glossary_term_delete

        glossary_term_delete(term=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for term in queryset:
            self.delete_model(request, term)

    fieldsets = [
        (None, {"fields": ("term", "mode", "note")}),
        ("各版本写法（“指定译法”时填写；留空的版本按常规转换）", {"fields": ("zh_hans", "zh_hant", "zh_tw", "zh_hk")}),
    ]
