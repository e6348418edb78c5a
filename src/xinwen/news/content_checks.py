"""Content checks before publishing: what the write path asks of every article it submits or publishes.

news cannot know about the apps above it, so checks register here, each once under its
own name, in their AppConfig.ready() (the guard registers its lexicon check):

    content_checks.register_content_check("guard: lexicons", fn)

A check is a function of the article's texts and its section,
`fn(texts: list[FieldText], *, category=None, article=None) -> list[Finding]` (the article's
Category and the Article itself, both None for texts that belong to no article: a section
may change what a finding means, and a link check reads the body's markup).
`article_submit` and `article_publish` call `content_enforce`: a finding whose action is
"block" stops the transition (ContentBlocked); "confirm" findings stop it unless the
caller says the editor confirmed them (NeedsConfirmation); "note" findings are shown in
the editor's 内容检查 panel and never stop anything. A check that fails is logged and
stops nothing: a broken lexicon must not keep the newsroom from publishing.

Checks keep their matchers per process and ask the database whether a lexicon changed
(a stamp query) on each call; inside `checks_pinned()` (an import's batch) they ask once
per block through `pinned`, so an import does not pay those queries per article (issue 17).
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from xinwen.news.errors import WorkflowError

__all__ = [
    "FieldText",
    "Finding",
    "ContentBlocked",
    "NeedsConfirmation",
    "register_content_check",
    "unregister_content_check",
    "content_checks",
    "article_texts",
    "article_findings",
    "content_enforce",
    "category_texts",
    "glossary_texts",
    "texts_enforce",
    "missing_alt_findings",
    "MISSING_ALT",
    "checks_pinned",
    "pinned",
]

log = logging.getLogger(__name__)

BLOCK, CONFIRM, NOTE = "block", "confirm", "note"


@dataclass(frozen=True)
class FieldText:
    """One text of an article as the editor wrote it; `field` is the label the editor knows (标题, 正文 …)."""

    field: str
    text: str


@dataclass(frozen=True)
class Finding:
    """Something a check found: in which field, which word, where (offsets in that field's text)."""

    field: str
    word: str
    category: str
    action: str  # block / confirm / note
    start: int
    end: int
    text: str  # what the field has there
    source: str = ""  # which lexicon or rule

    def excerpt(self, texts: list[FieldText], width: int = 12) -> str:
        """The hit with a little text either side, for the editor's panel."""
        for item in texts:
            if item.field == self.field:
                return item.text[max(self.start - width, 0) : self.end + width]
        return self.text


class ContentBlocked(WorkflowError):
    """The article contains a word that may not be published."""


class NeedsConfirmation(WorkflowError):
    """The article contains a word an editor must confirm before it goes out."""


_checks: dict[str, Callable[..., list[Finding]]] = {}


def register_content_check(name: str, check: Callable[..., list[Finding]]) -> None:
    """Register (or replace) the check called `name`."""
    _checks[name] = check


def unregister_content_check(name: str) -> None:
    _checks.pop(name, None)


def content_checks() -> dict[str, Callable[..., list[Finding]]]:
    return dict(_checks)


_pins = threading.local()  # .memo: what the checks read once in the open checks_pinned() block


def pinned(key: str, compute: Callable[[], object]):
    """`compute()` once per `checks_pinned()` block under `key`; outside a block, on every call."""
    memo = getattr(_pins, "memo", None)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@contextmanager
def checks_pinned():
    """The checks read their lexicons' state once for the whole block (many articles checked in a row).

    A lexicon edited while the block runs applies from the next block on, as an edit made
    just after the block would. A block inside a block is part of it.
    """
    if getattr(_pins, "memo", None) is not None:
        yield
        return
    _pins.memo = {}
    try:
        yield
    finally:
        _pins.memo = None


_TAG = re.compile(r"<[^>]*>")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _body_text(markup: str) -> str:
    # Tags become a line break, never nothing: text of two cells must not run into one word.
    return html.unescape(_TAG.sub("\n", markup or "")).strip()


def article_texts(article, *, body_text: str | None = None) -> list[FieldText]:
    """Every text of an article a reader or a crawler may see, each with its field's label.

    `body_text` stands for the body's text when the caller has it as the editor shows it (the
    article form checks what is typed before it is saved, and marks hits by offsets in that
    text); otherwise the text is taken from the body's markup.
    """
    texts = [
        FieldText("标题", article.title or ""),
        FieldText("副标题", article.subtitle or ""),
        FieldText("摘要", article.summary or ""),
        FieldText("正文", _body_text(article.body) if body_text is None else body_text),
        FieldText("来源", article.source_name or ""),
        FieldText("作者", article.author or ""),
        FieldText("责任编辑", article.editor or ""),
    ]
    for number, tag in enumerate(_IMG.findall(article.body or ""), start=1):
        match = _ALT.search(tag)
        if match:
            texts.append(FieldText(f"图片{number}说明", html.unescape(match.group(1) or match.group(2) or "")))
    if article.pk:
        for attachment in article.attachments.all():
            texts.append(FieldText(f"附件名称（{attachment.title[:20]}）", attachment.title or ""))
    # The page also shows its sections' names (breadcrumbs, navigation) and, in every other
    # script, what the glossary forces in place of the article's own words.
    category = article.category if article.category_id else None
    seen: set[int] = set()
    while category is not None and category.pk not in seen:
        seen.add(category.pk)
        texts.extend(category_texts(category))
        category = category.parent
    texts.extend(glossary_texts(" ".join(item.text for item in texts)))
    return [item for item in texts if item.text.strip()]


def category_texts(category) -> list[FieldText]:
    """A section's name and description, labelled with the name so two sections' hits stay apart."""
    label = (category.name or "")[:20]
    return [FieldText(f"栏目名称（{label}）", category.name or ""), FieldText(f"栏目说明（{label}）", category.description or "")]


def glossary_texts(text: str, terms=None) -> list[FieldText]:
    """The forms the glossary puts in place of terms that occur in `text` (all terms when `text` is None)."""
    from xinwen.hanzi.models import GlossaryTerm

    if terms is None:
        terms = pinned("news: glossary terms", lambda: list(GlossaryTerm.objects.filter(mode=GlossaryTerm.Mode.FORCE)))
    found = []
    for term in terms:
        forms = term.targets() or {}
        if forms and (text is None or term.term in text):
            found.append(FieldText(f"简繁词表（{term.term[:20]}）", "\n".join(dict.fromkeys(forms.values()))))
    return found


# The source of news' own check: a picture without 图片说明 (alt text). Readers who cannot see it
# (screen readers, 长者模式 with pictures off) get nothing otherwise. The importer does not hold
# an article for it: legacy pages rarely have alt text and nobody is there to write it.
MISSING_ALT = "news: 图片说明"


def missing_alt_findings(body: str) -> list[Finding]:
    """A 需要确认 finding for each picture of `body` whose alt text is missing or blank."""
    findings = []
    for number, tag in enumerate(_IMG.findall(body or ""), start=1):
        match = _ALT.search(tag)
        if not match or not (match.group(1) or match.group(2) or "").strip():
            label = f"第{number}张图片"
            findings.append(Finding("正文", "图片说明", "图片缺少说明文字", CONFIRM, 0, 0, label, MISSING_ALT))
    return findings


def article_findings(article, *, body_text: str | None = None) -> tuple[list[FieldText], list[Finding]]:
    """The article's texts and what every registered check (and news' own picture check) found in them."""
    texts = article_texts(article, body_text=body_text)
    return texts, missing_alt_findings(article.body) + texts_findings(texts, category=article.category if article.category_id else None, article=article)


def texts_findings(texts: list[FieldText], *, category=None, article=None) -> list[Finding]:
    """What every registered check found in these texts."""
    findings: list[Finding] = []
    for name, check in list(_checks.items()):
        try:
            findings.extend(check(texts, category=category, article=article))
        except Exception:  # a broken check is logged, never a reason to refuse a save
            log.exception("content check %s failed", name)
    return findings


def _describe(finding: Finding) -> str:
    return f"「{finding.field}」中的「{finding.text}」（{finding.category}：{finding.word}）"


def content_enforce(*, article, confirmed: bool = False, verb: str = "发布") -> list[Finding]:
    """Raise if the article may not go further as it is; return the findings that let it pass."""
    _texts, findings = article_findings(article)
    blocked = [f for f in findings if f.action == BLOCK]
    if blocked:
        listed = "；".join(_describe(f) for f in blocked[:5])
        more = f"等 {len(blocked)} 处" if len(blocked) > 5 else ""
        raise ContentBlocked(f"内容检查未通过，不能{verb}：{listed}{more}。请修改后再{verb}。")
    unconfirmed = [f for f in findings if f.action == CONFIRM]
    if unconfirmed and not confirmed:
        listed = "；".join(_describe(f) for f in unconfirmed[:5])
        more = f"等 {len(unconfirmed)} 处" if len(unconfirmed) > 5 else ""
        raise NeedsConfirmation(
            f"内容检查发现需要确认的词语：{listed}{more}。核实无误后请勾选「已核实内容检查提示」再{verb}。"
        )
    return findings


def texts_enforce(*, texts: list[FieldText], what: str) -> None:
    """Refuse to save a section name or a glossary form that holds a word that may not be published.

    Only 禁止发布 stops these saves: there is no confirmation box on those forms, and
    every article that shows them is checked again when it is published.
    """
    blocked = [f for f in texts_findings([t for t in texts if t.text.strip()]) if f.action == BLOCK]
    if blocked:
        listed = "；".join(_describe(f) for f in blocked[:5])
        raise ContentBlocked(f"内容检查未通过，不能保存{what}：{listed}。请修改后再保存。")
