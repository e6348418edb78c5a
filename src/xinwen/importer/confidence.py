"""How sure the importer is of each field it filled (title, date, category, body), with the evidence.

A score from 0 to 1 per field. Anything below `HOLD_BELOW` keeps the article in 待审核
with the reason, so `--status published` publishes only what is certain. Why these
numbers:

- **title**: the headline score (`headline.score`) mapped so that `headline.GOOD_ENOUGH`
  (a heading with no furniture marks but nothing confirming it either) is exactly the
  threshold; an <h1> that <title>/og:title repeats and that stands above the date line is 1.
- **date**: where it came from. Markup the page gives about itself (<time datetime>,
  JSON-LD, article:published_time) and an export's post date are 1; a labelled
  发布时间 line 0.9; a bare date under the headline 0.7 (it could be an update time);
  none 0 (never invented). A date in the future or before 1995 (older than any Chinese
  organisation's news site) is 0.3 whatever its source.
- **category**: a breadcrumb or export naming an existing category 1, one created from it
  0.8, the operator's --category for a page without breadcrumb 0.7; a breadcrumb that
  matched nothing, or the automatic default section, 0.4 (a guess).
- **body**: an export's or feed's full text is 1 (nothing was cut from a template); a
  page's by its length in characters: ≥ 60 certain; 20–60 (a short notice) 0.6; under
  20 0.3 unless it has a picture (a photo with its caption: 0.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from xinwen.importer import headline

__all__ = ["Confidence", "title_confidence", "date_confidence", "body_confidence", "category_confidence", "HOLD_BELOW",
           "FIELD_LABELS", "DATE_SOURCES"]  # fmt: skip

HOLD_BELOW = 0.5
FIELD_LABELS = {"title": "标题", "date": "发布时间", "category": "栏目", "body": "正文"}
# Where a date came from, and how much that says.
DATE_SOURCES = {
    "structure": (1.0, "页面标记的发布时间（<time>、JSON-LD 或 article:published_time）"),
    "export": (1.0, "导出文件或订阅源的发布时间"),
    "info": (0.9, "带“发布时间”等标签的信息行"),
    "under_heading": (0.7, "标题下方的日期（没有标签，也可能是更新时间）"),
    "text": (0.6, "正文开头的日期"),
}


@dataclass
class Confidence:
    score: float
    evidence: str

    @property
    def certain(self) -> bool:
        return self.score >= HOLD_BELOW


def title_confidence(points: int, *, title: str, candidates: list[str] | None = None) -> Confidence:
    score = min(1.0, max(0.0, HOLD_BELOW + (points - headline.GOOD_ENOUGH) / 12))
    evidence = f"选定「{title[:60]}」（得分 {points}）"
    others = [c for c in (candidates or []) if c and c != title][:3]
    if others:
        evidence += "；其他候选：" + "、".join(f"「{c[:30]}」" for c in others)
    return Confidence(round(score, 2), evidence)


def date_confidence(moment: datetime | None, *, source: str, raw: str, now: datetime) -> Confidence:
    if moment is None:
        return Confidence(0.0, "没有找到发布时间" + (f"（无法解析「{raw[:40]}」）" if raw else ""))
    score, where = DATE_SOURCES.get(source, (0.6, "文字中的日期"))
    evidence = f"{where}：「{raw[:40]}」"
    if moment > now + timedelta(days=1):
        return Confidence(0.3, evidence + "；日期在将来")
    if moment.year < 1995:
        return Confidence(0.3, evidence + "；早于 1995 年，可能读错了")
    return Confidence(score, evidence)


def body_confidence(text_chars: int, *, images: int, exported: bool = False) -> Confidence:
    if exported:  # an export or feed holds the text its author wrote: nothing was cut out of a template
        return Confidence(1.0, f"导出的全文，{text_chars} 字")
    if text_chars >= 60:
        return Confidence(1.0, f"正文 {text_chars} 字")
    if text_chars >= 20 or images:
        return Confidence(0.6, f"正文只有 {text_chars} 字" + (f"和 {images} 张图片" if images else "") + "（短通知或图片新闻）")
    return Confidence(0.3, f"正文只有 {text_chars} 字，可能没有取到文章内容")


def category_confidence(*, path: list[str], found: bool, created: bool, default_name: str, explicit: bool) -> Confidence:
    named = " > ".join(path)
    if path and found:
        return Confidence(1.0, f"「{named}」对应已有栏目")
    if path and created:
        return Confidence(0.8, f"按「{named}」新建栏目")
    if not path and explicit:
        return Confidence(0.7, f"页面没有面包屑或栏目，放入指定的默认栏目「{default_name}」")
    if path:
        return Confidence(0.4, f"「{named}」没有对应的栏目，放入默认栏目「{default_name}」")
    return Confidence(0.4, f"页面没有面包屑或栏目，放入自动的默认栏目「{default_name}」")
