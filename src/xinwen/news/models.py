"""Categories, articles and attachments: the content of the news center."""

from __future__ import annotations

import os
import uuid
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField

from xinwen import stamps
from xinwen.hanzi.convert import detect_script
from xinwen.hanzi.variants import SIMPLIFIED
from xinwen.news.images import text_font
from xinwen.news.links import article_url, category_url, tag_url, topic_url
from xinwen.news.sanitize import plain_text, sanitize_html

__all__ = ["Category", "Article", "Attachment", "BodyImage", "GalleryImage", "ImageSizes", "ArticleQuerySet", "AuditEntry", "SiteSettings", "FriendlyLink", "Tag", "Topic"]


def _random_name(prefix: str, filename: str) -> str:
    """Store uploads under random names: a filename from a user never reaches the disk."""
    ext = os.path.splitext(filename)[1].lower()[:8]
    return f"{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def cover_upload_to(instance, filename: str) -> str:
    return _random_name("covers", filename)


def attachment_upload_to(instance, filename: str) -> str:
    return _random_name("attachments", filename)


def body_image_upload_to(instance, filename: str) -> str:
    return _random_name("images", filename)


def video_upload_to(instance, filename: str) -> str:
    return _random_name("videos", filename)


def gallery_upload_to(instance, filename: str) -> str:
    return _random_name("gallery", filename)


