"""栏目权限 and the review chain in the back office: choices, lists, queues, the inbox, 403s and grants."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.editorial.tests.test_admin import form_data
from xinwen.news.models import Article
from xinwen.news.tests.test_section_permissions import _in_review, newsroom  # noqa: F401  (a fixture)

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
