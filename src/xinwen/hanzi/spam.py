"""Signs of a hijacked Chinese page: spam titles, black keywords, injected hidden link blocks.

Pure functions. Hijacked DedeCMS / PbootCMS sites get a <title> of porn or gambling
keywords joined by `_`, and blocks of links hidden from readers but not from
crawlers. These functions say what is spam and why, in words an editor understands;
the importer drops what they find and flags the article for review (issue 4).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from xinwen.hanzi.convert import opencc_converter, detect_script
from xinwen.hanzi.variants import SIMPLIFIED, TRADITIONAL

__all__ = [
    "STRONG_KEYWORDS",
    "WEAK_KEYWORDS",
    "black_keywords",
    "title_segments",
    "TitleVerdict",
    "title_verdict",
    "InjectedBlock",
    "remove_injected_blocks",
    "strip_injected_links",
    "hijack_scripts",
]

# Words no organisation's news title or body uses innocently (Simplified; text is normalised first).
STRONG_KEYWORDS = (
    "无码", "毛片", "色情", "黄片", "黄色网站", "成人影院", "成人电影", "成人视频", "成年人电影", "性色", "国产精品",
    "精品国产", "久久精品", "中文字幕", "亚洲综合", "日韩激情", "伦理片", "三级片", "乱伦", "偷拍", "人妻",
    "熟女", "萝莉", "约炮", "裸聊", "爆料网", "吃瓜网", "麻豆", "av在线", "av无码", "博彩", "赌场", "赌博", "百家乐",
    "娱乐城", "时时彩", "六合彩", "真人娱乐", "老虎机", "体育投注", "新葡京", "威尼斯人", "太阳城集团", "bet365",
    "送彩金", "棋牌游戏", "网上赌", "皇冠体育", "赌球", "澳门赌", "开元棋牌", "一级毛", "免费看片", "黄网",
)  # fmt: skip
# Words with innocent uses (成人教育, 一级建造师, 亚洲): evidence only together.
WEAK_KEYWORDS = (
    "免费观看", "在线观看", "在线精品", "欧美日韩", "激情", "成人", "一级", "亚洲", "欧美", "日韩", "高清", "美女", "性感", "八卦",
    "电影", "无删减", "午夜", "福利", "视频", "啦啦操", "彩票", "娱乐", "在线", "免费", "av",
)  # fmt: skip
_SEPARATORS = re.compile(r"\s*(?:_+|\s-\s|-{2,}|[,，|丨｜/／])\s*")
_AV = re.compile(r"(?<![a-z])av(?![a-z])")
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}"
    r"|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)|(?:^|;)\s*(?:height|width)\s*:\s*[01](?:px)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)",
    re.IGNORECASE,
)
_REDIRECT_SCRIPT = re.compile(
    r"document\.referrer|navigator\.userAgent[^;]{0,80}(?:spider|bot)|(?:window|top|document)\.location(?:\.href)?\s*=",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _normalise(text: str) -> str:
    return opencc_converter("t2s").convert(text).lower()


def black_keywords(text: str) -> tuple[list[str], list[str]]:
    """(strong, weak) black keywords in `text`, in either script."""
    normal = _normalise(text)
    strong = [word for word in STRONG_KEYWORDS if word in normal]
    weak = [word for word in WEAK_KEYWORDS if word != "av" and word in normal]
    if _AV.search(normal):
        weak.append("av")
    # 欧美日韩 found: 欧美 and 日韩 are the same evidence, not more of it.
    weak = [word for word in weak if not any(word != other and word in other for other in weak)]
    return strong, weak


def title_segments(title: str) -> list[str]:
    """The parts of a <title> joined by _ - , 丨 or /."""
    return [part.strip() for part in _SEPARATORS.split(title or "") if part.strip()]


@dataclass(frozen=True)
class TitleVerdict:
    spam: bool
    reasons: tuple[str, ...]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[\W_]+", "", _normalise(text))
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similar(a: str, b: str) -> float:
    """Overlap of character pairs (Jaccard), across scripts."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def title_verdict(title: str, *, heading: str = "", body_script: str = "", site_names: Iterable[str] = ()) -> TitleVerdict:
    """Is this <title> spam? Black keywords, a keyword-run shape, no likeness to the heading, or the wrong script.

    `site_names` are names the site uses for itself (breadcrumb, og:site_name): a
    title that is only those ("新闻中心_某某集团") is generic, not spam.
    """
    reasons: list[str] = []
    strong, weak = black_keywords(title)
    if strong:
        reasons.append("黑词：" + "、".join(strong[:8]))
    elif len(set(weak)) >= 3:
        reasons.append("可疑词：" + "、".join(weak[:8]))
    names = {_normalise(name) for name in site_names if name}
    segments = [s for s in title_segments(title) if _normalise(s) not in names]
    if len(segments) >= 5 or (len(segments) >= 4 and not any(similar(s, heading) > 0.5 for s in segments)):
        reasons.append(f"关键词堆砌：{len(segments)} 段以分隔符连接")
    if heading and segments and not any(similar(s, heading) >= 0.3 or _normalise(heading) in _normalise(s) for s in segments):
        reasons.append("标题与正文大标题不符")
    title_script = detect_script(title)
    if body_script == TRADITIONAL and title_script == SIMPLIFIED and detect_script(heading or "") != SIMPLIFIED:
        reasons.append("简体标题配繁体正文")
    # A title that differs from the heading is only spam with other evidence, or when it is long:
    # many sites put just the site's name in <title>.
    decisive = [r for r in reasons if not r.startswith("标题与正文大标题不符")]
    spam = bool(decisive) or (bool(reasons) and len("".join(segments)) > 30)
    return TitleVerdict(spam, tuple(reasons))


