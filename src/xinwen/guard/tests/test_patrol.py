"""The hijack guard against a running site that a test-only WSGI middleware tampers with the way real hijacks do.

The site is the real Django stack served on 127.0.0.1 (wsgiref in a thread); `Tamper`
sits in front of it and changes responses by user agent, Referer and path. Each
tampering must be reported with the right kind on the right page; the untampered site,
every page in every script as every profile, must give nothing.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command

from xinwen.assets import plain_name
from xinwen.guard.patrol import PROFILES, patrol
from xinwen.guard.tests.helpers import SPAM_PATH, STATIC_TAMPER, Tamper, by_kind, serving

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_untampered_site_gives_no_finding_in_any_script_or_profile(site):
    with serving(WSGIHandler()) as base:
        report = patrol(base_url=base)
    assert report.problems == []
    assert report.pages == 4 * (1 + 4 + 3)  # home, four sections, three articles, in four scripts
    assert len(PROFILES) == 10  # desktop, phone, four spiders, four arrivals from a search
    assert report.requests == report.pages * len(PROFILES)


def test_each_tampering_is_found_with_its_reason(site):
    crawled, redirected, farmed = site
    app = Tamper(WSGIHandler(), crawler_title=crawled, referer_redirect=redirected, link_farm=farmed, drop_page=SPAM_PATH, static=STATIC_TAMPER)
    with serving(app) as base:
        report = patrol(base_url=base)
    found = by_kind(report)
    rel = lambda path: path.lstrip("/")  # noqa: E731
    # The seed page's title, shown to crawlers only: every spider sees it, no browser does.
    spiders = {"baiduspider", "googlebot", "sogou", "360spider"}
    assert found[(rel(crawled), "cloaking-title")] == spiders
    assert found[(rel(crawled), "foreign-title")] == spiders
    assert found[(rel(crawled), "spam-words")] == spiders
    # A redirect for visitors who arrive from a search engine, no one else.
    assert found[(rel(redirected), "cloaking-redirect")] == {"from-baidu", "phone-from-baidu", "from-sogou", "from-360"}
    # A hidden link farm in the body, served to everyone.
    assert found[(rel(farmed), "hidden-links")] == {"全部"}
    assert found[(rel(farmed), "injected-link")] == {"全部"}
    # A spam page the CMS never published, linked from the home page.
    assert (rel(SPAM_PATH), "unpublished-page") in found
    # A style sheet and a script modified after publishing, found by their bytes (no page changed).
    assert found[("static/news/site.css", "static-modified")] == {"desktop"}
    assert found[("static/news/access.js", "static-modified")] == {"desktop"}
    # Nothing else: the other pages, and the same pages in the other scripts, are clean.
    assert {page for page, _kind in found} == {rel(crawled), rel(redirected), rel(farmed), rel(SPAM_PATH), *(rel(p) for p in STATIC_TAMPER)}


def test_the_command_prints_one_line_per_finding_and_exits_3(site):
    crawled, _redirected, _farmed = site
    out, err = io.StringIO(), io.StringIO()
    with serving(Tamper(WSGIHandler(), crawler_title=crawled)) as base:
        with pytest.raises(SystemExit) as exit_code:
            call_command("guard", "--base-url", base, "--profiles", "desktop", "baiduspider", "--no-browser", stdout=out, stderr=err)
    assert exit_code.value.code == 3
    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [base + crawled, "baiduspider", "cloaking-title"] == lines[0][:3] and "思思99re66" in lines[0][3]
    assert "发现" in err.getvalue()


def test_the_command_exits_0_on_a_clean_site_and_2_when_it_cannot_run(site):
    with serving(WSGIHandler()) as base:
        with pytest.raises(SystemExit) as clean:
            call_command("guard", "--base-url", base, "--profiles", "desktop", "--no-browser", stdout=io.StringIO(), stderr=io.StringIO())
    assert clean.value.code == 0
    err = io.StringIO()
    with pytest.raises(SystemExit) as not_run:
        call_command("guard", "--base-url", "http://127.0.0.1:9", "--no-browser", stdout=io.StringIO(), stderr=err)
    assert not_run.value.code == 2 and "无法访问" in err.getvalue()


def test_the_sites_own_footer_links_are_not_injected(site):
    """站点设置's 友情链接 and the ICP / public-security record links are the site's own, in every page's footer."""
    from xinwen.news import services
    from xinwen.news.models import SiteSettings

    footer = SiteSettings.load()
    footer.icp_number, footer.police_number = "京ICP备00000000号-1", "京公网安备00000000000000号"
    footer.friendly_links = "合作单位 https://www.example.org/"
    services.site_settings_save(site_settings=footer, user=None)
    with serving(WSGIHandler()) as base:
        report = patrol(base_url=base, profiles=["desktop"])
    assert report.problems == []


def test_a_published_tree_that_differs_from_its_signed_manifest_is_found(site, settings, tmp_path):
    """With static publishing on, every file added, changed or missing in PUBLISH_DIR is a finding."""
    from xinwen.publishing.services import site_publish

    settings.VAR_DIR, settings.PUBLISH_BACKGROUND = tmp_path / "var", False
    target = tmp_path / "public" / "site"
    site_publish(target=target)
    settings.PUBLISH_DIR = str(target)
    with serving(WSGIHandler()) as base:
        assert patrol(base_url=base, profiles=["desktop"]).problems == []  # the tree as published
        live = target.resolve()
        (live / "static" / "news" / "site.css").write_bytes(b"body{display:none}")
        (live / "uploads").mkdir()
        (live / "uploads" / "zt.html").write_text("<title>久久精品</title>")
        (live / "static" / "news" / "access.js").unlink()
        report = patrol(base_url=base, profiles=["desktop"])
    found = {(plain_name(p.url.split("/", 3)[-1]), p.kind): p.evidence for p in report.problems}
    assert set(found) == {
        ("static/news/site.css", "published-file-changed"),
        ("uploads/zt.html", "published-file-changed"),
        ("static/news/access.js", "published-file-changed"),
    }
    assert found[("static/news/site.css", "published-file-changed")].startswith("被改动")
    assert found[("uploads/zt.html", "published-file-changed")].startswith("多出")
    assert found[("static/news/access.js", "published-file-changed")].startswith("缺少")


def test_a_forged_manifest_is_found(site, settings, tmp_path):
    from xinwen.publishing.services import site_publish

    settings.VAR_DIR, settings.PUBLISH_BACKGROUND = tmp_path / "var", False
    target = tmp_path / "public" / "site"
    site_publish(target=target)
    settings.PUBLISH_DIR = str(target)
    manifest = target.resolve() / "manifest.json"
    forged = re.sub(r'"size":\s*', '"size":1', manifest.read_text(), count=1)  # one file's size, signature kept
    assert forged != manifest.read_text()
    manifest.write_text(forged)
    with serving(WSGIHandler()) as base:
        report = patrol(base_url=base, profiles=["desktop"])
    assert [(p.kind, "签名无效" in p.evidence) for p in report.problems] == [("published-file-changed", True)]
