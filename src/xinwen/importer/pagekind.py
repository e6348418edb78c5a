"""Whether a crawled page is an article at all: home, list, archive, about/contact and search pages are not.

A crawl reaches every page of the old site; only its articles may become news. The
address says most (WordPress /category/ /tag/ /author/ /page/2/ ?s=, PbootCMS /?aboutus/,
DedeCMS list_1_2.html), WordPress's <body class> says the rest (home, archive, search,
page), and a page of many dated links without an article heading is a list. Pure
functions: the reason is a sentence for the import report, "" for an article.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["skip_reason", "password_form", "PASSWORD_REASON"]

_LIST_PATH = re.compile(
    r"/(?:category|tag|tags|author|archives?|topics?|search|page/\d+|list|lists|column)(?:/|$)|/list[_-]\d+(?:[_-]\d+)?\.html?$"
    r"|/(?:index|default)(?:_\d+)?\.(?:s?html?|php|aspx?)$",
    re.I,
)
_ABOUT_PATH = re.compile(
    r"(?:^|/|\?)(?:about|aboutus|about-us|contact|contactus|contact-us|guanyu|lianxi|lxwm|gywm|jianjie|join|jobs|message|gbook|sitemap)"
    r"(?:/|\.s?html?|\.php|$)",
    re.I,
)
_ABOUT_TITLE = re.compile(r"^(?:关于我们|關於我們|联系我们|聯繫我們|联系方式|聯繫方式|公司简介|公司簡介|企业简介|企業簡介|在线留言|在線留言|人才招聘|网站地图|網站地圖|搜索结果|搜尋結果)$")
_WP_NOT_ARTICLE = {  # the most specific first: a category page is also an "archive"
    "home": "首页", "category": "栏目列表页", "tag": "标签页", "author": "作者页", "search": "搜索页", "date": "日期归档页",
    "archive": "归档页", "blog": "文章列表页", "page": "独立页面（不是新闻）", "error404": "404 页面",
}  # fmt: skip
_WP_PAGE_MARK = re.compile(r"(?:^|\s)(?:page-template[\w-]*|page-id-\d+)(?:\s|$)")
# WordPress prints this form instead of a password-protected post's text, on the page and in its feeds;
# block themes (Twenty Twenty-Three) do not mark <body> with post-password-required.
_PASSWORD_FORM = re.compile(r"<form\b[^>]*(?:action=postpass|post-password-form)", re.I)
PASSWORD_REASON = "WordPress 设有访问密码的文章（原文未公开）"
_LIST_QUERY = {"s", "cat", "tag", "author", "paged", "m", "keyword", "keywords", "q"}


def _by_address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return ""
    path = unquote(parts.path or "/")
    query = parts.query
    keys = {key.lower() for key, _ in parse_qsl(query, keep_blank_values=True)}
    if keys & {"p", "page_id", "aid", "id"}:
        return ""
    if keys & _LIST_QUERY:
        return "搜索或列表页（地址带查询参数）"
    if path in ("", "/"):
        if not query:
            return "网站首页"
        if "=" not in query and not re.search(r"\d+\.s?html?$", query):  # PbootCMS "/?news/": a section
            return "关于/联系页" if _ABOUT_PATH.search("/" + query) else "栏目页"
    if _ABOUT_PATH.search(path) or _ABOUT_PATH.search("/" + query):
        return "关于/联系页"
    if _LIST_PATH.search(path):
        return "列表/归档页"
    return ""


def password_form(html: str) -> bool:
    """Whether a page or feed item shows WordPress's password form where the text would be."""
    return bool(_PASSWORD_FORM.search(html))


def skip_reason(*, url: str, body_class: str = "", heading: str = "", dated_links: int = 0, has_date: bool = True) -> str:
    """Why this page is not an article ("" when it is one)."""
    classes = set(body_class.split())
    if "post-password-required" in classes:  # the page shows WordPress's password form, never the text
        return PASSWORD_REASON
    if "single" not in classes:
        for mark, name in _WP_NOT_ARTICLE.items():
            if mark in classes:
                return f"WordPress {name}"
        if _WP_PAGE_MARK.search(body_class):
            return "WordPress 独立页面（不是新闻）"
    reason = _by_address(url)
    if reason:
        return reason
    if heading and _ABOUT_TITLE.match(heading):
        return "关于/联系页"
    if dated_links >= 6 and not has_date:
        return f"列表页（{dated_links} 条带日期的链接，没有文章自己的日期）"
    return ""
