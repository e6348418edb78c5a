"""The page cache's expiry: no stored page outlives the next time-driven change of what readers see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.pagecache.selectors import next_publish_time

S = Article.Status
pytestmark = pytest.mark.django_db


def test_page_cache_expiry_is_the_earlier_of_next_publish_and_next_unpublish(tree):
    now = timezone.now()
    assert next_publish_time() is None
    make_article(category=tree["company"], publish_at=now + timedelta(hours=3))
    assert next_publish_time() == pytest.approx((now + timedelta(hours=3)).timestamp())
    make_article(category=tree["company"], unpublish_at=now + timedelta(hours=1))
    assert next_publish_time() == pytest.approx((now + timedelta(hours=1)).timestamp())
    # Past unpublish times, drafts and deleted articles bound nothing.
    make_article(category=tree["company"], unpublish_at=now - timedelta(hours=1))
    make_article(category=tree["company"], status=S.DRAFT, unpublish_at=now + timedelta(minutes=5))
    binned = make_article(category=tree["company"], unpublish_at=now + timedelta(minutes=10))
    Article.objects.filter(pk=binned.pk).update(deleted_at=now)
    assert next_publish_time() == pytest.approx((now + timedelta(hours=1)).timestamp())
