"""A section sets its own action for the 错别字 and 人名职务 checks, for itself and its sub-sections (栏目检查设置)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from xinwen.conftest import make_article, make_category, make_user
from xinwen.guard import services as guard_services
from xinwen.guard.models import CheckOverride, Person
from xinwen.news import services
from xinwen.news.content_checks import ContentBlocked, NeedsConfirmation, article_findings
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db
S = Article.Status
TYPO = "<p>新设备已按装到位。</p>"  # 按装 → 安装: 仅提示 by default
WRONG_TITLE = "<p>总经理周建国出席会议。</p>"  # he is 董事长: 需要确认 by default


def settings_of(*rows):
    guard_services.check_overrides_replace(rows=list(rows))


def actions(article, source: str) -> list[str]:
    return [f.action for f in article_findings(article)[1] if f.source == source]


@pytest.fixture
def chairman(db):
    guard_services.person_save(person=Person(name="刘振华", title="总经理"))  # 总经理 is a title the list knows
    return guard_services.person_save(person=Person(name="周建国", title="董事长"))


def test_a_section_blocks_typos_for_itself_and_its_sub_sections(tree, editor):
    child = make_category("集团要闻", parent=tree["company"])
    here = make_article(category=child, status=S.DRAFT, body=TYPO)
    elsewhere = make_article(category=tree["industry"], status=S.DRAFT, body=TYPO)
    assert actions(here, "错别字词表") == ["note"]
    settings_of(("typos", tree["company"], "block"))
    assert actions(here, "错别字词表") == ["block"] and actions(elsewhere, "错别字词表") == ["note"]
    with pytest.raises(ContentBlocked):
        services.article_publish(article=here, user=editor, confirmed=True)
    services.article_publish(article=elsewhere, user=editor)
    assert Article.objects.published().filter(pk=elsewhere.pk).exists()


def test_the_nearest_section_wins_and_not_checking_drops_the_findings(tree, editor):
    child = make_category("转载文章", parent=tree["company"])
    settings_of(("typos", tree["root"], "confirm"), ("typos", child, "allow"))
    in_child = make_article(category=child, status=S.DRAFT, body=TYPO)
    in_company = make_article(category=tree["company"], status=S.DRAFT, body=TYPO)
    assert actions(in_child, "错别字词表") == [] and actions(in_company, "错别字词表") == ["confirm"]
    with pytest.raises(NeedsConfirmation):
        services.article_publish(article=in_company, user=editor)
    services.article_publish(article=in_child, user=editor)
    assert Article.objects.published().filter(pk=in_child.pk).exists()


@pytest.mark.parametrize(
    "action, publishes",
    [("block", ContentBlocked), ("confirm", NeedsConfirmation), ("note", None), ("allow", None)],
)
def test_each_action_for_the_people_check(tree, editor, chairman, action, publishes):
    article = make_article(category=tree["company"], status=S.DRAFT, body=WRONG_TITLE)
    assert actions(article, "人名职务") == ["confirm"]
    settings_of(("people", tree["company"], action))
    assert actions(article, "人名职务") == ([] if action == "allow" else [action])
    if publishes is None:
        services.article_publish(article=article, user=editor)
        assert Article.objects.published().filter(pk=article.pk).exists()
    else:
        with pytest.raises(publishes):
            services.article_publish(article=article, user=editor)


def test_a_setting_for_one_check_leaves_the_other_alone(tree, chairman):
    settings_of(("people", tree["company"], "allow"))
    article = make_article(category=tree["company"], status=S.DRAFT, body=TYPO + WRONG_TITLE)
    assert actions(article, "人名职务") == [] and actions(article, "错别字词表") == ["note"]


def form(rows, initial=0):
    data = {"checks-TOTAL_FORMS": str(len(rows)), "checks-INITIAL_FORMS": str(initial), "checks-MIN_NUM_FORMS": "0", "checks-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        data.update({f"checks-{n}-{key}": value for key, value in row.items()})
    return data


def test_the_settings_are_edited_on_the_lexicon_list(client, admin_user, tree):
    client.force_login(admin_user)
    page = client.get(reverse("admin:guard_lexicon_changelist")).content.decode()
    assert "栏目检查设置（错别字、人名职务）" in page and "保存栏目检查设置" in page
    response = client.post(
        reverse("admin:guard_checkoverride_save"), form([{"kind": "typos", "category": tree["company"].pk, "action": "block"}]), follow=True
    )
    assert "栏目检查设置已保存：共 1 条" in " ".join(str(m) for m in response.context["messages"])
    article = make_article(category=tree["company"], status=S.DRAFT, body=TYPO)
    assert actions(article, "错别字词表") == ["block"]
    row = CheckOverride.objects.get()
    response = client.post(
        reverse("admin:guard_checkoverride_save"),
        form([{"id": row.pk, "kind": "typos", "category": tree["company"].pk, "action": "block", "DELETE": "on"}], initial=1),
        follow=True,
    )
    assert CheckOverride.objects.count() == 0 and actions(article, "错别字词表") == ["note"]


def test_a_section_listed_twice_is_refused_in_words_and_nothing_is_written(client, admin_user, tree):
    settings_of(("people", tree["industry"], "note"))
    client.force_login(admin_user)
    rows = [{"kind": "typos", "category": tree["company"].pk, "action": "block"}, {"kind": "typos", "category": tree["company"].pk, "action": "note"}]
    response = client.post(reverse("admin:guard_checkoverride_save"), form(rows), follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "没有保存" in shown and "设置了两次" in shown
    assert list(CheckOverride.objects.values_list("kind", "action")) == [("people", "note")]
    bad = client.post(reverse("admin:guard_checkoverride_save"), form([{"kind": "typos", "category": "999999", "action": "block"}]), follow=True)
    assert "第 1 行" in " ".join(str(m) for m in bad.context["messages"])


def test_only_those_who_may_change_lexicons_may_save_them(client, tree):
    viewer = make_user("lexicon-viewer", role="编辑")
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label="guard", codename="view_lexicon"))
    client.force_login(viewer)
    page = client.get(reverse("admin:guard_lexicon_changelist")).content.decode()
    assert "栏目检查设置" in page and "保存栏目检查设置" not in page
    response = client.post(reverse("admin:guard_checkoverride_save"), form([{"kind": "typos", "category": tree["company"].pk, "action": "allow"}]))
    assert response.status_code == 403 and CheckOverride.objects.count() == 0
