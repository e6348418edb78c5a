"""The metadata patterns of Chinese CMS pages that general extractors do not know.

Pure functions over text: the info line (来源 / 作者 / 责任编辑 / 发布时间 / 浏览次数,
in either script and in the label variants DedeCMS, PbootCMS, EmpireCMS and
hand-made sites use), the breadcrumb (当前位置：首页 > 新闻中心 > 正文) and dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

__all__ = ["InfoLine", "parse_info_line", "count_labels", "parse_datetime", "breadcrumb_items", "is_breadcrumb",
           "editor_note", "is_chrome_line", "bare_date", "has_date"]  # fmt: skip

_LABELS = {
    "source": r"资料来源|資料來源|文章来源|文章來源|信息来源|信息來源|新闻来源|新聞來源|稿件来源|稿件來源|来源|來源|出处|出處|稿源|Source",
    "author": r"撰稿人|撰稿|撰文|作者|供稿|记者|記者|通讯员|通訊員|Author|By",
    "editor": r"责任编辑|責任編輯|责编|責編|编辑|編輯|Editor",
    "published": r"发布时间|發布時間|發佈時間|发布日期|發布日期|發佈日期|发表时间|發表時間|发文日期|發文日期|更新时间|更新時間"
    r"|发布于|發布於|發佈於|发表于|發表於|时间|時間|日期|Date|Published|Time",
    "views": r"浏览次数|瀏覽次數|浏览量|瀏覽量|阅读次数|閱讀次數|阅读量|閱讀量|阅读数|閱讀數|点击次数|點擊次數|点击量|點擊量|点击数"
    r"|點擊數|访问量|訪問量|浏览|瀏覽|阅读|閱讀|点击|點擊|人气|人氣|Views|Hits",
}
# The lookahead on the labels' first characters lets the long alternation fail fast at most positions.
_FIRST = "".join(sorted({alt[0] for alts in _LABELS.values() for alt in alts.split("|")} | {"文"}))
_LABEL = re.compile(
    rf"(?=[{_FIRST}{_FIRST.lower()}])(?:"
    + "|".join(rf"(?P<{name}>(?:{alternatives}))" for name, alternatives in _LABELS.items())
    + r"|(?P<byline>(?<![\w/])文\s*/\s*))",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^[\s:：|｜/]+|[\s|｜/【】\[\]（）()]+$")
_NUMBER = re.compile(r"\d[\d,，]*")
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:T|\s)?\s*(?P<H>\d{1,2})\s*[:：时時]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?)?"
)
_BREADCRUMB_MARKER = re.compile(
    r"^\s*(?:当前位置|當前位置|您现在的位置|您現在的位置|你现在的位置|你現在的位置|您的位置|你的位置|所在位置|现在位置|現在位置"
    r"|当前的位置|Current\s+Location|Your\s+Location|You\s+are\s+here|Location|位置"
    r"|(?:您|你)?(?:当前|當前|现在|現在|目前)(?:所在|的|所在的)?位置)\s*(?:是|為|为)?\s*[:：]?\s*",
    re.IGNORECASE,
)
_CRUMB_SPLIT = re.compile(r"\s*(?:>|＞|›|»|→|>>|/|\|)\s*|\s{2,}")
_HOME = {"首页", "首頁", "网站首页", "網站首頁", "主页", "主頁", "home", "index", "返回首页", "本站首页"}
_DETAIL = re.compile(r"(?:详情|詳情|正文|内容|內容|详细|詳細|阅读|閱讀|浏览|瀏覽|文章|详细内容|詳細內容|查看)$")
_EDITOR_NOTE = re.compile(r"[（(【\[]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：】\]]?\s*(?P<name>[^）)】\]]{1,30})[）)】\]]")
_CHROME = re.compile(
    r"^\s*(?:上一篇|下一篇|上一条|下一條|下一条|上一條|分享到|分享：|打印本页|打印本頁|关闭窗口|關閉窗口|【?\s*字[体體]\s*[:：]|"
    r"返回顶部|返回頂部|返回列表|收藏本页|【打印】|【关闭】|相关阅读|相關閱讀|相关新闻|相關新聞|扫一扫|掃一掃|责任编辑|責任編輯|"
    r"微信扫一扫|微信掃一掃|长按识别|長按識別|长按二维码|長按二維碼|关注该公众号|關注該公眾號|点击上方蓝字|點擊上方藍字)"
)


@dataclass
class InfoLine:
    source: str = ""
    author: str = ""
    editor: str = ""
    published: str = ""
    views: int | None = None


# What may stand before and after a label word for it to be a label and not part of a sentence.
_LABEL_BEFORE = re.compile(r"[\s|｜/【\[（(:：·•,，;；]")
_LABEL_AFTER_COLON = re.compile(r"\s*[:：]")
_LABEL_AFTER_SPACE = re.compile(r"[\s\d(（【\[]|$")


def _labels(text: str) -> list[re.Match]:
    """The label words of a line that really are labels.

    A label is followed by a colon, or stands apart (start of line or after a separator)
    and is followed by a space or the number it labels. So 记者 in "…告诉记者，他年轻时…"
    or 时间 in "时间过得真快" is the sentence's word, never a metadata label: a body
    paragraph must never be mistaken for the info line and deleted with it.
    """
    found = []
    for match in _LABEL.finditer(text):
        if match.lastgroup == "byline" or _LABEL_AFTER_COLON.match(text, match.end()):
            found.append(match)
            continue
        apart = match.start() == 0 or _LABEL_BEFORE.match(text, match.start() - 1)
        if apart and _LABEL_AFTER_SPACE.match(text, match.end()):
            found.append(match)
    return found


def count_labels(text: str) -> int:
    """How many different metadata labels a line holds (an info line has two or more)."""
    if "。" in text:
        return 0  # a sentence: info lines are lists of labelled values, never prose
    labels = {match.lastgroup for match in _labels(text[:400])}
    if labels and "published" not in labels and _DATE.search(text[:400]):
        labels.add("published")  # an unlabelled date beside labelled values
    return len(labels)


def parse_info_line(text: str) -> InfoLine:
    """Read 来源 / 作者 / 责任编辑 / 发布时间 / 浏览次数 out of one line of page text."""
    info = InfoLine()
    matches = _labels(text)
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = _SEPARATOR.sub("", text[match.end() : end]).strip()
        field = match.lastgroup
        if field == "byline":
            field = "author"
        if field == "views":
            number = _NUMBER.search(value)
            rest = value[number.end() :] if number else ""
            # 浏览次数：1362 字号：大 中 小 — a government template runs the font-size bar into the count
            furniture_after = number is not None and number.start() == 0 and re.match(r"\s*(?:人?次)?\s*(?:字[号號体體]|分享|打印|【|\[|\|)", rest)
            if number and info.views is None and (len(rest) < 4 or furniture_after):
                info.views = int(re.sub(r"[,，]", "", number.group(0)))
        elif field == "published":
            if not info.published and _DATE.search(value):
                info.published = value
        elif value and not getattr(info, field):
            setattr(info, field, value[:100])
    if not info.published:
        lead = text[: matches[0].start()] if matches else text
        date = _DATE.search(lead)
        if date:  # "网站名 2007年01月16日 来源：…": the date needs no label
            info.published = date.group(0)
    return info


_BARE_DATE = re.compile(r"^\s*(?:[\w\u3000 ]{0,20}?\s)?" + _DATE.pattern + r"\s*(?:星期.|周.)?\s*$")
_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\s*$")


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


def bare_date(text: str) -> bool:
    """A line that is only a date (and time), perhaps after a site name: 2021-04-13 02:12."""
    return bool(_BARE_DATE.match(text))


def parse_datetime(text: str, tz: tzinfo) -> datetime | None:
    """The first date (and time) in `text`, in the formats these sites use, as an aware datetime.

    A date without a time is taken at noon: its calendar date is then the same in UTC
    and every time zone within ±11 hours, so it never shows as the day before. A
    machine date with its offset (<time datetime>, JSON-LD) is read as the moment it names.
    """
    if _ISO.match(text or ""):
        try:
            return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).astimezone(tz)
        except ValueError:
            pass
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match["H"] is None:
            clock = time(12)
        else:
            clock = time(int(match["H"]), int(match["M"] or 0), int(match["S"] or 0))
    except ValueError:
        return None
    return datetime.combine(day, clock).replace(tzinfo=tz)


def is_breadcrumb(text: str) -> bool:
    return bool(_BREADCRUMB_MARKER.match(text)) and len(text) < 300


def breadcrumb_items(text: str, *, title: str = "") -> list[str]:
    """The categories of a breadcrumb, outermost first, without 首页 and the trailing 正文/详情 item."""
    rest = _BREADCRUMB_MARKER.sub("", text, count=1)
    items = [item.strip(" \u3000\xa0:：") for item in _CRUMB_SPLIT.split(rest)]
    items = [item for item in items if item]
    while items and items[0].lower() in _HOME:
        items.pop(0)
    while items and (_DETAIL.search(items[-1]) or _is_title(items[-1], title)):
        last = items.pop()
        if not items and _DETAIL.search(last):
            # "新闻详情" alone: the detail page of 新闻, which is the category.
            stem = _DETAIL.sub("", last).strip()
            items = [stem] if len(stem) >= 2 else []
            break
    # "汽车电子 > 汽车电子": a template repeating a level must not make a nested duplicate category.
    items = [item for index, item in enumerate(items) if index == 0 or item != items[index - 1]]
    return [item[:60] for item in items]


def _is_title(item: str, title: str) -> bool:
    """The last crumb repeats the article title (possibly cut short with …)."""
    if not title:
        return False
    stem = item.rstrip("….· ")
    return item == title or (len(stem) >= 8 and title.startswith(stem))


_EDITOR_LINE = re.compile(
    r"^\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|文字编辑|文字編輯)\s*[:：]\s*(?P<name>[^\s:：|｜/]{2,10})"
    r"(?:\s*[|｜/]?\s*(?:审核|審核|校对|校對|初审|初審|终审|終審|复审|複審|签发|簽發|监制|監製|美编|美編)\s*[:：]\s*[^\s:：|｜/]{2,10})*\s*$"
)


def editor_note(text: str) -> str:
    """The name in a closing （责任编辑：张三） note or a closing line 编辑：张三　审核：李四, or ""."""
    match = _EDITOR_NOTE.search(text) or _EDITOR_LINE.match(text)
    return match.group("name").strip() if match else ""


def is_chrome_line(text: str) -> bool:
    """Page furniture that extractors sometimes keep: prev/next, share, print, font size, related."""
    return bool(_CHROME.match(text))
