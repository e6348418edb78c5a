"""A labelled set of queries over the demo news center, with the articles a reader expects to find.

The expectations were written from the demo texts, not from the engine's output: the
top result is the article the query is about (its title, name or figure). The same
tables run on SQLite and on PostgreSQL (CI runs the suite on both).
"""

from __future__ import annotations

import pytest

from xinwen.conftest import make_article
from xinwen.news.models import Category
from xinwen.search.services import search_index_articles
from xinwen.search.tests.conftest import demo_texts, search, titled

pytestmark = pytest.mark.django_db

# (query, the start of the title of the article that must come first)
TOP = [
    # words and terms from the title
    ("职代会", "东方智联集团召开2025年工作会议"),
    ("减速器", "集团自主研发高精度RV减速器"),
    ("滨江理工大学", "集团与滨江理工大学签署"),
    ("技能大赛", "集团工会举办第五届职工职业技能大赛"),
    ("主题党日", "集团党委开展“传承红色基因"),
    ("培训班", "集团第三期青年骨干数字化能力提升培训班"),
    ("市长质量奖", "精密机械公司荣获第八届滨江市市长质量奖"),
    ("学雷锋", "集团青年志愿者走进社区"),
    ("液冷储能", "新能源公司首套5MWh液冷储能系统下线"),
    ("科技创新大会", "集团召开科技创新大会"),
    ("机器换人", "工业机器人应用持续拓展"),
    ("新型储能", "新型储能装机规模快速增长"),
    ("设备更新", "大规模设备更新加速推进"),
    ("工业软件", "工业软件国产化提速"),
    ("碳足迹", "制造业绿色低碳转型提速"),
    ("人形机器人", "人形机器人产业加速发展"),
    ("博览会", "2024滨江国际智能装备博览会开幕"),
    ("春节放假", "关于2025年春节放假安排的通知"),
    ("校园招聘", "东方智联装备集团2025届校园招聘公告"),
    ("合理化建议", "关于开展2024年度合理化建议征集活动"),
    ("中标候选人", "数控机床关键部件年度框架采购项目中标候选人公示"),
    ("诈骗", "关于不法分子冒用集团名义实施诈骗"),
    ("快车道", "东方智联集团打通产业工人成长"),
    ("送清凉", "东方智联集团“送清凉”"),
    ("营收", "东方智联集团上半年营收同比增长11.3%"),
    # words and phrases only in the body or summary
    ("五方面重点任务", "东方智联集团召开2025年工作会议"),
    ("畅通生命通道", "集团全面启动2024年“安全生产月”活动"),
    ("手指口述", "集团全面启动2024年“安全生产月”活动"),
    ("扭转刚度", "集团自主研发高精度RV减速器"),
    ("联合研究中心", "集团与滨江理工大学签署"),
    ("红色基因", "集团党委开展“传承红色基因"),
    ("千行百业", "“5G+工业互联网”走深向实"),
    ("伺服系统", "东方智联集团召开2025年工作会议"),
    ("跟跑到并跑", "储能“新赛道”上的东方智联"),
    # names: people, sources, authors
    ("林静宜", "集团与滨江理工大学签署"),
    ("中国工业报", "东方智联集团：以数字化转型激活制造业发展新动能"),
    ("陈晓峰", "东方智联集团：以数字化转型激活制造业发展新动能"),
    ("周雨桐", "东方智联集团打通产业工人成长"),
    ("罗晓燕", "东方智联集团“送清凉”"),
    ("东方财经网", "东方智联集团上半年营收同比增长11.3%"),
    # numbers, codes and Latin words
    ("128.6亿元", "东方智联集团召开2025年工作会议"),
    ("1弧分", "集团自主研发高精度RV减速器"),
    ("5MWh", "新能源公司首套5MWh液冷储能系统下线"),
    ("100MW", "新能源公司首套5MWh液冷储能系统下线"),
    ("11.3%", "东方智联集团上半年营收同比增长11.3%"),
    ("600余家", "2024滨江国际智能装备博览会开幕"),
    ("2025年春节", "关于2025年春节放假安排的通知"),
    ("DZZL-ZB-2025-018", "滨江生产基地智能产线改造项目招标公告"),
    ("ZL-RV", "集团自主研发高精度RV减速器"),
    ("OA系统", "关于集团OA系统升级维护暂停服务的公告"),
    ("oa系统", "关于集团OA系统升级维护暂停服务的公告"),
    ("CAD", "工业软件国产化提速"),
    ("ＣＡＤ", "工业软件国产化提速"),  # full-width letters
    ("5G全连接工厂", "集团首个5G全连接工厂建成投用"),
    # quoted phrases
    ('"人人讲安全"', "集团全面启动2024年“安全生产月”活动"),
    ("“安全生产月”", "集团全面启动2024年“安全生产月”活动"),
    ('"5G全连接"', "集团首个5G全连接工厂建成投用"),
    # single characters
    ("钢", "“5G+工业互联网”走深向实"),
    ("碳", "制造业绿色低碳转型提速"),
    ("凉", "东方智联集团“送清凉”"),
    ("聘", "东方智联装备集团2025届校园招聘公告"),
    # Traditional script and Taiwan vocabulary find the Simplified articles
    ("質量獎", "精密机械公司荣获第八届滨江市市长质量奖"),
    ("學雷鋒", "集团青年志愿者走进社区"),
    ("「學雷鋒」", "集团青年志愿者走进社区"),
    ("全連接工廠", "集团首个5G全连接工厂建成投用"),
    ("機器換人", "工业机器人应用持续拓展"),
    ("碳足跡", "制造业绿色低碳转型提速"),
    ("博覽會", "2024滨江国际智能装备博览会开幕"),
    ("校園招聘", "东方智联装备集团2025届校园招聘公告"),
    ("詐騙", "关于不法分子冒用集团名义实施诈骗"),
    ("春節", "关于2025年春节放假安排的通知"),
    ("清涼", "东方智联集团“送清凉”"),
    ("鋒", "集团青年志愿者走进社区"),
    ("裝置更新", "大规模设备更新加速推进"),  # zh-TW: 裝置 is 设备
    ("工業軟體", "工业软件国产化提速"),  # zh-TW: 軟體 is 软件
    # the imported seed page (its machine-converted Traditional text repaired to Simplified)
    ("陈吉宁", "深化国资央企与上海市合作"),
    ("陳吉寧", "深化国资央企与上海市合作"),
    ("张玉卓", "深化国资央企与上海市合作"),
    ("國資委", "深化国资央企与上海市合作"),
    ("沪", "深化国资央企与上海市合作"),
    ("创新链", "深化国资央企与上海市合作"),
    ("4月24日", "深化国资央企与上海市合作"),
    ('"央地合作"', "深化国资央企与上海市合作"),
]


