"""The audit log: who did what to which content, and when."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

__all__ = ["AuditEntry"]


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "创建"
        CHANGE = "change", "修改"
        SUBMIT = "submit", "提交审核"
        REJECT = "reject", "退回修改"
        PUBLISH = "publish", "发布"
        SCHEDULE = "schedule", "定时发布"
        UNPUBLISH = "unpublish", "撤回发布"
        ARCHIVE = "archive", "归档"
        ROLLBACK = "rollback", "回滚版本"
        DELETE = "delete", "删除"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name="类型", on_delete=models.PROTECT)
    object_id = models.CharField("对象 ID", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.username or '系统'} {self.get_action_display()} {self.object_repr}"
