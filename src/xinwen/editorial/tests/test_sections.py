"""栏目权限 and the review chain in the back office: choices, lists, queues, the inbox, 403s and grants."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.conftest import form_data
from xinwen.news import services
from xinwen.news.grants import SectionGrant
from xinwen.news.models import Article
from xinwen.news.tests.test_section_permissions import _in_review, make_user, newsroom  # noqa: F401  (a fixture)

S = Article.Status
pytestmark = pytest.mark.django_db


def test_author_is_offered_and_shown_only_their_sections(client, newsroom):
    a, b = newsroom["sections"]["A"], newsroom["sections"]["B"]
    author = newsroom["people"]["author_A"]
    other = newsroom["people"]["global_author"]
    mine = make_article(category=a, status=S.DRAFT, created_by=author, title="本栏目的稿件")
    make_article(category=b, status=S.DRAFT, created_by=other, title="别的栏目的稿件")
    make_article(category=b, status=S.REVIEW, review_level=1, created_by=other, title="别的栏目待初审")
    client.force_login(author)
    add = client.get(reverse("admin:news_article_add")).content.decode()
    assert f'<option value="{a.pk}">' in add and f'<option value="{b.pk}">' not in add
    listing = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "本栏目的稿件" in listing and "别的栏目" not in listing
    queue = client.get(reverse("admin:news_article_changelist") + "?queue=review1").content.decode()
    assert "别的栏目待初审" not in queue
    # Filing into a section not theirs is refused by the form, and nothing is created.
    response = client.post(reverse("admin:news_article_add"), form_data(b, title="越权稿件"))
    assert response.status_code == 200 and not Article.objects.filter(title="越权稿件").exists()
    assert client.get(reverse("admin:news_article_change", args=[mine.pk])).status_code == 200


def test_reviewer_of_another_level_gets_403_from_the_back_office(client, newsroom):
    a = newsroom["sections"]["A"]
    article = _in_review(a, 1, newsroom["people"]["author_A"])
    client.force_login(newsroom["people"]["second_A"])
    change = reverse("admin:news_article_change", args=[article.pk])
    assert client.get(change).status_code == 200  # visible (read-only): it is in their section
    response = client.post(change, form_data(a, title=article.title, _approve="复审通过"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.status, article.review_level) == (S.REVIEW, 1)


def test_second_factor_for_section_reviewers_not_for_section_authors(tree):
    from xinwen.editorial.twofactor import second_factor_required

    writer, reviewer = make_user("sec-writer", role=None), make_user("sec-reviewer", role=None)
    services.section_grant_save(grant=SectionGrant(category=tree["company"], user=writer, role=SectionGrant.Role.AUTHOR), user=None)
    services.section_grant_save(grant=SectionGrant(category=tree["company"], user=reviewer, role=SectionGrant.Role.REVIEW, level=1), user=None)
    assert not second_factor_required(writer)
    assert second_factor_required(reviewer)
    assert second_factor_required(make_user("no-role-staff", role=None))


def test_inbox_counts_link_to_each_queue(client, newsroom):
    a, b = newsroom["sections"]["A"], newsroom["sections"]["B"]
    writer = newsroom["people"]["author_A"]
    _in_review(a, 1, writer)
    _in_review(b, 1, writer)
    _in_review(a, 2, writer)
    make_article(category=a, status=S.REJECTED, created_by=writer, review_note="请补充来源")
    client.force_login(newsroom["people"]["first_all"])
    home = client.get(reverse("admin:index")).content.decode()
    assert 'data-queue="review1"' in home and 'data-queue="review2"' not in home  # only their level
    assert '待初审</span> <strong class="xw-inbox-count">2</strong>' in home
    queue = client.get(reverse("admin:news_article_changelist") + "?queue=review1")
    assert queue.status_code == 200 and len(queue.context["cl"].result_list) == 2

    client.force_login(newsroom["people"]["second_A"])
    home = client.get(reverse("admin:index")).content.decode()
    assert '待复审</span> <strong class="xw-inbox-count">1</strong>' in home

    client.force_login(writer)
    home = client.get(reverse("admin:index")).content.decode()
    assert '被退回</span> <strong class="xw-inbox-count">1</strong>' in home
    assert f'href="{reverse("admin:news_article_changelist")}?queue=rejected"' in home


def test_reviewer_approves_through_the_article_form(client, newsroom):
    a = newsroom["sections"]["A"]
    article = _in_review(a, 2, newsroom["people"]["author_A"])
    client.force_login(newsroom["people"]["second_A"])
    change = reverse("admin:news_article_change", args=[article.pk])
    page = client.get(change).content.decode()
    assert 'name="_approve" value="复审通过"' in page and 'name="_publish"' not in page
    assert "审核流程：初审 → 复审 → 终审 → 发布（当前：复审）" in page
    response = client.post(change, form_data(a, title=article.title, _approve="复审通过", _review_note="可以"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.review_level, article.review_note) == (S.REVIEW, 3, "可以")


def test_admin_manages_grants_and_the_chain_on_screen(client, tree):
    admin = make_user("screen-admin", role="管理员")
    target = make_user("screen-target", role=None)
    client.force_login(admin)
    add = reverse("admin:news_sectiongrant_add")
    response = client.post(add, {"category": tree["industry"].pk, "user": target.pk, "group": "", "role": "review", "level": 2})
    assert response.status_code == 302
    assert SectionGrant.objects.filter(user=target, level=2, category=tree["industry"]).exists()
    response = client.post(add, {"category": tree["industry"].pk, "user": target.pk, "group": "", "role": "review", "level": 2})
    assert not response.status_code >= 500
    assert SectionGrant.objects.filter(user=target).count() == 1
    listing = client.get(reverse("admin:news_category_changelist")).content.decode()
    assert "初审 → 发布（沿用上级）" in listing


def test_reviewers_add_nothing_and_lists_name_the_level(client, newsroom):
    a = newsroom["sections"]["A"]
    _in_review(a, 2, newsroom["people"]["author_A"])
    client.force_login(newsroom["people"]["second_A"])
    assert client.get(reverse("admin:news_article_add")).status_code == 403
    listing = client.get(reverse("admin:news_article_changelist") + "?queue=review2").content.decode()
    assert ">待复审</span>" in listing
