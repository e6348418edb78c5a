"""人名职务 in the back office: the list the content checks hold names and titles against."""

from __future__ import annotations

from django.contrib import admin

from xinwen.guard import services
from xinwen.guard.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "valid_from", "valid_to", "note", "updated_at")
    search_fields = ("name", "title")
    list_filter = ("title",)
    fields = ("name", "title", "valid_from", "valid_to", "note")

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj)

    def delete_model(self, request, obj):
        services.person_delete(person=obj)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            services.person_delete(person=person)
