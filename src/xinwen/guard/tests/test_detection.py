"""The detection table of issue 15's Proof: each way real hijacks tamper with a site, one at a time, found with its reason.

Every case runs the real Django stack on 127.0.0.1 behind the test-only tampering
middlewares of helpers.py (`Tamper`, `ScriptTamper`), patrols it, and
asserts the exact set of (page, kind) → profiles found: the tampering, and nothing else
on any other page, in any script. The untampered site, every page in every script as
every profile (Chromium included), gives zero findings.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler

from xinwen.guard.monitor import guard_pass
from xinwen.guard.patrol import PROFILES, patrol_targets
from xinwen.guard.tests.helpers import SPAM_PATH, STATIC_TAMPER, ScriptTamper, Tamper, by_kind, payload, seed_title, serving

pytestmark = pytest.mark.django_db(transaction=True)

HTTP = list(PROFILES)
SPIDERS = {"baiduspider", "googlebot", "sogou", "360spider"}
FROM_SEARCH = {"from-baidu", "phone-from-baidu", "from-sogou", "from-360"}
CRAWLED, REDIRECTED, FARMED = 0, 1, 2  # which of the site's three articles a case tampers with


def _crawler_title(pages):
    return Tamper(WSGIHandler(), crawler_title=pages[CRAWLED])


def _referer_redirect(pages):
    return Tamper(WSGIHandler(), referer_redirect=pages[REDIRECTED])


def _script(pages):
    return ScriptTamper(WSGIHandler(), payload("/nowhere/"))


def _dropped_page(pages):
    return Tamper(WSGIHandler(), drop_page=SPAM_PATH)


def _body_link_farm(pages):
    return Tamper(WSGIHandler(), link_farm=pages[FARMED])


def _static_file(pages):
    return Tamper(WSGIHandler(), static={"/static/news/access.js": STATIC_TAMPER["/static/news/access.js"]})


# case → (the tampering, profiles to patrol with, {(page, kind): profiles that must report it});
# a page is an index into the site's three articles, a path, or EVERY_PAGE (each home, section and article in each script).
EVERY_PAGE = "*"
SCRIPT_KINDS = ("cloaking-title", "cloaking-links", "hidden-links", "injected-link", "spam-words")
CASES = {
    "crawler-only seed title": (
        _crawler_title,
        HTTP,
        {(CRAWLED, "cloaking-title"): SPIDERS, (CRAWLED, "foreign-title"): SPIDERS, (CRAWLED, "spam-words"): SPIDERS},
    ),
    "redirect for search visitors only": (_referer_redirect, HTTP, {(REDIRECTED, "cloaking-redirect"): FROM_SEARCH}),
    # The modified script runs on every page: Chromium sees the title and the links change everywhere, no
    # crawler does; the script file's own bytes are not the release's either.
    "script rewrites the title, adds hidden links": (
        _script,
        [*HTTP, "browser"],
        {
            **{(EVERY_PAGE, kind): {"browser"} for kind in SCRIPT_KINDS},
            (EVERY_PAGE, "foreign-title"): {"browser"},
            ("/static/hanzi/script-choice.js", "static-modified"): {"desktop"},
        },
    ),
    "spam page at an unpublished path": (_dropped_page, HTTP, {(SPAM_PATH, "unpublished-page"): {"desktop"}}),
    "hidden link farm in an article body": (
        _body_link_farm,
        HTTP,
        {(FARMED, "hidden-links"): {"全部"}, (FARMED, "injected-link"): {"全部"}, (FARMED, "spam-words"): {"全部"}},
    ),
    "static file modified after publishing": (_static_file, HTTP, {("/static/news/access.js", "static-modified"): {"desktop"}}),
}


def expected_findings(expected, articles: list[str], targets) -> dict[tuple[str, str], set[str]]:
    wanted = {}
    for (page, kind), who in expected.items():
        if page == EVERY_PAGE:
            # A home page has no one title to hold it to (expected_title None): no foreign-title there.
            pages = [urlsplit(t.url).path for t in targets if kind != "foreign-title" or t.expected_title is not None]
        else:
            pages = [articles[page] if isinstance(page, int) else page]
        wanted.update({(p.lstrip("/"), kind): who for p in pages})
    return wanted


@pytest.mark.parametrize("case", list(CASES))
def test_each_hijack_is_found_with_its_reason_and_nothing_else(site, case):
    tamper, profiles, expected = CASES[case]
    targets = patrol_targets("http://site.invalid")
    with serving(tamper(site)) as base:
        _run, report = guard_pass(base_url=base, profiles=profiles)
    assert by_kind(report) == expected_findings(expected, site, targets)
    if case.startswith("crawler-only"):
        served = [p.evidence for p in report.problems if p.kind == "cloaking-title"]
        assert served and all(e.startswith(f"「{seed_title()[:80]}」") for e in served)  # the seed page's title, exactly


def test_the_untampered_site_gives_nothing_on_any_page_in_any_script_as_any_profile(site):
    with serving(WSGIHandler()) as base:
        _run, report = guard_pass(base_url=base, profiles=[*PROFILES, "browser"])
    assert report.problems == []
    assert report.pages == 4 * (1 + 4 + 3)
    assert report.requests == report.pages * (len(PROFILES) + 1)
