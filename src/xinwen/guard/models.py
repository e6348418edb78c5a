"""Lexicons editors keep in the back office; the built-in starter lexicon is a file (lexicons/builtin.txt)."""

from __future__ import annotations

from django.db import models

from xinwen.guard.lexicon import ACTION_LABELS, CATEGORIES


class Lexicon(models.Model):
    """A list of words with one category and one action: what finding one of them means."""

    name = models.CharField("名称", max_length=60, unique=True)
    category = models.CharField("分类", max_length=20, choices=[(c, c) for c in CATEGORIES], default="自定义")
    action = models.CharField(
        "处理方式",
        max_length=10,
        choices=list(ACTION_LABELS.items()),
        default="confirm",
        help_text="禁止发布：含有这些词的文章不能提交或发布；需要确认：编辑核实后才能发布；仅提示：只在内容检查中列出；例外：含有这些词的地方不算命中。",
    )
    enabled = models.BooleanField("启用", default=True)
    description = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "词库"
        verbose_name_plural = "词库"
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class LexiconWord(models.Model):
    lexicon = models.ForeignKey(Lexicon, verbose_name="词库", on_delete=models.CASCADE, related_name="words")
    word = models.CharField("词语", max_length=60)

    class Meta:
        verbose_name = "词语"
        verbose_name_plural = "词语"
        ordering = ["word"]
        constraints = [models.UniqueConstraint(fields=["lexicon", "word"], name="guard_word_once_per_lexicon")]

    def __str__(self) -> str:
        return self.word


class Person(models.Model):
    """A title someone holds (or held): the content checks flag a wrong or outdated title and a misspelt name."""

    name = models.CharField("姓名", max_length=20, help_text="按正式写法填写，如“周建国”。")
    title = models.CharField("职务", max_length=60, help_text="文中写在姓名前后的称谓，如“董事长”“党委书记”。一人多职请分行填写。")
    valid_from = models.DateField("任职起始", null=True, blank=True)
    valid_to = models.DateField("任职截止", null=True, blank=True, help_text="留空表示现任。离任后填写，旧职务会被提示为“已变更”。")
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "人名职务"
        verbose_name_plural = "人名职务"
        ordering = ["name", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["name", "title", "valid_from"], name="guard_person_post_once")]

    def __str__(self) -> str:
        return f"{self.title}{self.name}"


class LexiconOverride(models.Model):
    """A section's own action for one lexicon: stricter or looser there and in every sub-section below it."""

    ACTION_CHOICES = [("block", "禁止发布"), ("confirm", "需要确认"), ("note", "仅提示"), ("allow", "本栏目不检查")]

    lexicon = models.ForeignKey(Lexicon, verbose_name="词库", on_delete=models.CASCADE, related_name="overrides")
    category = models.ForeignKey("news.Category", verbose_name="栏目", on_delete=models.CASCADE, related_name="+")
    action = models.CharField("本栏目处理方式", max_length=10, choices=ACTION_CHOICES)

    class Meta:
        verbose_name = "栏目设置"
        verbose_name_plural = "栏目设置（对本栏目及其子栏目生效）"
        constraints = [models.UniqueConstraint(fields=["lexicon", "category"], name="guard_override_once_per_section")]

    def __str__(self) -> str:
        return f"{self.category}：{self.get_action_display()}"


class CheckOverride(models.Model):
    """A section's own action for the 错别字 or the 人名职务 check: for itself and every sub-section below it."""

    KIND_CHOICES = [("typos", "错别字与严重表述错误"), ("people", "人名职务")]

    kind = models.CharField("检查", max_length=10, choices=KIND_CHOICES)
    category = models.ForeignKey("news.Category", verbose_name="栏目", on_delete=models.CASCADE, related_name="+")
    action = models.CharField("本栏目处理方式", max_length=10, choices=LexiconOverride.ACTION_CHOICES)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "栏目检查设置"
        verbose_name_plural = "栏目检查设置（错别字、人名职务）"
        ordering = ["kind", "category__name"]
        constraints = [models.UniqueConstraint(fields=["kind", "category"], name="guard_check_override_once_per_section")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.category}：{self.get_action_display()}"


class LinkCheck(models.Model):
    """The last check of one external link of a published article (written by `xinwen linkcheck`)."""

    article = models.ForeignKey("news.Article", verbose_name="文章", on_delete=models.CASCADE, related_name="+")
    url = models.URLField("链接", max_length=2000)
    status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    error = models.CharField("问题", max_length=200, blank=True)
    broken = models.BooleanField("死链", default=False, db_index=True)
    skipped = models.BooleanField("未检查（robots.txt 不允许）", default=False)
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "外部链接检查"
        verbose_name_plural = "死链报告"
        ordering = ["article_id", "url"]
        constraints = [models.UniqueConstraint(fields=["article", "url"], name="guard_linkcheck_once_per_article")]

    def __str__(self) -> str:
        return self.url


class GuardRun(models.Model):
    """One pass of the hijack guard over the site, on demand or on the schedule."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "进行中"
        CLEAN = "clean", "未发现问题"
        FOUND = "found", "发现问题"
        FAILED = "failed", "未能检查"

    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    base_url = models.CharField("站点地址", max_length=200)
    trigger = models.CharField("方式", max_length=10, choices=[("manual", "手动"), ("schedule", "定时")], default="manual")
    # Scheduled runs claim their time slot: one pass per slot, however many server processes ask.
    slot = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    pages = models.PositiveIntegerField("页面数", default=0)
    # While a pass runs, `pages` counts the pages done so far out of this many (网站安全's progress line).
    pages_total = models.PositiveIntegerField("待检查页面数", default=0)
    requests = models.PositiveIntegerField("请求数", default=0)
    problems = models.PositiveIntegerField("问题数", default=0)
    new_problems = models.PositiveIntegerField("新问题数", default=0)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "安全检查记录"
        verbose_name_plural = "网站安全"
        ordering = ["-started_at"]
        permissions = [("run_guardrun", "可以在网站安全页面立即检查")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"


class GuardFinding(models.Model):
    """A problem the guard found, once per fingerprint (page, kind, evidence): alerted once until it changes or goes away."""

    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    url = models.CharField("页面", max_length=2000)
    profile = models.CharField("访问方式", max_length=100)
    kind = models.CharField("问题类型", max_length=40)
    evidence = models.TextField("证据")
    first_run = models.ForeignKey(GuardRun, verbose_name="首次发现", on_delete=models.SET_NULL, null=True, related_name="+")
    last_run = models.ForeignKey(GuardRun, verbose_name="最近发现", on_delete=models.SET_NULL, null=True, related_name="findings")
    first_seen = models.DateTimeField("首次发现时间")
    last_seen = models.DateTimeField("最近发现时间")
    resolved_at = models.DateTimeField("消失时间", null=True, blank=True, help_text="最近一次检查未再发现；再次出现会重新告警。")
    alerted_at = models.DateTimeField("告警时间", null=True, blank=True)

    class Meta:
        verbose_name = "安全问题"
        verbose_name_plural = "安全问题"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.kind} {self.url}"
