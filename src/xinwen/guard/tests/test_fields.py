"""Every text a page shows is checked: section names and descriptions, glossary forms, image alt text, attachment titles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinwen.conftest import make_article, make_category
from xinwen.hanzi.models import GlossaryTerm
from xinwen.news import services
from xinwen.news.content_checks import ContentBlocked, article_findings
from xinwen.news.models import Article, Category

pytestmark = pytest.mark.django_db
S = Article.Status


def test_a_section_name_that_slipped_in_stops_its_articles(tree, editor):
    # Written straight to the table, as a compromised database or an old import would.
    spam = make_category("久久精品专区", parent=tree["company"])
    article = make_article(category=spam, status=S.DRAFT, title="普通通知")
    with pytest.raises(ContentBlocked, match="栏目名称（久久精品专区）"):
        services.article_publish(article=article, user=editor, confirmed=True)


def test_a_parents_description_is_checked_too(tree, editor):
    parent = make_category("专题", parent=tree["root"])
    Category.objects.filter(pk=parent.pk).update(description="欢迎访问百家乐官网")
    child = make_category("子栏目", parent=Category.objects.get(pk=parent.pk))
    _texts, findings = article_findings(make_article(category=child, status=S.DRAFT, title="通知"))
    assert [(f.field, f.word) for f in findings] == [("栏目说明（专题）", "百家乐")]


def test_the_category_service_and_form_refuse_a_forbidden_name(tree, admin_user, client):
    with pytest.raises(ContentBlocked, match="不能保存栏目"):
        services.category_save(category=Category(name="无码高清", slug="x1", parent=tree["root"]), user=admin_user)
    assert not Category.objects.filter(slug="x1").exists()
    client.force_login(admin_user)
    response = client.post(reverse("admin:news_category_add"), {"name": "毛 片", "slug": "x2", "order": 0, "description": "", "list_style": "text"})
    assert response.status_code == 200 and "不能保存栏目" in response.content.decode()
    assert not Category.objects.filter(slug="x2").exists()
    response = client.post(reverse("admin:news_category_add"), {"name": "科技创新", "slug": "x3", "order": 0, "description": "", "list_style": "text"})
    assert response.status_code == 302 and Category.objects.filter(slug="x3").exists()


def test_a_glossary_form_is_checked_where_its_term_appears(tree, editor, admin_user):
    # A forced Traditional form is what readers of /zh-tw/ see in place of the term.
    GlossaryTerm.objects.create(term="智联云", mode=GlossaryTerm.Mode.FORCE, zh_tw="智聯雲_六合彩")
    article = make_article(category=tree["company"], status=S.DRAFT, body="<p>智联云平台上线。</p>")
    with pytest.raises(ContentBlocked, match="简繁词表（智联云）"):
        services.article_publish(article=article, user=editor, confirmed=True)
    other = make_article(category=tree["company"], status=S.DRAFT, body="<p>与该词无关。</p>")
    services.article_publish(article=other, user=editor)  # a term the article does not use changes nothing


def test_the_glossary_service_refuses_a_forbidden_form(admin_user, client):
    with pytest.raises(ContentBlocked, match="不能保存简繁词表条目"):
        services.glossary_term_save(term=GlossaryTerm(term="集团", mode="force", zh_hk="集團 av 在线"), user=admin_user)
    client.force_login(admin_user)
    response = client.post(reverse("admin:hanzi_glossaryterm_add"), {"term": "平台", "mode": "force", "zh_tw": "成人影院", "zh_hans": "", "zh_hant": "", "zh_hk": "", "note": ""})
    assert response.status_code == 200 and "成人影院" in response.content.decode()
    assert not GlossaryTerm.objects.filter(term="平台").exists()
