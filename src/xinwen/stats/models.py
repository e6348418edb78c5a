"""What the stats app stores: daily views per article, and the short-lived material of de-duplication.

Article.view_count stays the total a reader sees (the imported base count plus every view
counted here); DailyViews keeps the same views per local day for the charts. Nothing here
can identify a reader: fingerprints are keyed hashes whose key (DailySecret) is deleted
once the day and the de-duplication window are over.
"""

from __future__ import annotations

from django.db import models

from xinwen.news.models import Article

__all__ = ["DailyViews", "DailySecret", "ViewFingerprint", "FlushedBatch", "BeaconWindow"]


class DailyViews(models.Model):
    """Views of one article on one local day (settings.TIME_ZONE)."""

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField("日期")
    views = models.PositiveBigIntegerField("浏览次数", default=0)

    class Meta:
        verbose_name = "浏览统计"
        verbose_name_plural = "浏览统计"
        ordering = ["-day", "article_id"]
        constraints = [
            # Also the conflict target of the counting upserts (services and flush).
            models.UniqueConstraint(fields=["article", "day"], name="stats_dailyviews_article_day"),
        ]
        indexes = [models.Index(fields=["day", "article"], name="stats_dailyviews_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} #{self.article_id}: {self.views}"


class DailySecret(models.Model):
    """The random key of one day's reader fingerprints; deleted when no longer needed (see housekeeping)."""

    day = models.DateField(primary_key=True)
    secret = models.CharField(max_length=64)

    class Meta:
        verbose_name = "每日密钥"
        verbose_name_plural = "每日密钥"


class ViewFingerprint(models.Model):
    """A reader's recent counted view of an article, as a keyed hash (database counting only).

    With Redis the same fingerprints live in Redis with an expiry instead.
    """

    digest = models.CharField(max_length=64, primary_key=True)
    seen = models.BigIntegerField(db_index=True)  # Unix time of the counted view

    class Meta:
        verbose_name = "访问指纹"
        verbose_name_plural = "访问指纹"


class FlushedBatch(models.Model):
    """A batch of Redis counts that reached the database; makes flushing exactly-once across crashes."""

    batch = models.CharField(max_length=40, primary_key=True)
    flushed_at = models.DateTimeField(db_index=True)
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "已写入批次"
        verbose_name_plural = "已写入批次"


class BeaconWindow(models.Model):
    """Beacons one client network sent in one rate window (database counting only).

    In the database so that every app process on every host counts against one limit;
    with Redis the same counter lives in Redis. Rows expire with their window (housekeeping).
    """

    bucket = models.CharField(max_length=64, primary_key=True)  # keyed hash of the network : window number
    hits = models.PositiveIntegerField(default=0)
    until = models.BigIntegerField(db_index=True)  # Unix time (ms) when the window is over

    class Meta:
        verbose_name = "信标限流窗口"
        verbose_name_plural = "信标限流窗口"
