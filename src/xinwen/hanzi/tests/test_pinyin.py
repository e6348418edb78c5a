"""Pinyin readings are phrase-aware and exist only as <ruby> markup."""

import pytest

from xinwen.hanzi.pinyin import readings, ruby_html


@pytest.mark.parametrize(
    "text, expected",
    [
        ("银行", ["yín", "háng"]),
        ("行走", ["xíng", "zǒu"]),
        ("重庆", ["chóng", "qìng"]),
        ("重要", ["zhòng", "yào"]),
        ("长大", ["zhǎng", "dà"]),
        ("长度", ["cháng", "dù"]),
        ("音乐", ["yīn", "yuè"]),
        ("快乐", ["kuài", "lè"]),
        ("当前位置", ["dāng", "qián", "wèi", "zhì"]),
        ("发布时间", ["fā", "bù", "shí", "jiān"]),
        ("理发", ["lǐ", "fà"]),
        # Traditional pages are read by the same phrases (the dictionary is Simplified).
        ("銀行", ["yín", "háng"]),
        ("重慶", ["chóng", "qìng"]),
        ("長度", ["cháng", "dù"]),
        ("音樂", ["yīn", "yuè"]),
        ("乾隆", ["qián", "lóng"]),
        ("乾淨", ["gān", "jìng"]),
        ("吃麪條", ["chī", "miàn", "tiáo"]),
    ],
)
def test_phrase_aware_readings(text, expected):
    assert [reading for _char, reading in readings(text)] == expected


def test_ruby_markup_annotates_han_only():
    assert ruby_html("<p>银行 5G</p>") == "<p><ruby>银<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby> 5G</p>"


def test_ruby_keeps_the_characters_as_written():
    assert ruby_html("<p>銀行</p>") == "<p><ruby>銀<rt>yín</rt></ruby><ruby>行<rt>háng</rt></ruby></p>"


def test_ruby_leaves_code_and_attributes_alone():
    html = '<p title="银行"><code>银行</code></p>'
    assert ruby_html(html) == html
