"""The browser profile: what scripts do to a page counts, and only real Chromium sees it.

The tampering here is the kind a plain fetch cannot see: the site's own script file is
modified to rewrite document.title, inject a hidden block of links and, on one page,
send the visitor elsewhere. The HTML every crawler profile gets is untouched.
"""

from __future__ import annotations

import io
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command

from xinwen.assets import plain_name
from xinwen.guard.monitor import guard_pass
from xinwen.guard.patrol import PROFILES
from xinwen.guard.tests.helpers import ScriptTamper, by_kind, payload, serving

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_untampered_site_gives_nothing_in_the_browser_either(site):
    with serving(WSGIHandler()) as base:
        started = time.perf_counter()
        _run, report = guard_pass(base_url=base, profiles=["desktop", "browser"])
        seconds = time.perf_counter() - started
    assert report.problems == [] and report.pages == 4 * 8
    print(f"browser + desktop over {report.pages} pages: {seconds:.1f} s")


def test_a_script_made_hijack_is_found_only_with_the_browser(site):
    redirected = site[1]
    app = ScriptTamper(WSGIHandler(), payload(redirected))
    with serving(app) as base:
        _run, plain = guard_pass(base_url=base, profiles=list(PROFILES))
        _run, seen = guard_pass(base_url=base, profiles=["desktop", "browser"])
    # Every crawler and browser user agent gets the untouched HTML: only the script file's bytes give it away.
    assert [(plain_name(p.url.split("/", 3)[-1]), p.kind) for p in plain.problems] == [("static/hanzi/script-choice.js", "static-modified")]
    found = by_kind(seen)
    article = site[0].lstrip("/")
    assert found[(article, "cloaking-title")] == {"browser"}
    assert found[(article, "foreign-title")] == {"browser"}
    assert found[(article, "hidden-links")] == {"browser"}
    assert found[(article, "injected-link")] == {"browser"}
    assert found[(redirected.lstrip("/"), "cloaking-redirect")] == {"browser"}
    evidence = [p.evidence for p in seen.problems if p.kind == "cloaking-title" and p.url.endswith(site[0])]
    assert "思思99re66" in evidence[0]


def test_no_browser_skips_it_and_the_contract_holds(site):
    app = ScriptTamper(WSGIHandler(), payload("/nowhere/"))
    out = io.StringIO()
    with serving(app) as base:
        with pytest.raises(SystemExit) as skipped:
            call_command("guard", "--base-url", base, "--profiles", "desktop", "--no-browser", stdout=out, stderr=io.StringIO())
        # Without Chromium only the modified script file itself is found; nothing as the browser.
        assert skipped.value.code == 3 and [line.split("\t")[1:3] for line in out.getvalue().splitlines()] == [["desktop", "static-modified"]]
        out = io.StringIO()
        with pytest.raises(SystemExit) as found:
            call_command("guard", "--base-url", base, "--profiles", "desktop", "browser", stdout=out, stderr=io.StringIO())
    assert found.value.code == 3 and "\tbrowser\tcloaking-title\t" in out.getvalue()


def test_a_browser_that_cannot_start_means_the_check_did_not_run(site, settings):
    settings.GUARD_CHROMIUM = "/nonexistent/chromium"
    err = io.StringIO()
    with serving(WSGIHandler()) as base:
        with pytest.raises(SystemExit) as not_run:
            call_command("guard", "--base-url", base, "--profiles", "desktop", "browser", stdout=io.StringIO(), stderr=err)
    assert not_run.value.code == 2 and "无法启动浏览器" in err.getvalue()
