"""The site glossary: terms kept as written (names, brands) or forced to a form per script."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

from xinwen.hanzi.variants import VARIANTS

__all__ = ["GlossaryTerm", "ConvertedText", "validate_plain_text"]

_MARKUP_CHARS = frozenset('<>&"')


def validate_plain_text(value: str) -> None:
    """Glossary entries are words, never markup: they are matched in and pasted into page text."""
    bad = sorted({char for char in value if char in _MARKUP_CHARS or unicodedata.category(char) == "Cc"})
    if bad:
        shown = "、".join(char if char in _MARKUP_CHARS else f"U+{ord(char):04X}" for char in bad)
        raise ValidationError(f"只能填写纯文本，请去掉 {shown}（尖括号、& 、双引号和控制字符不能用在词表里）。", code="markup")


class GlossaryTerm(models.Model):
    class Mode(models.TextChoices):
        KEEP = "keep", "不转换（人名、品牌等，所有版本保持原样）"
        FORCE = "force", "指定译法（按版本指定写法，未填写的版本正常转换）"

    term = models.CharField(
        "词语", max_length=100, unique=True, help_text="按稿件原文的写法填写，例如“范晓明”。", validators=[validate_plain_text]
    )
    mode = models.CharField("处理方式", max_length=8, choices=Mode.choices, default=Mode.KEEP)
    zh_hans = models.CharField("简体写法", max_length=100, blank=True, validators=[validate_plain_text])
    zh_hant = models.CharField("繁体写法", max_length=100, blank=True, validators=[validate_plain_text])
    zh_tw = models.CharField("台湾写法", max_length=100, blank=True, validators=[validate_plain_text])
    zh_hk = models.CharField("香港写法", max_length=100, blank=True, validators=[validate_plain_text])
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "词表条目"
        verbose_name_plural = "简繁词表"
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def targets(self) -> dict[str, str] | None:
        """None keeps the term everywhere; otherwise the forced forms by variant code."""
        if self.mode == self.Mode.KEEP:
            return None
        forms = {code: getattr(self, code.replace("-", "_")) for code in VARIANTS}
        return {code: form for code, form in forms.items() if form}


class ConvertedText(models.Model):
    """A body converted into one script before any reader asked (hanzi.render.convert_ahead_many).

    Keyed by a digest of everything the conversion depends on (the text, the scripts and
    the glossary version), so a row can never be stale, only unused: an edit or a glossary
    change makes new keys. `owner` ("article:12") lets the writer replace its own rows;
two articles with the same body each keep their own.
    """

    digest = models.CharField(max_length=40, db_index=True)
    owner = models.CharField(max_length=64, db_index=True)
    variant = models.CharField(max_length=16)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "预先转换的正文"
        verbose_name_plural = "预先转换的正文"
