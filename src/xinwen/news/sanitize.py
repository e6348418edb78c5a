"""The HTML allowlist for article bodies: what editors and importers may store.

Everything not listed is removed by nh3 (the Ammonia sanitiser). The list never
contains svg, math, style, script, noscript, title, textarea, iframe, object, embed,
base or form, never event-handler or style attributes, and URLs are limited to
http(s), mailto, tel and relative ones, so javascript: and data: URLs cannot survive.

An `<img>` may carry srcset, sizes, loading and decoding, and a srcset is kept only when every
URL in it is the site's own media: a body can never make a reader's browser fetch pictures from
elsewhere through a srcset, which the URL-scheme check does not look into. `<picture>` is not
stored at all: the article page writes it itself from the stored `<img>` (news/pictures.py).

`<video>` with `<source>` and `<track>` (captions) is kept only with every src and poster on the
site's own media: a body can never play, or make a reader's browser fetch, video from elsewhere.
"""

import re

import nh3
from django.conf import settings

from xinwen.news.wordpaste import ALIGN_CLASSES, clean_office_html

__all__ = ["sanitize_html", "plain_text", "ALLOWED_TAGS", "FORBIDDEN_TAGS"]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
        "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small",
        "blockquote", "q", "cite", "code", "pre", "kbd", "abbr",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "img", "figure", "figcaption", "video", "source", "track",
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
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "ol": {"start", "type"},
    "abbr": {"title"},
    "span": {"lang", "translate"},  # translate="no": the editor's 不转换 mark
    "p": {"lang"},
    "video": {"src", "poster", "controls", "preload", "width", "height", "playsinline"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
MEDIA_ELEMENTS = frozenset({"video", "source", "track"})

# Contents of these tags are dropped, not kept as text.
CLEAN_CONTENT_TAGS = FORBIDDEN_TAGS - {"form"}

# A sizes list is media conditions and lengths: these words, numbers and punctuation, nothing else.
_SIZES_WORDS = re.compile(r"max-width|min-width|calc|and|vw|px|rem|em")
_SIZES_REST = re.compile(r"[0-9().,:%+*/\s-]*")
_VALUES = {
    "loading": {"lazy", "eager"},
    "decoding": {"async", "sync", "auto"},
    "preload": {"none", "metadata"},
    "kind": {"captions", "subtitles", "descriptions", "chapters"},
    "type": {"video/mp4"},
}
_SRCLANG = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")


def _own_url(url: str) -> bool:
    """Whether `url` is a plain path under the site's MEDIA_URL (no other host, no way out of it)."""
    prefix = settings.MEDIA_URL
    return url.startswith(prefix) and ".." not in url and "//" not in url[len(prefix) - 1 :] and "\\" not in url


def _own_srcset(value: str) -> bool:
    """Whether every candidate of a srcset is a plain path under the site's MEDIA_URL."""
    candidates = [c.strip() for c in value.split(",") if c.strip()]
    for candidate in candidates:
        if not _own_url(candidate.split()[0]):
            return False
    return bool(candidates)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element in MEDIA_ELEMENTS and attribute in ("src", "poster"):
        return value if _own_url(value.strip()) else None
    if attribute == "srclang":
        return value if _SRCLANG.fullmatch(value) else None
    if attribute == "srcset":
        return value if _own_srcset(value) else None
    if attribute == "sizes":
        ok = len(value) <= 200 and _SIZES_REST.fullmatch(_SIZES_WORDS.sub(" ", value.lower()))
        return value if ok else None
    if attribute in _VALUES:
        return value if value.lower() in _VALUES[attribute] else None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    # 落款 on the right and centred titles from Word/WPS (news/wordpaste.py): these classes only.
    allowed_classes={tag: set(ALIGN_CLASSES.values()) for tag in ("p", "h2", "h3", "h4", "div")},
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


_VIDEO_BLOCK = re.compile(r"<video\b.*?</video>", re.DOTALL)
_MEDIA_CHILD = re.compile(r"<(?:source|track)\b[^>]*>")


def _drop_orphan_sources(html: str) -> str:
    """`<source>`/`<track>` belong inside a `<video>`: elsewhere (a `<picture>` from a paste) they go."""
    if "<source" not in html and "<track" not in html:
        return html
    parts, pos = [], 0
    for block in _VIDEO_BLOCK.finditer(html):
        parts += [_MEDIA_CHILD.sub("", html[pos : block.start()]), block.group(0)]
        pos = block.end()
    parts.append(_MEDIA_CHILD.sub("", html[pos:]))
    return "".join(parts)


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allowlist removed; safe to render unescaped."""
    if not html:
        return ""
    cleaned = _drop_orphan_sources(_cleaner.clean(clean_office_html(html)).strip())
    # A class outside ALIGN_CLASSES leaves an empty attribute behind (text holds &quot;, never this).
    cleaned = cleaned.replace(' class=""', "")
    # The editor represents an empty document as one empty paragraph.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


# A tag as the sanitiser writes it. Its text and attribute values carry "<" and ">" as &lt; and
# &gt; (nh3 0.3); quoted values are still skipped whole, should a serialiser ever leave ">" in them.
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def plain_text(html: str) -> str:
    """The text of sanitised HTML: its tags removed, entities kept, as Django's strip_tags gives it.

    strip_tags runs Python's HTMLParser over the whole body (about 130 µs for a short
    article, ten times this); a page asks for the text of every article it describes
    (meta description, JSON-LD, lists without a summary). For HTML that did not come from
    sanitize_html the result may differ from strip_tags, never in safety: it is plain text,
    escaped wherever it is shown.
    """
    return _TAG.sub("", html) if "<" in html else html
