"""Old URLs: the key an imported page is found by when a reader or crawler asks for its old address.

/news/123.html, /plus/view.php?aid=123 (DedeCMS), /a/123.html, /?p=123 (WordPress):
the key is the path, lower-cased, plus only the query parameters that name the
article, sorted, so /plus/view.php?aid=123&mid=1 and /PLUS/view.php?aid=123 match.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

__all__ = ["legacy_key", "ID_PARAMS"]

# Query parameters that identify an article in the CMSs sites come from.
ID_PARAMS = frozenset({"aid", "id", "p", "articleid", "newsid", "nid", "itemid", "infoid", "contentid", "docid", "tid",
                       "article_id", "news_id", "page_id", "catid", "classid", "typeid", "cid"})  # fmt: skip


def legacy_key(url: str, query: dict | None = None) -> str:
    """The redirect key of an old URL (or of a request path plus its GET parameters); "" for local files."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", ""):
        return ""
    path = (parts.path or "/").lower()
    pairs = query.items() if query is not None else parse_qsl(parts.query, keep_blank_values=False)
    ids = sorted((key.lower(), value) for key, value in pairs if key.lower() in ID_PARAMS and value)
    if path == "/" and not ids:
        return ""  # the old home page is not an article
    return (path + ("?" + "&".join(f"{k}={v}" for k, v in ids) if ids else ""))[:500]