@dataclass(frozen=True)
class InjectedBlock:
    reason: str
    text: str  # what readers would have seen, shortened
    links: int


def _is_hidden(element) -> bool:
    if not isinstance(element.tag, str):
        return False
    style = element.get("style") or ""
    if element.get("hidden") is not None or _HIDDEN_STYLE.search(style):
        return True
    if element.tag == "marquee":
        height = re.sub(r"\D", "", element.get("height") or "") or "99"
        return int(height) <= 10 or bool(_HIDDEN_STYLE.search(style))
    return False


def _host(href: str) -> str:
    match = re.match(r"(?i)^(?:https?:)?//([^/:?#]+)", href.strip())
    return match.group(1).lower().removeprefix("www.") if match else ""


def remove_injected_blocks(root, *, host: str = "") -> list[InjectedBlock]:
    """Remove hidden link blocks and spam link lists from an lxml tree, in place; say what went and why.

    Hidden elements (display:none, off-screen, zero size, tiny <marquee>) holding links
    to other sites or black keywords, and visible lists of links whose text carries
    black keywords. A hidden menu of the site's own links (`host`) is not spam.
    """
    host = host.lower().removeprefix("www.")
    found: list[InjectedBlock] = []
    body = root.find("body") if root.tag == "html" else root
    body = root if body is None else body
    # Without a black keyword anywhere in the page only hidden elements can be injected: look at those alone.
    suspects = body.iter() if black_keywords(body.text_content())[0] else (e for e in body.iter() if _is_hidden(e))
    for element in list(suspects):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if _top(element) is not root:
            continue  # inside a block removed already
        text = " ".join(element.text_content().split())
        links = element.findall(".//a") + ([element] if element.tag == "a" else [])
        strong, weak = black_keywords(text) if text else ([], [])
        reason = ""
        external = [a for a in links if _host(a.get("href") or "") not in ("", host)]
        if _is_hidden(element) and (external or strong):
            reason = "隐藏的链接块" if links else "隐藏的黑词文字"
        elif strong and links and _link_text_share(element) > 0.6:
            reason = "黑词链接列表"
        elif strong and element.tag == "a":
            reason = "黑词链接"
        if reason:
            found.append(InjectedBlock(reason, text[:80], len(links)))
            _drop(element)
    return found


def _top(element):
    while element.getparent() is not None:
        element = element.getparent()
    return element


def _link_text_share(element) -> float:
    total = len("".join(element.text_content().split()))
    linked = sum(len("".join(a.text_content().split())) for a in element.iter("a"))
    return linked / total if total else 0.0


def _drop(element) -> None:
    """Remove an element but keep the text that followed it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def hijack_scripts(root) -> list[str]:
    """Inline scripts that send visitors elsewhere by referrer or user agent (search-engine cloaking)."""
    found = []
    for script in root.iter("script"):
        code = script.text or ""
        if _REDIRECT_SCRIPT.search(code) and (black_keywords(code)[0] or "referrer" in code or "location" in code):
            found.append(" ".join(code.split())[:120])
    return found


def strip_injected_links(markup: str, *, host: str = "") -> tuple[str, list[InjectedBlock]]:
    """`remove_injected_blocks` for an HTML fragment given as a string."""
    from lxml import html as lxml_html  # imports and checks: reader-facing workers never load lxml

    if not markup or not markup.strip():
        return markup, []
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    found = remove_injected_blocks(root, host=host)
    if not found:
        return markup, []
    inner = (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    return inner, found
