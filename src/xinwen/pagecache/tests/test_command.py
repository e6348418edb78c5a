"""`xinwen pagecache_clear` empties the store the site uses."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from xinwen.pagecache.tests.conftest import call


def test_clear_drops_every_stored_page(site, tree):
    for path in ("/", "/zh-tw/", "/category/company/"):
        call(site, path)
    out = StringIO()

    call_command("pagecache_clear", "--dry-run", stdout=out)
    assert "3 stored pages" in out.getvalue() and len(site.store.keys()) == 3

    call_command("pagecache_clear", stdout=out)
    assert "dropped 3 stored pages" in out.getvalue()
    assert site.store.keys() == set()
    assert call(site, "/").headers["x-page-cache"] == "miss"
