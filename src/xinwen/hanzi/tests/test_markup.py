"""HTML-aware conversion as properties: markup, code and no-convert spans come out byte-identical."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from xinwen.hanzi.convert import convert_html
from xinwen.hanzi.markup import map_text_nodes
from xinwen.hanzi.pinyin import ruby_html

HAN = st.text(alphabet="头发展干部面条里后云台著着软件信息网络當前位置發佈時間乾隆鼠标", min_size=0, max_size=12)
ATTR_VALUE = st.text(alphabet="头发/?=&.-_abc軟體 ", max_size=10)
TAG = st.sampled_from(["p", "span", "a", "strong", "em", "li", "h2", "td"])


@st.composite
def fragments(draw, depth=0):
    """Random HTML mixing convertible text with protected parts, plus the protected parts' expected form."""
    kind = draw(st.sampled_from(["text", "element", "code", "noconvert", "img"] if depth < 3 else ["text"]))
    if kind == "text":
        return draw(HAN)
    if kind == "img":
        return f'<img src="/{draw(ATTR_VALUE)}.png" alt="{draw(ATTR_VALUE)}">'
    if kind == "code":
        return f"<code>{draw(HAN)}</code>"
    if kind == "noconvert":
        marker = draw(st.sampled_from(['translate="no"', 'class="no-convert"', "data-no-convert"]))
        return f"<span {marker}>{draw(HAN)}<b>{draw(HAN)}</b></span>"
    tag = draw(TAG)
    children = draw(st.lists(fragments(depth=depth + 1), max_size=3))
    return f'<{tag} title="{draw(ATTR_VALUE)}" href="/{draw(ATTR_VALUE)}">{"".join(children)}</{tag}>'


TAGS = re.compile(r"<[^>]*>")
PROTECTED = re.compile(r"<code>.*?</code>|<span (?:translate|class|data-no-convert)[^>]*>.*?</b></span>", re.DOTALL)


@settings(max_examples=200, deadline=None)
@given(st.lists(fragments(), min_size=1, max_size=5).map("".join), st.sampled_from(["zh-hant", "zh-tw", "zh-hk"]))
def test_markup_and_protected_parts_are_byte_identical(html, target):
    out = convert_html(html, target, source="zh-hans")
    assert TAGS.findall(out) == TAGS.findall(html)
    assert PROTECTED.findall(out) == PROTECTED.findall(html)


@settings(max_examples=200, deadline=None)
@given(st.lists(fragments(), min_size=1, max_size=5).map("".join), st.sampled_from(["zh-hans", "zh-hant", "zh-tw", "zh-hk"]))
def test_no_pinyin_ever_appears_in_converted_text(html, target):
    out = convert_html(html, target)
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", TAGS.sub("", out))


@given(st.text(max_size=200))
def test_identity_rewrite_returns_any_input_unchanged(text):
    assert map_text_nodes(text, lambda node: node) == text


def test_nested_no_convert_spans_end_at_their_own_closing_tag():
    html = '<span translate="no">发<span>发</span>发</span>发'
    assert map_text_nodes(html, lambda node: node.replace("发", "發")) == '<span translate="no">发<span>发</span>发</span>發'


def test_comments_and_void_elements_pass_through():
    html = "<!-- 头发 --><br>头发<hr/><img src=x>"
    assert map_text_nodes(html, lambda node: node.upper() if node.isascii() else "X") == "<!-- 头发 --><br>X<hr/><img src=x>"


@settings(max_examples=100, deadline=None)
@given(st.lists(fragments(), min_size=1, max_size=4).map("".join))
def test_ruby_keeps_the_text_and_markup_when_annotations_are_removed(html):
    out = ruby_html(html)
    stripped = re.sub(r"<rt>[^<]*</rt>", "", out).replace("<ruby>", "").replace("</ruby>", "")
    assert stripped == html
