"""The back office lists imported articles that need review, with reasons, and lets an editor accept or fix them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinwen.importer.models import ImportRecord
from xinwen.importer.runner import seed_import
from xinwen.news.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(tree):
    seed_import(category=tree["root"])
    return ImportRecord.objects.get()


def test_editors_see_flagged_imports_with_their_reasons(client, editor, seed):
    client.force_login(editor)

    page = client.get(reverse("admin:importer_importrecord_changelist") + "?review__exact=pending").content.decode()

    assert "深化国资央企与上海市合作" in page
    assert "网页被劫持" in page and "国产精品无码" in page and "拼音泄漏" in page
    assert reverse("admin:news_article_change", args=[seed.article_id]) in page


def test_an_editor_accepts_from_the_review_page(client, editor, seed):
    client.force_login(editor)
    detail = client.get(reverse("admin:importer_importrecord_change", args=[seed.pk])).content.decode()
    assert "接受（修复无误）" in detail and "修改文章" in detail

    response = client.post(reverse("admin:importer_importrecord_accept", args=[seed.pk]))

    assert response.status_code == 302
    seed.refresh_from_db()
    assert seed.review == ImportRecord.Review.ACCEPTED and seed.reviewed_by == editor


def test_the_bulk_action_accepts_and_publishes_held_articles(client, editor, seed):
    Article.objects.update(status=Article.Status.REVIEW)
    seed.flags.filter(kind="hijack").update(hold=True)
    client.force_login(editor)

    client.post(
        reverse("admin:importer_importrecord_changelist"),
        {"action": "accept_selected", "_selected_action": [seed.pk]},
    )

    seed.refresh_from_db()
    assert seed.review == ImportRecord.Review.ACCEPTED and Article.objects.get().is_public


def test_authors_cannot_see_or_accept_imports(client, author, seed):
    client.force_login(author)
    assert client.get(reverse("admin:importer_importrecord_changelist")).status_code == 403
    client.post(reverse("admin:importer_importrecord_accept", args=[seed.pk]))
    seed.refresh_from_db()
    assert seed.review == ImportRecord.Review.PENDING
