"""Which heading of a page is the article's title: candidates scored against the rest of the page.

Templates put more headings on a detail page than the article has: PbootCMS's banner
repeats the category name in an <h1> above the article's own <h2>, shop themes put
购物车(0) in a heading, list templates show [导读] summaries. Each candidate gets points
for what marks a title (its tag, a title class, agreement with <title>/og:title/JSON-LD,
standing right above the date line) and loses them for what marks furniture (a name the
navigation or breadcrumb uses, counters, e-mail addresses, labels, truncation). Pure
functions over the candidates' text and features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinwen.importer import metadata

__all__ = ["Candidate", "score", "choose", "GOOD_ENOUGH"]

# Below this the page is held: no candidate looks enough like an article title ("标题无法确定").
GOOD_ENOUGH = 3

_TAG_POINTS = {"h1": 3, "h2": 2, "h3": 1, "meta": 1}
# Words of site navigation, section banners and account bars: a heading made of them names a place, not news.
_NAV_WORDS = re.compile(
    r"^(?:首页|首頁|网站首页|新闻中心|新聞中心|新闻动态|新聞動態|公司动态|公司動態|公司新闻|公司新聞|行业新闻|行業新聞|行业动态|行業動態"
    r"|媒体报道|媒體報導|通知公告|关于我们|關於我們|联系我们|聯繫我們|产品中心|產品中心|案例展示|在线留言|在線留言|人才招聘|企业简介"
    r"|新闻资讯|新聞資訊|最新动态|最新動態|热门文章|熱門文章|相关文章|相關文章|推荐阅读|推薦閱讀|文章列表|新闻列表|新聞列表)$"
)
_ACCOUNT = re.compile(r"登录|登錄|注册|註冊|购物车|購物車|我的账户|我的帳戶|搜索|搜尋|立即咨询|在线客服")
_COUNTER = re.compile(r"[（(]\s*\d+\s*[)）]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_LABEL = re.compile(r"^\s*[\[【［]?\s*(?:导读|導讀|摘要|提要|简介|簡介|内容提要|Abstract)\s*[\]】］:：]")
_TRUNCATED = re.compile(r"(?:…|\.\.\.|。。。)\s*$")


@dataclass
class Candidate:
    text: str
    tag: str  # h1, h2, h3, "class" (a title-classed block) or "meta" (og:title, JSON-LD headline)
    near_info: bool = False  # the date/meta line follows it closely
    index: int = 0  # document order, for ties


def score(candidate: Candidate, *, support: list[str], nav: set[str]) -> int:
    """Points for one candidate; `support` are the page's other claims (<title>, og:title, JSON-LD headline)."""
    text = candidate.text
    points = _TAG_POINTS.get(candidate.tag, 2)
    if any(text == claim or (len(text) >= 6 and text in claim) for claim in support if claim):
        points += 3
    if candidate.near_info:
        points += 3
    if 6 <= len(text) <= 80:
        points += 1
    elif len(text) < 4 or len(text) > 120:
        points -= 3
    if text in nav or _NAV_WORDS.match(text):
        points -= 8  # a banner or menu repeating the section's name
    if _ACCOUNT.search(text) or _COUNTER.search(text) or _EMAIL.search(text):
        points -= 6
    if _LABEL.match(text):
        points -= 6
    if _TRUNCATED.search(text):
        points -= 2
    if metadata.count_labels(text) or metadata.is_breadcrumb(text) or metadata.is_chrome_line(text):
        points -= 6
    return points


def choose(candidates: list[Candidate], *, support: list[str], nav: set[str]) -> tuple[str, int]:
    """The best candidate's text and score ("", 0 without candidates)."""
    best, best_points = "", -(10**6)
    for candidate in candidates:
        points = score(candidate, support=support, nav=nav)
        if points > best_points:
            best, best_points = candidate.text, points
    return (best, best_points) if candidates else ("", 0)
