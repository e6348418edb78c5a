"""Fixtures of the guard tests (helpers that are not fixtures: helpers.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.site import demo_content


@pytest.fixture
def site(tree):
    articles = []
    for data in demo_content.ARTICLES[:3]:
        fields = {k: data[k] for k in ("title", "subtitle", "summary", "body", "source_name", "author", "editor")}
        articles.append(make_article(category=tree["company"], **fields))
    return [reverse("news:article", args=[a.pk]) for a in articles]
