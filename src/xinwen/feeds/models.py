"""The Baidu push queue: article URLs waiting to be submitted to Baidu's link-submission API.

Persisted so that nothing is lost when a process restarts, and so that the editor's
save never waits for Baidu: publishing only adds a row; a worker sends it later.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

__all__ = ["BaiduPush"]


class BaiduPush(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待推送"
        SENT = "sent", "已推送"
        FAILED = "failed", "推送失败"

    url = models.URLField("网址", max_length=500)
    article = models.ForeignKey(
        "news.Article", verbose_name="文章", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(
        "计划推送时间", help_text="定时发布的文章在发布时间到来后才推送；失败后按退避时间重试。"
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    # A worker leases the rows it sends, so that several processes never push the same URL twice.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField("加入时间", auto_now_add=True)
    sent_at = models.DateTimeField("推送时间", null=True, blank=True)

    class Meta:
        verbose_name = "百度推送"
        verbose_name_plural = "百度推送队列"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"], name="baidupush_due")]
        constraints = [
            # One waiting row per URL: an article edited five times before the push goes out once.
            models.UniqueConstraint(
                fields=["url"], condition=Q(status="pending"), name="baidupush_one_pending_per_url"
            ),
        ]

    def __str__(self) -> str:
        return self.url
