"""Repairs of leaked pinyin, truncated annotations, lost characters and machine conversion: tables and properties."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinwen.hanzi.convert import _char_forms
from xinwen.hanzi.repair import (
    conversion_verdict,
    fill_lost_chars,
    find_lost_chars,
    repair,
    repair_misaligned_annotations,
    simplify,
    strip_leaked_pinyin,
    strip_truncated_annotation,
)

LEAKS = [  # (damaged, repaired)
    ("當(dāng)前位置", "當前位置"),
    ("發(fā)布時(shí)間", "發布時間"),
    ("首頁(yè) > 新聞中心", "首頁 > 新聞中心"),
    ("講話(huà)", "講話"),
    ("長(zhǎng)大", "長大"),  # a reading of 长 that is not its first one still is one
    ("他們(men)", "他們"),  # neutral tone: pypinyin's toneless reading
    ("國(guó)(guó)", "國(guó)"),  # one pass removes one leak; repair() runs to the end
]
KEPT = [  # legitimate parentheses after Han characters
    "2023年(2023)",
    "国内生产总值(GDP)",
    "中央处理器(CPU)",
    "国务院国有资产监督管理委员会(以下简称国资委)",
    "本报讯(记者 张三)",
    "罂(yīng)粟是一种植物",  # a gloss in a textbook: 罂 is no converter's output
    "重(zhòng)要",  # Simplified-only text is never a converter's output
    "國(China)",  # not pinyin
    "當(dōng)前",  # dōng is no reading of 当
    "當 (dāng)前",  # not right after the character
    "當（dāng）前",  # full-width parentheses: a human's gloss
    "行(xíng)走",  # 行 is the same in both scripts
]


@pytest.mark.parametrize("damaged, repaired", LEAKS)
def test_leaked_pinyin_is_removed(damaged, repaired):
    result = strip_leaked_pinyin(damaged)

    assert result.text == repaired
    assert result.findings and all(f.kind == "leaked_pinyin" and f.repaired for f in result.findings)


@pytest.mark.parametrize("text", KEPT)
def test_legitimate_parentheses_are_kept(text):
    parenthesis = text[text.index("(") if "(" in text else text.index("（") :]

    assert strip_leaked_pinyin(text).text == text
    assert parenthesis in repair(text).text


TRUNCATED = [
    ("上海市與國務院國(gu", "上海市與國務院國"),
    ("上海市與國務院國(guó", "上海市與國務院國"),
    ("上海市與國務院國(", "上海市與國務院國"),
    ("上海市與國務院國(gu…", "上海市與國務院國…"),
    ("上海市與國務院國(gu...", "上海市與國務院國..."),
]


@pytest.mark.parametrize("damaged, repaired", TRUNCATED)
def test_annotation_cut_off_at_the_end_is_removed(damaged, repaired):
    assert strip_truncated_annotation(damaged).text == repaired


@pytest.mark.parametrize("text", ["函数 f(x", "見附表(2", "罂(yī", "國(abc", "國(gu) 之後"])
def test_other_open_parentheses_at_the_end_are_kept(text):
    assert strip_truncated_annotation(text).text == text


def test_misaligned_leak_whose_reading_belongs_to_the_character_before_is_whole_again():
    result = repair_misaligned_annotations("深化國?guó)資央企")
    assert result.text == "深化國資央企" and result.findings[0].repaired


def test_misaligned_leak_that_lost_its_character_keeps_a_visible_mark_and_says_which_reading():
    result = repair("因?yàn)此")

    assert result.text == "因?此"
    assert any(f.kind == "misaligned" and "yàn" in f.note for f in result.findings)
    assert any(f.kind == "lost_chars" and not f.repaired for f in result.findings)


LOST = [  # (text, number of places where characters were lost)
    ("总经理王?介绍", 1),
    ("我们??的", 1),
    ("??????", 1),
    ("你好吗?我很好", 0),  # a question typed with an ASCII ?
    ("这是为什么?因为", 0),
    ("What?", 0),
    ("是否同意?请回复", 0),
    ("问题？答案", 0),  # a full-width ？ is punctuation
    ("王?和李?都来了", 2),
]


@pytest.mark.parametrize("text, places", LOST)
def test_lost_characters_are_found(text, places):
    found = find_lost_chars(text)
    assert len(found) == places
    assert all(f.kind == "lost_chars" and not f.repaired for f in found)


def test_lost_characters_are_restored_from_another_copy_of_the_text():
    result = fill_lost_chars("新能源装备公司获评省级专?特新企业", "新能源装备公司获评省级专精特新企业_公司新闻")
    assert result.text == "新能源装备公司获评省级专精特新企业"
    assert result.findings[0].repaired


@pytest.mark.parametrize("reference", ["", "另一篇文章的标题", "新能源装备公司获评省级专?特新企业"])
def test_lost_characters_are_not_guessed(reference):
    assert fill_lost_chars("新能源装备公司获评省级专?特新企业", reference).text == "新能源装备公司获评省级专?特新企业"


MACHINE = [  # machine-converted from Simplified
    "深化國資央企與上海市合作，共同深入學習關于科技創新的重要論述。",  # 關于
    "基于上述情況，公司將進一步加強管理，由于時間緊迫，請各單位做好準備。",
    "公司召開乾部大會，會議室在理發室旁邊。",  # wrong one-to-many picks
    "請用鼠標點擊默認按鈕，數據存放在服務器上。",  # mainland-only vocabulary
]
GENUINE = [  # genuine Taiwan, Hong Kong and Macau text
    "本公司今日發表新一代雲端軟體平臺，透過網路提供即時的資訊服務，協助中小企業加速數位轉型。",
    "決賽作品涵蓋長者照顧、環境保育及網絡安全等範疇，不少隊伍自行編寫軟件並分享相關信息。",  # HK shares 軟件, 網絡, 信息
    "社區中心日前公佈暑期活動安排，包括親子手工班、長者健體班及青少年義工訓練。",
    "澳門特別行政區政府於今日舉行記者會，介紹旅遊業的最新發展。",
    "關於本會：本會成立於一九八零年，致力於推廣閱讀。",
]


@pytest.mark.parametrize("text", MACHINE)
def test_machine_conversion_is_recognised_and_reversed(text):
    verdict = conversion_verdict(text)
    result = repair(text)

    assert verdict.machine_converted and verdict.reasons
    assert result.text == simplify(text) and result.text != text
    assert any(f.kind == "machine_conversion" for f in result.findings)


@pytest.mark.parametrize("text", GENUINE)
def test_genuine_traditional_text_stays_in_its_own_script(text):
    assert not conversion_verdict(text).machine_converted
    assert repair(text).text == text


def test_one_leak_is_enough_to_call_a_traditional_text_converted():
    assert conversion_verdict("本公司發表新平臺", leaks=1).machine_converted


def test_simplify_changes_character_forms_not_vocabulary():
    assert simplify("行業資訊與軟體") == "行业资讯与软体"  # tw2sp would write 信息 and 软件


def test_the_seed_body_comes_back_simplified_without_pinyin():
    damaged = "4月24日,深化國(guó)資央企與上海市合作、推動(dòng)制造業(yè)發(fā)展座談會(huì)在滬舉行。上海市委書(shū)記陳吉寧出席會(huì)議并講話(huà)。"
    assert repair(damaged).text == "4月24日,深化国资央企与上海市合作、推动制造业发展座谈会在沪举行。上海市委书记陈吉宁出席会议并讲话。"


# --- properties -------------------------------------------------------------------------------------------------

_SIMPLIFIED_CHARS = "".join(
    c for c in "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外"
    "天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九"
    "区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己"
    "美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石"
    "记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克"
    "何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
    "该铁价严龙飞，。、；：！“”（）《》 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ()-_/:.,\n"
    if not _char_forms(c)[1]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_repair_never_raises_and_is_idempotent(text):
    once = repair(text)
    assert repair(once.text).text == once.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_SIMPLIFIED_CHARS + "?(āáǎàīóū)罂", max_size=120))
def test_repair_on_damage_like_input_is_idempotent(text):
    once = repair(text)
    assert repair(once.text).text == once.text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_SIMPLIFIED_CHARS, max_size=200))
def test_clean_simplified_text_is_never_changed(text):
    result = repair(text)
    assert result.text == text
    assert not any(f.repaired for f in result.findings)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["当前位置", "新闻中心", "发布时间", "浏览次数", "国资央企", "推动", "制造业", "罂(yīng)", "(2023)", "(GDP)"]), max_size=20))
def test_clean_simplified_phrases_are_never_changed(words):
    text = "，".join(words)
    assert repair(text).text == text


# Neutral-tone leaks carry no tone mark; a particle is never glossed so, but a real gloss has its tone.
NEUTRAL = [
    ("隨著(zhe)時間推移", "随着时间推移"),
    ("随着(zhe)时间推移", "随着时间推移"),
    ("我們的(de)工作", "我们的工作"),
    ("項目完成了(le)。", "项目完成了。"),
    ("為什麼(me)要改", "为什么要改"),
    ("怎么(me)办", "怎么办"),
]


@pytest.mark.parametrize("damaged, repaired", NEUTRAL)
def test_neutral_tone_leaks_are_removed_like_toned_ones(damaged, repaired):
    assert repair(damaged).text == repaired


@pytest.mark.parametrize("text", ["了(liǎo)解", "着(zháo)急", "的(dí)确", "助词“着(zhe)”表示持续", "读作 的(dì)"])
def test_genuine_glosses_of_particles_are_kept(text):
    assert repair(text).text == text


@pytest.mark.parametrize(
    ("converted", "simplified"),
    [
        ("隨著時代的發展", "随着时代的发展"),
        ("他說著話走了進來", "他说着话走了进来"),
        ("意味著機遇", "意味着机遇"),
        ("著名作家", "著名作家"),
        ("成績顯著", "成绩显著"),
        ("魯迅著有《吶喊》", "鲁迅著有《呐喊》"),
        ("這部名著與他的著作", "这部名著与他的著作"),
    ],
)
def test_the_particle_zhe_is_written_as_mainland_text_writes_it_after_back_conversion(converted, simplified):
    assert simplify(converted) == simplified
