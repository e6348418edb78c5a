"""Links built from a reversed shape are the links reverse() gives, in every script."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from xinwen.news.links import article_url, category_url


@pytest.mark.parametrize("prefix", ["/", "/zh-tw/", "/zh-hk/"])
def test_article_and_category_links_equal_reverse_in_every_script(prefix):
    set_script_prefix(prefix)
    try:
        assert article_url(42) == reverse("news:article", kwargs={"pk": 42}) == f"{prefix}article/42/"
        assert category_url("company") == reverse("news:category", kwargs={"slug": "company"})
        # A slug the route does not accept fails as reverse() does, instead of making a dead link.
        with pytest.raises(NoReverseMatch):
            category_url("公司 新闻")
    finally:
        set_script_prefix("/")
