"""Where an imported article came from, what was repaired or doubted, and crawl progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinwen.news.models import Article

__all__ = ["ImportRecord", "ImportFlag", "CrawlState"]


class ImportRecord(models.Model):
    """One imported article and its import reference (the source URL): importing again updates it."""

    class Review(models.TextChoices):
        NONE = "none", "无需审核"
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已接受"

    article = models.OneToOneField(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="import_record")
    ref_hash = models.CharField("导入引用摘要", max_length=64, unique=True, editable=False)
    ref = models.TextField("导入引用（原网址）")
    old_path = models.CharField("旧网址路径", max_length=500, blank=True, db_index=True)
    # WordPress's short address of the same post (/?p=105), kept beside a pretty permalink so both redirect.
    alt_path = models.CharField("旧短网址路径", max_length=500, blank=True, db_index=True)
    kind = models.CharField("来源类型", max_length=10)
    encoding = models.CharField("原编码", max_length=20, blank=True)
    content_hash = models.CharField("内容摘要", max_length=64)
    rejected_title = models.TextField("被拒绝的标题", blank=True)
    review = models.CharField("审核", max_length=10, choices=Review.choices, default=Review.NONE, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    report = models.JSONField("导入报告", default=dict, blank=True)
    media = models.JSONField("已下载的文件", default=dict, blank=True)  # source URL -> stored media URL
    imported_at = models.DateTimeField("首次导入", auto_now_add=True)
    updated_at = models.DateTimeField("最近导入", auto_now=True)

    class Meta:
        verbose_name = "导入的文章"
        verbose_name_plural = "导入的文章"
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.ref


class ImportFlag(models.Model):
    """A reason to review an imported article: what was found, and whether it was repaired already."""

    class Kind(models.TextChoices):
        HIJACK = "hijack", "网页被劫持"
        MACHINE_CONVERSION = "machine_conversion", "机器繁简转换"
        LEAKED_PINYIN = "leaked_pinyin", "拼音泄漏"
        TRUNCATED = "truncated_annotation", "截断的注音"
        MISALIGNED = "misaligned", "GBK 错位乱码"
        MOJIBAKE = "mojibake", "编码乱码"
        LOST_CHARS = "lost_chars", "丢失的字"
        EXTRACTION = "extraction", "提取不完整"
        MEDIA = "media", "图片或附件"
        CONTENT_CHECK = "content_check", "内容检查"
        LISTING = "listing", "栏目与标签"

    record = models.ForeignKey(ImportRecord, verbose_name="导入记录", on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices, db_index=True)
    message = models.TextField("说明")
    repaired = models.BooleanField("已自动修复", default=False)
    hold = models.BooleanField("需审核后才发布", default=False)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "审核原因"
        verbose_name_plural = "审核原因"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.message[:60]}"


class CrawlState(models.Model):
    """The frontier of a same-host crawl, so an interrupted crawl resumes where it stopped."""

    start_hash = models.CharField(max_length=64, unique=True)
    start_url = models.TextField()
    pending = models.JSONField(default=list)
    done = models.JSONField(default=list)
    failed = models.JSONField(default=list)  # pages that failed last time: still pending, retried on resume
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "抓取进度"
        verbose_name_plural = "抓取进度"
