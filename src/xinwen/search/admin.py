from django.contrib import admin, messages

from xinwen.search.models import SearchTerm
from xinwen.search import services
from xinwen.search.services import search_term_delete, search_term_save


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """The search dictionary: terms jieba must keep whole. Each change reindexes the articles that contain it."""

    list_display = ("term", "note", "updated_at")
    search_fields = ("term", "note")
    fields = ("term", "note")

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("term") if change else None
        self._report(request, obj.term, search_term_save(term=obj, user=request.user, previous=previous))

    def delete_model(self, request, obj):
        self._report(request, obj.term, search_term_delete(term=obj, user=request.user))

    def delete_queryset(self, request, queryset):
        for term in queryset:
            self.delete_model(request, term)

    def _report(self, request, term, change):
        if not change.reindexed:
            messages.warning(
                request,
                f"「{term}」出现在超过 {services.AUTO_REINDEX_LIMIT} 篇文章中，请在服务器上运行 xinwen reindex，"
                "让这些文章按新词典重新分词。在此之前搜索这个词仍能找到它们，只是排序尚未用上新词典。",
            )
        elif change.affected:
            messages.info(request, f"已按新词典重建 {change.affected} 篇包含「{term}」的文章的搜索索引。")
        else:
            messages.info(request, f"目前没有文章包含「{term}」；以后发布的文章会按新词典分词。")
