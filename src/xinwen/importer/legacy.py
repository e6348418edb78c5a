"""Old URLs: the key an imported page is found by when a reader or crawler asks for its old address.

/news/123.html, /plus/view.php?aid=123 (DedeCMS), /a/123.html, /?p=123 (WordPress):
the key is the path, lower-cased, plus only the query parameters that name the
article, sorted, so /plus/view.php?aid=123&mid=1 and /PLUS/view.php?aid=123 match.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["legacy_key", "is_old_query_address", "ID_PARAMS"]

# Query parameters that identify an article in the CMSs sites come from.
ID_PARAMS = frozenset({"aid", "id", "p", "articleid", "newsid", "nid", "itemid", "infoid", "contentid", "docid", "tid",
                       "article_id", "news_id", "page_id", "catid", "classid", "typeid", "cid"})  # fmt: skip


_QUERY_PATH = re.compile(r"^[\w\-.%]+/[\w\-/.%]*$")


def legacy_key(url: str, query: dict | None = None) -> str:
    """The redirect key of an old URL (or of a request path plus its GET parameters); "" for local files.

    One normal form for every spelling of an address: the path percent-decoded and NFC
    (so /%E5%AA%92%E4%BD%93/117.html, the raw /媒体/117.html and Django's decoded
    request.path give one key), lower-cased, plus the article's id parameters; a
    PbootCMS query-string path (/?company/18.html) is kept whole as the query.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", ""):
        return ""
    path = unicodedata.normalize("NFC", unquote(parts.path or "/")).lower()
    raw_query = unquote(parts.query)
    if query is None and raw_query and "=" not in raw_query and _QUERY_PATH.match(raw_query):
        return f"{path}?{raw_query.lower()}"[:500]  # PbootCMS: /?company/18.html
    pairs = query.items() if query is not None else parse_qsl(parts.query, keep_blank_values=False)
    ids = sorted((key.lower(), value) for key, value in pairs if key.lower() in ID_PARAMS and value)
    if path == "/" and not ids:
        return ""  # the old home page is not an article
    return (path + ("?" + "&".join(f"{k}={v}" for k, v in ids) if ids else ""))[:500]


def is_old_query_address(path: str, query_string: str) -> bool:
    """A request for "/" that only an old site answered: /?p=105, /?page_id=2, /?company/18.html."""
    if path != "/" or not query_string:
        return False
    return bool(legacy_key("/?" + query_string))
