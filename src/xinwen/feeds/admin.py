"""The Baidu push queue in the back office: read-only, with a 「重新推送」 action for given-up rows."""

from django.contrib import admin, messages

from xinwen.feeds import conf, push, worker
from xinwen.feeds.models import BaiduPush


@admin.register(BaiduPush)
class BaiduPushAdmin(admin.ModelAdmin):
    list_display = ("url", "status", "due_at", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("url",)
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = ("url", "article", "status", "due_at", "attempts", "last_error", "created_at", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("feeds.change_baidupush")

    @admin.action(description="重新推送所选的失败网址", permissions=["retry"])
    def retry(self, request, queryset):
        count = push.push_retry(entries=queryset)
        if count and conf.baidu_thread():
            worker.kick()
        self.message_user(request, f"已把 {count} 个网址重新加入推送队列。", messages.SUCCESS)