@pytest.mark.parametrize("query, expected", TOP, ids=[q for q, _ in TOP])
def test_the_article_a_reader_means_comes_first(demo, query, expected):
    found = search(query)

    assert found, f"nothing found for {query!r}"
    assert found[0] == titled(demo, expected).pk, [a.title for a in _titles(demo, found[:3])]


def _titles(demo, ids):
    by_id = {article.pk: article for article in demo.values()}
    return [by_id[pk] for pk in ids]


# Names: every article whose text contains the name, and no other.
NAMES = ["周建国", "刘振华", "郑亚楠", "王晓明", "李娜", "赵建华", "马骏", "黄蕾"]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_finds_every_article_that_mentions_it(demo, name):
    expected = {titled(demo, title).pk for title, text in demo_texts().items() if name in text}

    assert expected, f"the demo content no longer mentions {name}"
    assert set(search(name)) == expected


# The same query typed in another script finds the same articles in the same order.
CROSS_SCRIPT = [
    ("网站", "網站"),
    ("信息", "資訊"),  # zh-TW vocabulary: 資訊 is 信息
    ("减速器", "減速器"),
    ("储能", "儲能"),
    ("数字化转型", "數字化轉型"),
    ("质量", "質量"),
    ("职工", "職工"),
    ("东方智联", "東方智聯"),
    ("春节", "春節"),
    ("发展", "發展"),
    ("数字孪生", "數位孿生"),  # zh-TW vocabulary: 數位 is 数字
    ("设备更新", "裝置更新"),  # 裝置 is 设备
]


@pytest.mark.parametrize("simplified, traditional", CROSS_SCRIPT)
def test_traditional_queries_find_what_simplified_ones_do(demo, simplified, traditional):
    found = search(simplified)

    assert found
    assert search(traditional) == found


def test_title_matches_rank_above_body_mentions(demo):
    found = search("储能")
    in_title = {article.pk for title, article in demo.items() if "储能" in title}

    assert len(in_title) >= 3
    assert set(found[: len(in_title)]) == in_title
    assert len(found) > len(in_title)  # body mentions are found too, after them


def test_every_term_must_match(demo):
    both = search("储能 液冷")

    assert set(both) < set(search("储能"))
    assert set(both) <= set(search("液冷"))
    assert titled(demo, "新能源公司首套5MWh液冷储能系统下线").pk in both


def test_a_minus_sign_leaves_out_articles(demo):
    with_cooling = titled(demo, "新能源公司首套5MWh液冷储能系统下线").pk

    found = search("储能 -液冷")

    assert found
    assert with_cooling in search("储能")
    assert with_cooling not in found


def test_quotes_require_the_words_together(demo):
    apart = set(search("安全 生产 月"))
    together = search('"安全生产月"')

    assert together == [titled(demo, "集团全面启动2024年“安全生产月”活动").pk]
    assert len(apart) > len(together)


def test_words_not_in_the_demo_find_nothing(demo):
    assert search("元宵") == []
    assert search("南京") == []


# The demo has no economic figures: one more article brings Latin abbreviations and a year.
REPORT = {
    "title": "滨江市2023年经济运行情况通报",
    "summary": "全市GDP首次突破3000亿元。",
    "body": "<p>2023年，全市实现地区生产总值（GDP）3012亿元，同比增长5.8%；5G基站新增2100个。</p>",
}
FIGURES = ["GDP", "gdp", "ＧＤＰ", "2023", "2023年", "GDP 2023", "3012亿元", "5.8%", '"生产总值"']


@pytest.mark.parametrize("query", FIGURES)
def test_abbreviations_and_years_find_the_report(demo, query):
    report = make_article(category=Category.objects.get(slug="industry"), **REPORT)
    search_index_articles(article_ids=[report.pk])

    found = search(query)

    assert found and found[0] == report.pk, [a.title for a in _titles({**demo, report.title: report}, found[:3])]
