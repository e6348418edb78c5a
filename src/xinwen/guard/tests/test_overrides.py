"""A section makes a lexicon stricter or looser for itself and every sub-section below it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinwen.conftest import make_article, make_category
from xinwen.guard import services as guard_services
from xinwen.guard.models import Lexicon, LexiconOverride
from xinwen.news import services
from xinwen.news.content_checks import ContentBlocked, NeedsConfirmation, article_findings
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def lexicon(db):
    guard_services.lexicon_import(name="竞品名称", text="某某装备\n", category="自定义", action="confirm")
    return Lexicon.objects.get(name="竞品名称")


def override(lexicon, category, action):
    LexiconOverride.objects.update_or_create(lexicon=lexicon, category=category, defaults={"action": action})
    guard_services.lexicon_save(lexicon=lexicon)


def actions(article) -> list[str]:
    return [f.action for f in article_findings(article)[1] if f.word == "某某装备"]


def test_a_section_is_stricter_and_its_sub_sections_inherit_it(tree, editor, lexicon):
    child = make_category("集团要闻", parent=tree["company"])
    here = make_article(category=child, status=S.DRAFT, body="<p>某某装备参加展会。</p>")
    elsewhere = make_article(category=tree["industry"], status=S.DRAFT, body="<p>某某装备参加展会。</p>")
    assert actions(here) == ["confirm"] and actions(elsewhere) == ["confirm"]
    override(lexicon, tree["company"], "block")
    assert actions(here) == ["block"] and actions(elsewhere) == ["confirm"]
    with pytest.raises(ContentBlocked):
        services.article_publish(article=here, user=editor, confirmed=True)
    with pytest.raises(NeedsConfirmation):
        services.article_publish(article=elsewhere, user=editor)


def test_the_nearest_section_wins_and_allow_drops_the_finding(tree, editor, lexicon):
    child = make_category("行业对比", parent=tree["company"])
    override(lexicon, tree["root"], "block")
    override(lexicon, child, "allow")
    in_child = make_article(category=child, status=S.DRAFT, body="<p>某某装备参加展会。</p>")
    in_company = make_article(category=tree["company"], status=S.DRAFT, body="<p>某某装备参加展会。</p>")
    assert actions(in_child) == [] and actions(in_company) == ["block"]
    services.article_publish(article=in_child, user=editor)
    assert Article.objects.published().filter(pk=in_child.pk).exists()


def test_an_override_only_changes_its_own_lexicon(tree, lexicon):
    override(lexicon, tree["company"], "allow")
    article = make_article(category=tree["company"], status=S.DRAFT, body="<p>某某装备与百家乐无关。</p>")
    assert [(f.word, f.action) for f in article_findings(article)[1]] == [("百家乐", "block")]


def test_overrides_are_edited_on_the_lexicon_page(client, admin_user, tree, lexicon):
    client.force_login(admin_user)
    url = reverse("admin:guard_lexicon_change", args=[lexicon.pk])
    page = client.get(url).content.decode()
    assert "本栏目处理方式" in page
    data = {
        "name": lexicon.name, "category": lexicon.category, "action": lexicon.action, "enabled": "on", "description": "",
        "overrides-TOTAL_FORMS": "1", "overrides-INITIAL_FORMS": "0", "overrides-MIN_NUM_FORMS": "0", "overrides-MAX_NUM_FORMS": "1000",
        "overrides-0-category": str(tree["industry"].pk), "overrides-0-action": "note",
        "words-TOTAL_FORMS": "1", "words-INITIAL_FORMS": "1", "words-MIN_NUM_FORMS": "0", "words-MAX_NUM_FORMS": "1000",
        "words-0-id": str(lexicon.words.get().pk), "words-0-lexicon": str(lexicon.pk), "words-0-word": "某某装备",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = make_article(category=tree["industry"], status=S.DRAFT, body="<p>某某装备</p>")
    assert actions(article) == ["note"]
