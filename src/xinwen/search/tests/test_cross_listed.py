"""A section filter finds the articles 同时发布到 that section, on either backend, newest first with its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.models import SiteSettings
from xinwen.news.services import article_also_in_set, site_settings_save
from xinwen.search.backends import get_backend
from xinwen.search.models import SearchDocument
from xinwen.search.services import search_index_articles
from xinwen.search.tests.conftest import search
from xinwen.search.tests.test_backends import STORAGE

pytestmark = pytest.mark.django_db

EVERY_KEY = {"low": -(2**62), "high": 2**62, "limit": 100}


def cross_listing(on: bool) -> None:
    site_settings_save(site_settings=SiteSettings(cross_listing=on), user=None, changed_fields=["cross_listing"])


@pytest.fixture
def stories(tree):
    now = timezone.now()
    own = [make_article(category=tree["industry"], title=f"储能行业观察第{n}期", publish_at=now - timedelta(days=2 * n + 1))
           for n in range(3)]  # fmt: skip
    guest = make_article(category=tree["company"], title="集团储能电站并网发电", publish_at=now - timedelta(days=2))
    elsewhere = make_article(category=tree["company"], title="储能技术培训开班", publish_at=now - timedelta(days=4))
    search_index_articles(article_ids=[a.pk for a in (*own, guest, elsewhere)])
    return {"own": own, "guest": guest, "elsewhere": elsewhere}


def test_a_backend_searches_only_the_documents_named_by_key(stories):
    keys = dict(SearchDocument.objects.values_list("article_id", "key"))
    guest, elsewhere = keys[stories["guest"].pk], keys[stories["elsewhere"].pk]
    backend = get_backend()

    assert backend.candidates((STORAGE,), keys=[guest], **EVERY_KEY) == [guest]
    assert backend.candidates((STORAGE,), keys=[elsewhere, guest], **EVERY_KEY) == [guest, elsewhere]  # newest first
    assert backend.candidates((STORAGE,), keys=[guest], title_only=True, **EVERY_KEY) == [guest]
    assert backend.candidates((STORAGE,), keys=[], **EVERY_KEY) == []


def test_a_section_filter_finds_what_is_also_listed_there(tree, stories):
    cross_listing(True)
    article_also_in_set(article=stories["guest"], category_ids=[tree["industry"].pk], user=None)
    search_index_articles(article_ids=[stories["guest"].pk])

    found = search("储能", category=tree["industry"])

    assert set(found) == {a.pk for a in stories["own"]} | {stories["guest"].pk}
    assert stories["elsewhere"].pk not in found
    assert stories["guest"].pk in search("储能", category=tree["company"])  # its own section still finds it
    assert set(search("储能", category=tree["root"])) == set(search("储能"))  # once, not twice, under the parent


def test_when_the_site_stops_cross_listing_the_filter_follows_the_own_section_only(tree, stories):
    cross_listing(True)
    article_also_in_set(article=stories["guest"], category_ids=[tree["industry"].pk], user=None)
    cross_listing(False)

    assert stories["guest"].pk not in search("储能", category=tree["industry"])
