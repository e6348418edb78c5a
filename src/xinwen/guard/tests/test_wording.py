"""错别字, misspelt political terms and people's titles: found where they are wrong, silent where they are right."""

from __future__ import annotations

import datetime

import pytest

from xinwen.conftest import make_article
from xinwen.guard import services as guard_services
from xinwen.guard.lexicon import LexiconFormatError
from xinwen.guard.models import Person
from xinwen.guard.people import PeopleChecker, Post
from xinwen.guard.tests.helpers import demo_fields
from xinwen.guard.typos import MISSTATEMENT, TYPO, TypoFinder, builtin_confusions, parse_confusions
from xinwen.news import services
from xinwen.news.content_checks import NeedsConfirmation, article_findings
from xinwen.news.models import Article
from xinwen.site import demo_content

FINDER = TypoFinder(builtin_confusions())
DAY = datetime.date(2025, 6, 1)
# The demo's people as an organisation would list them, with one title someone no longer holds.
DEMO_PEOPLE = [
    Post("周建国", "党委书记"),
    Post("周建国", "董事长"),
    Post("刘振华", "总经理"),
    Post("刘振华", "副总经理", datetime.date(2016, 1, 1), datetime.date(2020, 12, 31)),
    Post("陈立群", "副总经理"),
    Post("吴海涛", "总经理"),
    Post("李建军", "车间主任"),
]
PEOPLE = PeopleChecker(DEMO_PEOPLE)


def typos(text: str) -> list[tuple[str, str]]:
    return [(hit.text, hit.confusion.right) for hit in FINDER.find(text)]


def test_the_confusion_set_is_large_enough_and_well_formed():
    entries = builtin_confusions()
    assert len([c for c in entries if c.category == TYPO]) >= 60
    assert len([c for c in entries if c.category == MISSTATEMENT]) >= 20
    assert all(c.wrong != c.right for c in entries)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("请按装说明书操作", [("按装", "安装")]),
        ("按装机容量计算，排名第一", []),  # 按 + 装机容量
        ("按排名先后顺序公布", []),
        ("会议按排在周五", [("按排", "安排")]),
        ("既使是这样，我们也不放弃", [("既使", "即使")]),
        ("既使用了新工艺，又降低了成本", []),  # 既……又……
        ("既使企业受益，又方便群众", []),
        ("大家愉快地渡过了春节假期", [("渡过", "度过")]),
        ("企业携手渡过难关", []),  # 渡过难关 is right
        ("船队渡过长江", []),
        ("截止目前，已完成投资", [("截止", "截至")]),
        ("报名截止日期为5月1日", []),
        ("双方签定合同", [("签定", "签订")]),
        ("预防犯罪宣传", []),
        ("做好防犯工作", [("防犯", "防范")]),
        ("再接再励，迫不急待", [("再接再励", "再接再厉"), ("迫不急待", "迫不及待")]),
        ("請按裝說明操作", [("按裝", "安装")]),  # a Traditional manuscript, same list
        ("共建一代一路", [("一代一路", "一带一路")]),
        ("深入开展两学一作学习教育", [("两学一作", "两学一做")]),
    ],
)
def test_typos_are_found_by_context(text, expected):
    assert typos(text) == expected


def test_a_malformed_confusion_line_names_its_line():
    with pytest.raises(LexiconFormatError, match="第 2 行"):
        parse_confusions("按装 → 安装\n按装安装\n")
    with pytest.raises(LexiconFormatError, match="除外"):
        parse_confusions("按装 → 安装  除外：装机\n")


@pytest.mark.parametrize(
    "text, found",
    [
        ("集团党委书记、董事长周建国作讲话", []),
        ("周建国董事长出席", []),
        ("总经理刘振华作报告", []),
        ("集团副总经理刘振华主持", [("副总经理", "已变更，现为：总经理")]),  # outdated title
        ("总经理周建国出席", [("总经理", "职务不是「总经理」，应为：党委书记、董事长")]),
        ("董事长周健国出席", [("周健国", "应为「周建国」")]),  # look-alike character
        ("董事长周建果出席", [("周建果", "应为「周建国」")]),  # one character off after his title
        ("合作方董事长吴建华出席", []),  # another company's chairman: not ours to correct
        ("副总经理陈立群、总经理吴海涛出席", []),
    ],
)
def test_people_titles_and_names(text, found):
    got = PEOPLE.find(text, DAY)
    assert [p.text for p in got] == [written for written, _message in found]
    assert all(message in p.message for p, (_written, message) in zip(got, found))


def test_a_title_is_judged_on_the_day_of_the_check():
    checker = PeopleChecker([Post("刘振华", "总经理", datetime.date(2021, 1, 1))])
    assert checker.find("总经理刘振华", datetime.date(2020, 6, 1))[0].message.startswith("「刘振华」的职务「总经理」已变更")
    assert checker.find("总经理刘振华", datetime.date(2021, 1, 1)) == []


def test_no_demo_article_has_a_typo_or_a_title_finding():
    """The measured false-positive rate on the demo corpus, for the typo list and the people list: zero."""
    checked = 0
    false_positives = []
    for article in demo_content.ARTICLES:
        for name, text in demo_fields(article).items():
            checked += len(text)
            false_positives += [(article["title"], name, h.text) for h in FINDER.find(text)]
            false_positives += [(article["title"], name, p.text, p.message) for p in PEOPLE.find(text, DAY)]
    assert checked > 20_000 and false_positives == []
    # The demo does mention the people: the list is exercised, not idle.
    mentions = sum(text.count(post.name) for article in demo_content.ARTICLES for text in demo_fields(article).values() for post in DEMO_PEOPLE[:1])
    assert mentions >= 5


@pytest.mark.django_db
def test_the_people_list_in_the_back_office_applies_at_once_and_asks_for_confirmation(tree, editor):
    article = make_article(category=tree["company"], status=Article.Status.DRAFT, title="总经理周建国调研新能源公司")
    services.article_publish(article=article, user=editor)  # nobody listed yet: nothing to say
    article = make_article(category=tree["company"], status=Article.Status.DRAFT, title="总经理周建国调研新能源公司")
    guard_services.person_save(person=Person(name="周建国", title="董事长"))
    guard_services.person_save(person=Person(name="刘振华", title="总经理"))
    with pytest.raises(NeedsConfirmation, match="职务不是「总经理」"):
        services.article_publish(article=article, user=editor)
    services.article_publish(article=article, user=editor, confirmed=True)


@pytest.mark.django_db
def test_typos_are_listed_in_the_panel_but_stop_nothing(tree, editor):
    article = make_article(category=tree["company"], status=Article.Status.DRAFT, title="新设备按装完成", body="<p>截止目前运行良好。</p>")
    _texts, findings = article_findings(article)
    listed = [(f.field, f.text, f.word, f.category, f.action) for f in findings]
    assert ("标题", "按装", "应为「安装」", TYPO, "note") in listed
    assert ("正文", "截止", "应为「截至」", TYPO, "note") in listed
    services.article_publish(article=article, user=editor)
    assert Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_a_misspelt_political_term_needs_confirmation(tree, editor):
    article = make_article(category=tree["company"], status=Article.Status.DRAFT, body="<p>坚持不忘出心、牢记使命。</p>")
    with pytest.raises(NeedsConfirmation, match="不忘出心"):
        services.article_publish(article=article, user=editor)
