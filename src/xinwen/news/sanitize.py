"""The HTML allowlist for article bodies: what editors and importers may store.

Everything not listed is removed by nh3 (the Ammonia sanitiser). The list never
contains svg, math, style, script, noscript, title, textarea, iframe, object, embed,
base or form, never event-handler or style attributes, and URLs are limited to
http(s), mailto, tel and relative ones, so javascript: and data: URLs cannot survive.
"""

import nh3

__all__ = ["sanitize_html", "ALLOWED_TAGS", "FORBIDDEN_TAGS"]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
        "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small",
        "blockquote", "q", "cite", "code", "pre", "kbd", "abbr",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "img", "figure", "figcaption",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "span", "div", "ruby", "rt", "rp",
    }
)  # fmt: skip

FORBIDDEN_TAGS = frozenset(
    {"svg", "math", "style", "script", "noscript", "title", "textarea", "iframe", "object", "embed", "base", "form"}
)
assert not ALLOWED_TAGS & FORBIDDEN_TAGS

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "ol": {"start", "type"},
    "abbr": {"title"},
    "span": {"lang", "translate"},  # translate="no": the editor's 不转换 mark
    "p": {"lang"},
}

# Contents of these tags are dropped, not kept as text.
CLEAN_CONTENT_TAGS = FORBIDDEN_TAGS - {"form"}

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allowlist removed; safe to render unescaped."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
    # The editor represents an empty document as one empty paragraph.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned
