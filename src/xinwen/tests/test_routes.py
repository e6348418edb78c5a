"""routes.reverse answers as Django's reverse does, in every thread state it depends on."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, set_script_prefix
from django.urls import reverse as django_reverse

from xinwen import routes

CASES = [
    ("news:home", (), {}),
    ("news:category", (), {"slug": "company"}),
    ("news:article", (42,), {}),
    ("feeds:category-rss", ("company",), {}),
    ("feeds:topic-rss", (), {"slug": "safety-month"}),
    ("search:results", (), {}),
    ("stats:pixel", (7,), {}),
]


def _view(request):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = [path("other/<int:pk>/", _view, name="other")]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES)
def test_the_same_answer_as_django_twice(name, args, kwargs):
    expected = django_reverse(name, args=args or None, kwargs=kwargs or None)
    assert routes.reverse(name, args, kwargs) == expected
    assert routes.reverse(name, args, kwargs) == expected  # the remembered answer


def test_the_script_prefix_is_part_of_the_answer():
    assert routes.reverse("news:home") == "/"
    set_script_prefix("/news-center/")
    try:
        assert routes.reverse("news:home") == "/news-center/"
        assert routes.reverse("news:article", (42,)) == "/news-center/article/42/"
    finally:
        clear_script_prefix()
    assert routes.reverse("news:home") == "/"


def test_another_urlconf_is_not_answered_from_memory():
    assert routes.reverse("news:article", (1,)) == "/article/1/"
    with override_settings(ROOT_URLCONF=__name__):
        assert routes.reverse("other", (1,)) == "/other/1/"
        with pytest.raises(NoReverseMatch):
            routes.reverse("news:article", (1,))
    assert routes.reverse("news:article", (1,)) == "/article/1/"


def test_errors_are_django_errors_and_the_memory_is_bounded():
    with pytest.raises(NoReverseMatch):
        routes.reverse("news:no-such-route")
    with pytest.raises(NoReverseMatch):  # an argument that cannot be a key goes to Django, which answers
        routes.reverse("news:category", kwargs={"slug": ["company"]})
    with pytest.raises(NoReverseMatch):  # and a failed reversal is not remembered as an answer
        routes.reverse("news:category", kwargs={"slug": "no slug"})
    assert routes._reverse.cache_info().maxsize == 4096
