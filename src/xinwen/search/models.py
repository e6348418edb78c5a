"""The search index's own rows, and the site's dictionary of terms for word segmentation."""

from django.db import models

__all__ = ["SearchDocument", "SearchTerm"]


class SearchDocument(models.Model):
    """One public (or scheduled) article as search sees it: folded, segmented text per field.

    Written only by `search.services`. Each text field holds the article's words in
    Simplified, case-folded form: words separated by "|", the characters of a CJK word by
    spaces ("集 团|召 开|2025|年"). Both index forms derive from that one string: the word
    form ("集团 召开 2025 年") and the character form ("集 团 召 开 2025 年"). The database
    backend keeps its full-text index in step (SQLite: triggers into an FTS5 table;
    PostgreSQL: a tsvector column with a GIN index, see search/backends/).

    `key` orders documents by publish time ((epoch seconds << 30) + article id), so "newest
    first" and date ranges are ranges of one integer, and scheduled articles are indexed
    ahead of time but not found before their publish time.
    """

    article_id = models.BigIntegerField(primary_key=True)  # no foreign key: a deleted article's row is removed by services
    key = models.BigIntegerField(unique=True)
    category_id = models.BigIntegerField()
    # Small columns first: SQLite reads a row's columns in order, through the long ones.
    title_len = models.PositiveIntegerField(default=0)
    extra_len = models.PositiveIntegerField(default=0)
    meta_len = models.PositiveIntegerField(default=0)
    body_len = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)
    title = models.TextField(blank=True)
    extra = models.TextField(blank=True)  # subtitle and summary
    meta = models.TextField(blank=True)  # source, author and category name
    lead = models.TextField(blank=True)  # the opening words of the body: what ranking reads of it
    title_sub = models.TextField(blank=True)  # dictionary words inside longer title words
    body = models.TextField(blank=True)
    text_sub = models.TextField(blank=True)  # the same for the other fields

    class Meta:
        db_table = "search_document"  # named in the backends' SQL and the SQLite triggers
        verbose_name = "搜索索引条目"
        verbose_name_plural = "搜索索引"

    def __str__(self) -> str:
        return f"article {self.article_id}"


class SearchTerm(models.Model):
    """A site term (a name, product or place) that word segmentation must keep whole."""

    term = models.CharField(
        "词语",
        max_length=40,
        unique=True,
        help_text="本站专有名词，例如单位名称、人名、产品名称（“东方智联”“智联云”）。简体、繁体均可。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "搜索词典条目"
        verbose_name_plural = "搜索词典"
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
