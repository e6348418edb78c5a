"""Converted text is text: no glossary form and no OpenCC output ever becomes markup.

A glossary form is pasted into text nodes after the body was sanitised, so it must
come out escaped; entities in text nodes (&lt;) must stay text too.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinwen.hanzi.convert import Glossary, convert_html
from xinwen.hanzi.render import GlossaryState, variant_html
from xinwen.hanzi.tests.conftest import HOSTILE_FORM, event_handlers, shape
from xinwen.news.sanitize import sanitize_html

TARGETS = ["zh-hans", "zh-hant", "zh-tw", "zh-hk"]


def test_a_hostile_glossary_form_is_printed_as_text():
    glossary = Glossary.build({"鼠标": {"zh-tw": HOSTILE_FORM}})

    out = convert_html("<p>鼠标和键盘</p>", "zh-tw", source="zh-hans", glossary=glossary)

    assert out == '<p>&lt;img src=x onerror="alert(1)"&gt;和鍵盤</p>'
    assert event_handlers(out) == []


def test_escaped_text_is_never_revived_as_markup():
    """Text nodes hold entities; a glossary term cannot turn &lt; back into <."""
    glossary = Glossary.build({"&lt;": {"zh-tw": "<"}, "&gt;": {"zh-tw": ">"}, "lt;": {"zh-tw": "<"}})
    body = "<p>示例：&lt;img src=x onerror=alert(1)&gt; 信息</p>"

    out = convert_html(body, "zh-tw", source="zh-hans", glossary=glossary)

    assert out == "<p>示例：&lt;img src=x onerror=alert(1)&gt; 資訊</p>"
    assert shape(out) == shape(body)


def test_text_with_entities_converts_as_the_reader_sees_it():
    # 鼠&#26631; is 鼠标 written with a character reference: a reader sees the term.
    out = convert_html("<p>鼠&#26631;&amp;键盘&nbsp;信息</p>", "zh-tw", source="zh-hans")
    assert out == "<p>滑鼠&amp;鍵盤\xa0資訊</p>"


def test_unconverted_text_and_protected_elements_keep_their_bytes():
    glossary = Glossary.build({"鼠标": {"zh-tw": HOSTILE_FORM}})
    body = '<p>ABC&nbsp;&amp;</p><code>&lt;b&gt;鼠标</code><span translate="no">鼠标&#26631;</span>'

    assert convert_html(body, "zh-tw", source="zh-hans", glossary=glossary) == body


# --- the property: whatever the body and the glossary, conversion adds no markup -------------

HAN = "鼠标软件信息头发面条银行发布网络當前位置發佈乾隆"
TEXT = st.text(alphabet=HAN + "ab &<>\"';=/", max_size=12)
FORM = st.one_of(
    st.sampled_from([HOSTILE_FORM, "<", ">", "&lt;", "&amp;lt;", '"><script>alert(1)</script>', "<b>粗</b>", "&"]),
    st.text(alphabet=HAN + "<>&\"'=/ ;abcimgonerror#\x00\n", max_size=20),
)
# Short terms from a few common characters, so that most bodies contain some of them.
TERM = st.one_of(st.text(alphabet="鼠标信息发", min_size=1, max_size=2), st.sampled_from(["&lt;", "lt;", "&", "<", "amp"]))
GLOSSARY = st.dictionaries(
    TERM, st.one_of(st.none(), st.dictionaries(st.sampled_from(TARGETS), FORM, max_size=4)), max_size=6
).map(Glossary.build)
RAW_TAG = st.sampled_from(
    [
        "p", "span", "a", "strong", "em", "code", "pre", "ruby", "rt", "td",
        "script", "style", "img", "svg", "textarea", "title", "iframe",
    ]
)  # fmt: skip
ATTRIBUTE = st.sampled_from(
    ['title="{}"', 'alt="{}"', "href=/{}", 'translate="no"', 'class="no-convert"', "onerror={}", 'lang="zh"', 'src="{}"']
)


@st.composite
def raw_html(draw, depth=0):
    """Random HTML as an editor or an attacker might paste it, before sanitising."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth >= 3 or draw(st.booleans()):
            parts.append(draw(TEXT))
            continue
        tag = draw(RAW_TAG)
        attrs = " ".join(template.format(draw(TEXT)) for template in draw(st.lists(ATTRIBUTE, max_size=3)))
        parts.append(f"<{tag} {attrs}>{draw(raw_html(depth=depth + 1))}</{tag}>")
    return "".join(parts)


SANITISED = raw_html().map(sanitize_html)


def no_new_markup(body: str, out: str, *, extra: frozenset = frozenset()) -> None:
    tags_in, attributes_in = shape(body)
    tags_out, attributes_out = shape(out)
    assert set(tags_out - tags_in) <= extra, (body, out)
    assert not attributes_out - attributes_in, (body, out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SANITISED, GLOSSARY, st.sampled_from(TARGETS), st.sampled_from(["zh-hans", "zh-hant", None]))
def test_conversion_never_adds_elements_or_attributes(body, glossary, target, source):
    out = convert_html(body, target, source=source, glossary=glossary)
    no_new_markup(body, out)


@pytest.mark.parametrize("ruby", [False, True], ids=["plain", "ruby"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=SANITISED, glossary=GLOSSARY, target=st.sampled_from(TARGETS))
def test_rendered_bodies_never_gain_elements_or_attributes(body, glossary, target, ruby):
    state = GlossaryState(version=("property", glossary.rules), glossary=glossary)
    out = variant_html(body, target, source="zh-hans", ruby=ruby, glossary=state)
    # The reading aid adds bare <ruby>/<rt> pairs, and nothing else.
    no_new_markup(body, out, extra=frozenset({"ruby", "rt"}) if ruby else frozenset())
