"""Made-up URLs cannot fill the page cache: only canonical pages of this site are stored.

Through the real stack: every URL an attacker can invent (pages past the end, `?page=1`,
parameters a view does not read, other ports and spellings of the host) is answered,
and the store ends up holding only the handful of canonical pages that were asked for.
"""

from __future__ import annotations

import random

import pytest

from xinwen.conftest import make_article
from xinwen.pagecache.tests.conftest import call

pytestmark = pytest.mark.django_db

URLS = 2000


def invented_urls(article_id: int, rng: random.Random):
    """(path, host) pairs: the kinds of URL an auditor used to grow the store without bound."""
    kinds = [
        lambda: (f"/category/company/?page={rng.randint(3, 999_999)}", "testserver"),
        lambda: (f"/zh-tw/category/company/?page={rng.randint(3, 999_999)}", "testserver"),
        lambda: ("/category/company/?page=1", "testserver"),
        lambda: (f"/article/{article_id}/?p={rng.randint(1, 999_999)}", "testserver"),
        lambda: (f"/article/{article_id}/?page={rng.randint(2, 999_999)}", "testserver"),
        lambda: (f"/?p={rng.randint(1, 999_999)}", "testserver"),
        lambda: (f"/?x{rng.randint(1, 10**9)}=1", "testserver"),
        lambda: ("/", f"testserver:{rng.randint(1, 65535)}"),
        lambda: (f"/article/{article_id}/", rng.choice(["testserver.", "TESTSERVER", "testserver:80"])),
        lambda: (f"/category/company/?page=2&utm_source={rng.randint(1, 10**9)}", "testserver"),
    ]
    for n in range(URLS):
        yield kinds[n % len(kinds)]()


def test_two_thousand_invented_urls_store_only_the_canonical_pages(site, tree):
    articles = [make_article(category=tree["company"], title=f"公司新闻{n}", days_ago=n + 1) for n in range(25)]
    article_id = articles[0].pk
    canonical = ["/", "/category/company/", "/category/company/?page=2", "/zh-tw/category/company/", f"/article/{article_id}/"]
    for path in canonical:
        assert call(site, path).code == 200, path

    codes = {}
    for path, host in invented_urls(article_id, random.Random(7351)):
        answer = call(site, path, host=host)
        assert answer.code < 500, (path, host)
        codes[answer.code] = codes.get(answer.code, 0) + 1

    assert site.store.keys() == {f"http://testserver{path}" for path in canonical}
    assert codes.get(404, 0) >= URLS // 5  # pages past the end