class Category(models.Model):
    """A node of the category tree (新闻中心 > 公司新闻 ...)."""

    class ListStyle(models.TextChoices):
        TEXT = "text", "文字列表"
        IMAGE = "image", "图文列表（有封面的文章显示缩略图）"

    name = models.CharField("名称", max_length=60)
    slug = models.SlugField("网址标识", max_length=60, unique=True, help_text="英文字母、数字或连字符，用于网址。")
    parent = models.ForeignKey(
        "self", verbose_name="上级栏目", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.IntegerField("排序", default=0, help_text="数字小的排在前面。")
    description = models.TextField("栏目说明", blank=True)
    list_style = models.CharField("列表样式", max_length=8, choices=ListStyle.choices, default=ListStyle.TEXT)
    # The review chain (三审): how many levels an article passes before 发布; None inherits the parent's.
    review_levels = models.PositiveSmallIntegerField(
        "审核级数",
        null=True,
        blank=True,
        choices=[(0, "不审核（提交后直接待发布）"), (1, "一级审核"), (2, "两级审核"), (3, "三级审核")],
        help_text="留空则沿用上级栏目；顶级栏目留空为一级审核。",
    )
    review_names = models.CharField(
        "审核级别名称",
        max_length=60,
        blank=True,
        help_text="用“/”分隔各级名称，如：初审/复审/终审。留空则沿用上级栏目或默认名称。",
    )

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return " > ".join(c.name for c in self.ancestors(include_self=True))

    def get_absolute_url(self) -> str:
        return category_url(self.slug)

    def ancestors(self, *, include_self: bool = False) -> list[Category]:
        """Root first. Trees are shallow, so walking up costs a query or two at most."""
        chain: list[Category] = [self] if include_self else []
        node = self.parent
        seen = {self.pk}
        while node is not None and node.pk not in seen:
            chain.insert(0, node)
            seen.add(node.pk)
            node = node.parent
        return chain


def _published_literal() -> RawSQL:
    """`status = 'published'` written into the SQL, not bound as a parameter.

    SQLite decides whether the partial index `article_public_page` (WHERE status =
    'published' AND deleted_at IS NULL) may skip those checks from the statement's text: with
    the value bound it reads every row from the table to check them again. A parent
    section's deep list page at 10,000 articles: 18 ms → 1 ms (PostgreSQL is sent the
    literal either way, by psycopg's client-side binding).
    """
    return RawSQL(f"'{Article.Status.PUBLISHED}'", (), output_field=models.CharField())


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None) -> ArticleQuerySet:
        """What readers may see: published, the publish time has come, the unpublish time has not, not deleted.

        This is the only definition of "public" in xinwen. A scheduled article is simply
        a published one whose time lies ahead, so it appears by itself, without cron; an
        article with an unpublish time (定时下线) leaves by itself in the same way.
        """
        now = now or timezone.now()
        # released() and the time window in one filter(): the same WHERE clause, one queryset
        # clone instead of four (every public page builds several of these on a cache miss).
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            deleted_at__isnull=True,
            status=_published_literal(),
            publish_at__lte=now,
        )

    def not_deleted(self) -> ArticleQuerySet:
        """Everything outside the recycle bin (回收站)."""
        return self.filter(deleted_at__isnull=True)

    def in_recycle_bin(self) -> ArticleQuerySet:
        """Deleted articles, kept with their status, attachments and revisions until purged or restored."""
        return self.filter(deleted_at__isnull=False)

    def released(self) -> ArticleQuerySet:
        """Published by an editor and not deleted, whether the publish time has come or lies ahead."""
        return self.not_deleted().filter(status=_published_literal())

    def scheduled(self, *, now=None) -> ArticleQuerySet:
        """Published for a time that lies ahead: readers see these when the time comes."""
        return self.released().filter(publish_at__gt=now or timezone.now())

    def going_offline(self, *, now=None) -> ArticleQuerySet:
        """Released articles whose unpublish time (定时下线) lies ahead."""
        return self.released().filter(unpublish_at__gt=now or timezone.now())

    def previewable_by(self, user) -> ArticleQuerySet:
        """What a back-office user may see before readers do, by 栏目权限 (news/grants.py).

        Whole-tree publishers (编辑, 管理员, superusers) everything; reviewers and section
        publishers everything in their sections except other people's drafts; authors their
        own articles in the sections they write in (a global 作者 everywhere). news.services
        can_edit grants no more than this; anyone else gets nothing, so an unpublished article
        answers them exactly as it answers a reader.
        """
        from xinwen.news.grants import scope_for

        if not (user and user.is_active and user.is_staff):  # AnonymousUser is neither
            return self.none()
        if not user.has_perm("news.change_article") and not user.has_perm("news.view_article"):
            return self.none()
        scope = scope_for(user)
        # The recycle bin is not a preview: a deleted article is gone from every ordinary surface.
        if scope.whole_tree():
            return self.not_deleted()
        own = Q(created_by=user.pk)
        if not scope.author_all:
            own &= Q(category__in=scope.author)
        seen = scope.seen_ids()
        if seen:
            own |= Q(category__in=seen) & ~Q(status=Article.Status.DRAFT)
        return self.not_deleted().filter(own)

    def visible_to(self, user) -> ArticleQuerySet:
        """What this user may open: what readers see, plus what they may preview."""
        return self.published() | self.previewable_by(user)

    def in_sections(self, category_ids, *, cross_listed: bool = False) -> ArticleQuerySet:
        """Articles whose section is one of `category_ids`; with `cross_listed`, also those listed there 同时发布到.

        Callers pass a section with its sub-sections (CategoryTree.descendant_ids) and
        `cross_listed` as 站点设置 says (news.selectors.in_sections). The second part is an
        id subquery on the link table's category index, so no join multiplies the rows.
        """
        ids = list(category_ids)
        if not cross_listed:
            return self.filter(category_id__in=ids)
        links = Article.also_in.through.objects.filter(category_id__in=ids).values("article_id")
        return self.filter(Q(category_id__in=ids) | Q(pk__in=links))

    def listed(self) -> ArticleQuerySet:
        """Reader order: pinned first, then newest."""
        return self.order_by("-pinned", "-publish_at", "-id")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "待审核"
        APPROVED = "approved", "待发布"
        REJECTED = "rejected", "已退回"
        PUBLISHED = "published", "已发布"
        ARCHIVED = "archived", "已归档"

    class Kind(models.TextChoices):
        ARTICLE = "article", "文章"
        GALLERY = "gallery", "图集"

    title = models.CharField("标题", max_length=200)
    subtitle = models.CharField("副标题", max_length=200, blank=True)
    kind = models.CharField(
        "类型", max_length=10, choices=Kind.choices, default=Kind.ARTICLE,
        help_text="图集：正文前按顺序展示「图集图片」，读者可用键盘逐张浏览；发布时每张图片都要有替代文字。",
    )  # fmt: skip
    summary = models.TextField("摘要", blank=True, help_text="纯文本，用于列表和搜索引擎描述；留空则取正文开头。")
    body = ProseEditorField(
        "正文",
        blank=True,
        sanitize=sanitize_html,
        extensions={
            "Bold": True,
            "Italic": True,
            "Underline": True,
            "Strike": True,
            "Subscript": True,
            "Superscript": True,
            "Heading": {"levels": [2, 3, 4]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HorizontalRule": True,
            "HardBreak": True,
            "Link": {"enableTarget": False},
            "Image": True,
            "Figure": True,  # a picture with its 图注: <figure><img><figcaption>
            "Caption": True,
            "Table": True,
            "TableRow": True,
            "TableHeader": True,
            "TableCell": True,
            "History": True,
            "NoConvert": True,  # editorial/static/editorial/no-convert.js
            "AlignClass": True,  # editorial/static/editorial/align.js: 居中/居右 as the sanitiser's classes
            "CheckHits": True,  # 内容检查 hits as decorations: editorial/static/editorial/check-hits.js
            "Typographic": False,
        },
    )
    cover = models.ImageField("封面图", upload_to=cover_upload_to, blank=True)
    # One video per article, shown above the body; files are checked by content (news/uploads.py).
    video = models.FileField(
        "视频", upload_to=video_upload_to, blank=True, help_text="MP4 文件（H.264 视频、AAC 音频），按内容检查。"
    )
    video_poster = models.ImageField(
        "视频封面", upload_to=cover_upload_to, blank=True, help_text="播放前显示的图片；有视频时建议填写。"
    )
    video_captions = models.FileField(
        "视频字幕", upload_to=video_upload_to, blank=True, help_text="可选。WebVTT 字幕文件（.vtt，UTF-8 编码）。"
    )
    category = models.ForeignKey(Category, verbose_name="栏目", on_delete=models.PROTECT, related_name="articles")
    source_name = models.CharField("来源", max_length=100, blank=True)
    source_url = models.URLField("来源网址", blank=True)
    # 外链文章 (转载): lists link straight to this address and the article's own URL redirects there.
    external_url = models.URLField(
        "外链网址",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="填写后本文为外链文章：列表直接链接到该网址（http 或 https），正文可留空。",
    )
    author = models.CharField("作者", max_length=100, blank=True)
    editor = models.CharField("责任编辑", max_length=100, blank=True)
    publish_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    unpublish_at = models.DateTimeField(
        "下线时间", null=True, blank=True, help_text="可选。到达此时间后文章自动对读者隐藏（定时下线）。"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    pinned = models.BooleanField("置顶", default=False)
    # Home-page places an editor gives an article (news.selectors.home_blocks has the rules).
    headline = models.BooleanField("头条", default=False, help_text="首页顶部的头条，最新的 2 篇。")
    focus = models.BooleanField("焦点图", default=False, help_text="首页焦点图轮播，最新的 5 篇；需要封面图。")
    recommended = models.BooleanField("推荐", default=False, help_text="首页「推荐」栏，最新的 6 篇。")
    # Written by news.services.article_tags_set only (the article form's 标签 box), hence not editable here.
    tags = models.ManyToManyField("Tag", verbose_name="标签", blank=True, editable=False, related_name="articles")
    # 同时发布到: further sections whose lists show the article, where 站点设置 allows it. Its
    # own `category` alone gives the breadcrumb, the URL, 栏目权限 and previous/next.
    # Written by news.services.article_sections_set only, hence not editable here.
    also_in = models.ManyToManyField(
        Category, verbose_name="同时发布到", blank=True, editable=False, related_name="cross_listed"
    )
    view_count = models.PositiveBigIntegerField("浏览次数", default=0)
    review_note = models.TextField("审核意见", blank=True, editable=False)
    # While in review: the level of the category's chain (1 = 初审) the article waits at; 0 otherwise.
    review_level = models.PositiveSmallIntegerField("当前审核级别", default=0, editable=False)
    deleted_at = models.DateTimeField("移入回收站时间", null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_script = models.CharField(
        "原文字体", max_length=8, default="zh-hans", editable=False, help_text="稿件原文的书写字体，其他版本由它转换得到。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("publish_article", "可以发布、定时发布和撤回文章"),
            ("purge_article", "可以彻底删除回收站中的文章"),
        ]
        # Every public query filters status and publish time (and often the category) and
        # orders by pinned and publish time: with `pinned` inside the index, choosing and
        # ordering a page of ids reads the index alone, never thousands of rows with bodies.
        # The category index also holds what else decides that a row is public (deleted,
        # unpublish time), so a section's count and page of ids never read the table (a deep
        # list page at 10,000 articles: 25 ms → 2 ms); a parent section's list (several
        # categories) walks `article_public_page` in its order instead of sorting them all.
        indexes = [
            models.Index(fields=["status", "publish_at", "pinned"], name="article_public_listed"),
            models.Index(
                fields=["category", "status", "publish_at", "pinned", "deleted_at", "unpublish_at"],
                name="article_category_listed",
            ),
            models.Index(
                fields=["pinned", "publish_at", "id", "category", "unpublish_at"],
                name="article_public_page",
                condition=models.Q(deleted_at__isnull=True, status="published"),
            ),
            # One section's list and its home-page block, in their order (pinned first, then newest):
            # its first rows are the page, where article_category_listed (which answers the count)
            # made SQLite sort the whole section for each page (a block at 10,000 articles 0.64 ms →
            # 0.03 ms; page 50 1.6 → 0.09 ms). deleted_at and status are columns too, although the
            # condition fixes them: SQLite counts an index as covering only with every column the
            # query names, and did not choose it otherwise.
            models.Index(
                fields=["category", "pinned", "publish_at", "id", "unpublish_at", "deleted_at", "status"],
                name="article_section_page",
                condition=models.Q(deleted_at__isnull=True, status="published"),
            ),
            # The next 定时下线 (pagecache.selectors.next_publish_time, asked by every stored page).
            # Not a partial index (only rows with a time): SQLite's planner then preferred
            # scanning article_category_listed, which holds every article.
            models.Index(fields=["unpublish_at"], name="article_going_offline"),
            # 头条, 焦点图, 推荐 and 置顶 of the home page (selectors.featured_blocks, home_blocks): the
            # newest few flagged articles. Without these, finding them walked the articles newest first
            # until enough flagged ones came, all of them where few are flagged (the home page
            # at 10,000 articles: 15 renders/s). Each holds only the flagged rows.
            *(
                models.Index(fields=["publish_at", "id"], name=f"article_{flag}", condition=models.Q(**{flag: True}))
                for flag in ("headline", "focus", "recommended", "pinned")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Sanitising here, not only in forms, means no path (admin, import, shell) stores raw HTML.
        self.body = sanitize_html(self.body or "")
        self.summary = strip_tags(self.summary or "").strip()
        # Editors write in either script; the other variants are derived from what they wrote.
        self.source_script = detect_script(f"{self.title}{self.summary}{strip_tags(self.body)}") or SIMPLIFIED
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "source_script"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return article_url(self.pk)

    @property
    def link(self) -> str:
        """Where a list sends the reader: the external address of a 外链文章, else the article's page."""
        return self.external_url or self.get_absolute_url()

    @property
    def is_public(self) -> bool:
        now = timezone.now()
        return (
            self.is_released
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deleted_at is None

    @property
    def is_scheduled(self) -> bool:
        return self.is_released and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def is_offline_by_time(self) -> bool:
        """Published, but its unpublish time has passed (定时下线)."""
        return self.is_released and self.unpublish_at is not None and self.unpublish_at <= timezone.now()

    def description(self, length: int = 120) -> str:
        """Plain-text summary for lists and meta description, falling back to the body."""
        text = self.summary or self._body_text()
        return text if len(text) <= length else text[: length - 1] + "…"

    def _body_text(self) -> str:
        # A page asks for the description up to three times (meta, JSON-LD, Open Graph):
        # kept for as long as the body is the same.
        kept = self.__dict__.get("_body_text_of")
        if kept is None or kept[0] is not self.body:
            kept = self.__dict__["_body_text_of"] = (self.body, " ".join(plain_text(self.body or "").split()))
        return kept[1]


ATTACHMENT_KINDS = {
    "PDF": "PDF 文档",
    "DOC": "Word 文档",
    "DOCX": "Word 文档",
    "XLS": "Excel 表格",
    "XLSX": "Excel 表格",
    "JPG": "图片",
    "JPEG": "图片",
    "PNG": "图片",
    "GIF": "图片",
    "WEBP": "图片",
}


class Attachment(models.Model):
    """A downloadable file of an article (PDF, Word, Excel or an image)."""

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField("附件名称", max_length=200, blank=True, help_text="留空则使用上传时的文件名。")
    file = models.FileField("文件", upload_to=attachment_upload_to)
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)
    order = models.IntegerField("排序", default=0)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title or os.path.basename(self.file.name)

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size
        super().save(*args, **kwargs)

    @property
    def extension(self) -> str:
        return os.path.splitext(self.file.name)[1].lstrip(".").upper()

    @property
    def kind(self) -> str:
        """What a reader will get, in words (PDF 文档, Word 文档, ...): shown beside the size."""
        return ATTACHMENT_KINDS.get(self.extension, f"{self.extension} 文件" if self.extension else "文件")

    def get_absolute_url(self) -> str:
        return reverse("news:attachment", kwargs={"pk": self.pk})


class BodyImage(models.Model):
    """An image uploaded from the editor into an article body."""

    file = models.ImageField("图片", upload_to=body_image_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "正文图片"
        verbose_name_plural = "正文图片"


class GalleryImage(models.Model):
    """One picture of a 图集 (gallery article), in the order the editor gave; written by news.services.gallery."""

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ImageField("图片", upload_to=gallery_upload_to)
    alt = models.CharField("替代文字", max_length=200, blank=True, help_text="为看不到图片的读者描述图片内容，发布前必填。")
    caption = models.TextField("图注", blank=True, max_length=1000)
    order = models.IntegerField("排序", default=0, help_text="数字小的排在前面。")

    class Meta:
        verbose_name = "图集图片"
        verbose_name_plural = "图集图片"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.alt or os.path.basename(self.image.name)


class ImageSizes(models.Model):
    """The generated widths of one stored picture (a body image or a cover), found by its storage name.

    Written by news.services.image_sizes_generate at upload time; pages read it to write
    srcset and width/height (news/pictures.py). The copies' files are named by news.images.
    """

    name = models.CharField("文件", max_length=255, unique=True)
    width = models.PositiveIntegerField("宽度")
    height = models.PositiveIntegerField("高度")
    widths = models.JSONField("生成宽度", default=list)
    ext = models.CharField("格式", max_length=8, help_text="生成图的原格式扩展名（另有 WebP）。")
    watermarked = models.BooleanField("带水印", default=False)
    generated_at = models.DateTimeField("生成时间", auto_now=True)

    class Meta:
        verbose_name = "图片尺寸"
        verbose_name_plural = "图片尺寸"

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """The audit log: who did what to which content, and when. Written by news.services only."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        CHANGE = "change", "修改"
        SUBMIT = "submit", "提交审核"
        REJECT = "reject", "退回修改"
        PUBLISH = "publish", "发布"
        SCHEDULE = "schedule", "定时发布"
        UNPUBLISH = "unpublish", "撤回发布"
        ARCHIVE = "archive", "归档"
        WITHDRAW = "withdraw", "撤回提交"
        ROLLBACK = "rollback", "回滚版本"
        DELETE = "delete", "删除"
        RESTORE = "restore", "从回收站恢复"
        PURGE = "purge", "彻底删除"
        APPROVE = "approve", "审核通过"
        GRANT = "grant", "授予栏目权限"
        REVOKE = "revoke", "收回栏目权限"

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
        # The table was created by the editorial app; the write path (news.services) now owns it.
        db_table = "editorial_auditentry"

    def __str__(self) -> str:
        return f"{self.username or '系统'} {self.get_action_display()} {self.object_repr}"


class FriendlyLink(NamedTuple):
    name: str
    url: str


def friendly_links_parse(text: str) -> list[FriendlyLink]:
    """友情链接 as the editor typed them, one a line: 名称 网址 (a space or tab between).

    Raises ValueError naming the first bad line; only http(s) addresses are links.
    """
    links = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, _, url = line.replace("\t", " ").rpartition(" ")
        name, url = name.strip(), url.strip()
        if not name or not url.lower().startswith(("http://", "https://")) or any(c in url for c in "<>\"' "):
            raise ValueError(f"第 {number} 行「{line[:40]}」格式不对：请写成「名称 网址」，网址以 http:// 或 https:// 开头。")
        links.append(FriendlyLink(name=name, url=url))
    return links


SITE_STAMP = "site-settings"


class SiteSettings(models.Model):
    """站点设置: the site's name and the footer a Chinese site needs before launch; one row (pk 1).

    Written by news.services.site_settings_save only. Empty fields are simply not shown;
    an empty site name falls back to settings.SITE_NAME.
    """

    SINGLETON_PK = 1

    site_name = models.CharField("网站名称", max_length=100, blank=True, help_text="留空则使用部署配置中的 SITE_NAME。")
    organizer = models.CharField("主办单位", max_length=100, blank=True)
    operator = models.CharField("承办单位", max_length=100, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("联系邮箱", blank=True)
    icp_number = models.CharField(
        "ICP备案号", max_length=50, blank=True, help_text="如：京ICP备XXXXXXXX号-1。页脚中链接到工业和信息化部备案管理系统。"
    )
    police_number = models.CharField(
        "公安机关备案号", max_length=50, blank=True, help_text="如：京公网安备XXXXXXXXXXXXXX号。页脚中带备案图标，链接到全国互联网安全管理服务平台。"
    )
    site_code = models.CharField("网站标识码", max_length=30, blank=True, help_text="政府网站填写，如：1100000001。")
    friendly_links = models.TextField(
        "友情链接", blank=True, help_text="一行一个，名称和网址之间用空格隔开，如：国务院国资委 https://www.sasac.gov.cn/"
    )
    # The site's look: a logo beside its name, a banner across the header, a palette whose
    # colours all pass WCAG AA contrast (news/static/news/site.css, tests/test_palettes.py).
    logo = models.ImageField(
        "网站标志", upload_to="site/", blank=True, help_text="显示在页头网站名称前，建议透明底 PNG，高度不小于 96 像素。"
    )
    header_banner = models.ImageField(
        "页头横幅", upload_to="site/", blank=True, help_text="显示在页头顶部的宽幅图片，建议 1920×240 像素；图中文字请勿替代网站名称。"
    )

    class Palette(models.TextChoices):
        RED = "red", "中国红（默认）"
        BLUE = "blue", "政务蓝"
        GREEN = "green", "生态绿"
        INK = "ink", "墨色"

    palette = models.CharField(
        "配色", max_length=8, choices=Palette.choices, default=Palette.RED,
        help_text="页头、按钮和强调色。每套配色的文字与背景对比度都符合无障碍标准（WCAG AA）。",
    )  # fmt: skip
    # Watermark on the generated sizes of pictures (never on the stored original).
    watermark_text = models.CharField("水印文字", max_length=40, blank=True, help_text="留空且未上传水印图片则不加水印。")
    watermark_logo = models.ImageField("水印图片", upload_to="site/", blank=True, help_text="PNG 透明底标志；设置后代替水印文字。")
    watermark_position = models.CharField(
        "水印位置",
        max_length=12,
        default="bottom-right",
        choices=[
            ("bottom-right", "右下"),
            ("bottom-left", "左下"),
            ("top-right", "右上"),
            ("top-left", "左上"),
            ("center", "居中"),
        ],
    )
    watermark_opacity = models.PositiveSmallIntegerField(
        "水印不透明度", default=50, validators=[MaxValueValidator(100)], help_text="0–100，数字越大越清晰。"
    )
    cross_listing = models.BooleanField(
        "允许文章同时发布到多个栏目",
        default=False,
        help_text="开启后，编辑可以把一篇文章同时列入其他栏目的列表（“同时发布到”）；"
        "面包屑导航、网址和上一篇/下一篇仍按文章的所属栏目。关闭后各栏目只列出本栏目的文章，已选的栏目保留。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "站点设置"
        verbose_name_plural = "站点设置"

    def __str__(self) -> str:
        return "站点设置"

    @classmethod
    def load(cls) -> SiteSettings:
        """The one row, or an unsaved empty one when nobody has saved the settings yet."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)

    @classmethod
    def current(cls) -> SiteSettings:
        """The settings as of the last site notice, read once per worker per change; for pages only."""
        return stamps.kept(SITE_STAMP, cls.load)

    @staticmethod
    def changed(**notice) -> None:
        """The settings changed (a news.changes subscriber): every worker reads them again."""
        stamps.bump(SITE_STAMP)

    def clean(self) -> None:
        try:
            friendly_links_parse(self.friendly_links)
        except ValueError as exc:
            raise ValidationError({"friendly_links": str(exc)}) from None
        text = self.watermark_text.strip()
        if text and not self.watermark_logo and text_font(text, preferred=settings.WATERMARK_FONT) is None:
            raise ValidationError(
                {
                    "watermark_text": "服务器上没有能写中文的字体，无法生成文字水印：请上传水印图片，"
                    "或请运维安装中文字体（如 fonts-noto-cjk）或设置 WATERMARK_FONT。"
                }
            )

    @property
    def name(self) -> str:
        return self.site_name.strip() or settings.SITE_NAME

    @property
    def links(self) -> list[FriendlyLink]:
        try:
            return friendly_links_parse(self.friendly_links)
        except ValueError:  # saved before a rule changed: no links rather than a failing page
            return []

    def header_pictures(self) -> dict:
        """The generated sizes of the logo and banner (one query per worker per settings change: it is kept)."""
        if not hasattr(self, "_header_pictures"):
            from xinwen.news.pictures import picture_sets

            self._header_pictures = picture_sets(f.name for f in (self.logo, self.header_banner) if f)
        return self._header_pictures

    @property
    def police_record_code(self) -> str:
        """The digits of the 公安机关备案号, which the record site's query address takes."""
        return "".join(c for c in self.police_number if c.isdigit())


class Tag(models.Model):
    """A 标签: a word editors attach to articles across sections; each tag has a public page."""

    name = models.CharField("名称", max_length=30, unique=True)
    slug = models.SlugField("网址标识", max_length=60, unique=True, help_text="英文字母、数字或连字符，用于网址。")

    class Meta:
        verbose_name = "标签"
        verbose_name_plural = "标签"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return tag_url(self.slug)


def topic_banner_upload_to(instance, filename: str) -> str:
    return _random_name("topics", filename)


class Topic(models.Model):
    """A 专题: one page gathering articles on a subject, picked by hand and/or by a 标签, with a banner and an introduction."""

    title = models.CharField("专题名称", max_length=100)
    slug = models.SlugField("网址标识", max_length=60, unique=True, help_text="英文字母、数字或连字符，用于网址。")
    intro = models.TextField("专题介绍", blank=True, help_text="纯文本，空一行分段。")
    banner = models.ImageField("横幅图片", upload_to=topic_banner_upload_to, blank=True)
    banner_alt = models.CharField("横幅图片说明", max_length=200, blank=True, help_text="给看不到图片的读者，如：会场全景。")
    articles = models.ManyToManyField(Article, verbose_name="精选文章", blank=True, related_name="topics")
    tag = models.ForeignKey(
        Tag, verbose_name="按标签收录", null=True, blank=True, on_delete=models.SET_NULL, related_name="topics",
        help_text="带有该标签的已发布文章自动列入本专题。",
    )
    is_public = models.BooleanField("公开", default=True)
    order = models.IntegerField("排序", default=0, help_text="数字小的排在前面。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return topic_url(self.slug)

    def intro_paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.intro.replace("\r\n", "\n").split("\n\n") if p.strip()]


from xinwen.news.grants import SectionGrant  # noqa: E402  (the model lives beside its reads)
