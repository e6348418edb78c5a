"""The Content-Security-Policy and the page cache: a stored page keeps its policy, and never a nonce."""

from __future__ import annotations

import pytest

from xinwen.conftest import make_article
from xinwen.news.pagetags import ENVIRON_KEY
from xinwen.pagecache.tests.conftest import call
from xinwen.pagecache.wsgi import PageCache

NONCE_POLICY = "default-src 'self'; script-src 'self' 'nonce-q5N1Zb0d7mHc2yWjEoV3xA=='"


@pytest.mark.parametrize("prefix", ["", "/zh-tw"])
def test_a_hit_carries_the_policy_of_the_miss(site, tree, prefix):
    story = make_article(category=tree["company"], title="安全生产月活动启动", days_ago=1)
    for url in [f"{prefix}/", f"{prefix}/article/{story.pk}/"]:
        miss, hit = call(site, url), call(site, url)

        assert (miss.headers["x-page-cache"], hit.headers["x-page-cache"]) == ("miss", "hit")
        policy = miss.headers["content-security-policy"]
        assert "script-src 'self';" in f"{policy};" and "frame-ancestors 'none'" in policy
        assert hit.headers["content-security-policy"] == policy


class NonceSite:
    """A tagged public page whose policy names a nonce, as a page with an inline script would."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        environ[ENVIRON_KEY].tags.add("home")
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", NONCE_POLICY)])
        return [b"<!doctype html><title>x</title><script nonce=q5N1Zb0d7mHc2yWjEoV3xA==>1</script>"]


def test_a_page_whose_policy_names_a_nonce_is_never_stored(disk_store):
    inner = NonceSite()
    app = PageCache(inner, store=disk_store, ttl=600, next_publish=lambda: None)

    call(app, "/")
    second = call(app, "/")

    assert inner.calls == 2  # each reader's page is rendered with its own nonce
    assert "x-page-cache" not in second.headers
    assert second.headers["content-security-policy"] == NONCE_POLICY
