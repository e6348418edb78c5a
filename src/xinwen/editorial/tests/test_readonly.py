"""What an author sees after submitting: the body rendered and sanitised, and only what they can do."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db


def test_a_submitted_article_shows_its_body_rendered_to_its_author(client, tree, author):
    article = make_article(
        category=tree["company"],
        status=Article.Status.REVIEW,
        created_by=author,
        body='<p>产线<strong>正式投运</strong>。</p><table><tbody><tr><td>产能</td></tr></tbody></table>',
    )
    client.force_login(author)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    rendered = page.split('class="xw-rendered-body"', 1)[1].split("</div>", 1)[0]
    assert "<strong>正式投运</strong>" in rendered and "<td>产能</td>" in rendered
    assert "&lt;p&gt;" not in page and "&lt;strong&gt;" not in page
    # Only what the author can do: no scheduling hint, no publish time field to set.
    assert "定时发布" not in page and 'name="publish_at_0"' not in page


def test_the_editor_still_gets_the_editor(client, tree, editor):
    article = make_article(category=tree["company"], status=Article.Status.REVIEW, body="<p>正文</p>")
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "xw-rendered-body" not in page and 'name="body"' in page
    assert "定时发布" in page


def test_an_author_writing_a_draft_is_not_told_about_scheduling(client, tree, author):
    client.force_login(author)
    page = client.get(reverse("admin:news_article_add")).content.decode()
    assert 'name="body"' in page
    assert "定时发布" not in page and 'name="publish_at_0"' not in page and 'name="unpublish_at_0"' not in page


def test_the_autosave_endpoint_answers_json_and_refuses_what_it_must(client, tree, editor, author):
    article = make_article(category=tree["company"], title="线上标题")
    url = reverse("admin:news_article_autosave", args=[article.pk])
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert f'data-autosave-url="{url}"' in page and static("editorial/autosave.js") in page
    response = client.post(url, {"title": "草稿标题", "body": "<p>草稿</p>"})
    assert response.status_code == 200 and response.json()["saved"] is True
    article.refresh_from_db()
    assert article.title == "线上标题"
    assert client.get(url).status_code == 405
    assert client.post(url, {"status": "archived"}).status_code == 400
    client.force_login(author)
    assert client.post(url, {"title": "作者改"}).status_code in (403, 404)
