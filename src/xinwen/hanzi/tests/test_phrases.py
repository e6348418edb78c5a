"""Which words the zh-TW variant replaces beyond character conversion, and how the glossary settles them."""

import pytest

from xinwen.hanzi.convert import BUILTIN_TERMS, Glossary
from xinwen.hanzi.phrases import phrase_changes

TEXT = "工厂完成试运行，设备综合效率提升，智能产线投运。集团发布支持政策。"


@pytest.mark.parametrize(
    "word, plain, taiwan",
    [("试运行", "試運行", "試執行"), ("设备", "設備", "裝置"), ("智能", "智能", "智慧")],
)
def test_taiwan_vocabulary_is_listed_with_the_plain_form(word, plain, taiwan):
    changes = {c.word: c for c in phrase_changes(TEXT)}
    assert changes[word].plain == plain and changes[word].forms == {"zh-tw": taiwan}


def test_character_conversion_alone_and_glossary_words_are_not_listed():
    words = {c.word for c in phrase_changes(TEXT)}
    assert not words & {"工厂", "完成", "综合", "效率", "提升", "发布", "支持", "政策"}


def test_a_glossary_term_keeps_a_word_out_of_the_list():
    glossary = Glossary.build({**BUILTIN_TERMS, "试运行": {"zh-tw": "試運行"}})
    assert "试运行" not in {c.word for c in phrase_changes(TEXT, glossary=glossary)}


def test_text_without_phrase_changes_gives_nothing():
    assert phrase_changes("公司召开会议。") == [] and phrase_changes("") == []
