"""The Content-Security-Policy header: on every HTML page, public and back office, with DEBUG on and off.

This module is also the URLconf of its 500 tests: xinwen's own URLs plus one view that fails.
"""

from __future__ import annotations

import re

import pytest
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.urls import path

from xinwen import urls as site_urls
from xinwen.conftest import make_article
from xinwen.editorial.admin import EDITOR_STYLE_HASH
from xinwen.news.csp import ContentSecurityPolicyMiddleware, in_settings_order


def _boom(request):
    raise RuntimeError("a failing view")


urlpatterns = [path("boom/", _boom), *site_urls.urlpatterns]
handler404 = site_urls.handler404
handler500 = site_urls.handler500

REQUIRED = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "img-src": "'self' data:",
}
# What a page any reader may be served from the page cache carries: no nonce, no inline anything.
PUBLIC_POLICY = {**REQUIRED, "script-src": "'self'", "style-src": "'self'"}


def parse(header: str) -> dict[str, str]:
    # django-csp writes the directives in no fixed order.
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";"))


def directives(response) -> dict[str, str]:
    """The header as {directive: sources}; fails when it is missing or weakens script."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.get('Content-Type')}"
    parsed = parse(header)
    for name, sources in REQUIRED.items():
        assert parsed.get(name) == sources, f"{name}: {parsed.get(name)!r} in {header!r}"
    assert "'unsafe-inline'" not in parsed["script-src"] and "'unsafe-eval'" not in header, header
    assert "'unsafe-inline'" not in parsed["style-src"], header
    return parsed


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def story(tree):
    return make_article(category=tree["company"], title="安全生产月活动启动", days_ago=1)


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-tw", "/zh-hk"])
def test_public_pages_in_every_script_carry_the_policy_without_a_nonce(client, debug, story, prefix):
    for url in ["/", "/category/company/", f"/article/{story.pk}/", "/search/?q=安全", f"/article/{story.pk}/?ruby=1"]:
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert parse(response.headers["Content-Security-Policy"]) == PUBLIC_POLICY, prefix + url


@pytest.mark.urls(__name__)
def test_not_found_and_server_error_pages_carry_the_policy(client, db, debug):
    client.raise_request_exception = False
    missing = client.get("/article/424242/")
    failed = client.get("/boom/")

    assert missing.status_code == 404 and failed.status_code == 500
    for response in (missing, failed):
        assert directives(response)["script-src"] == "'self'"
    if not debug:
        assert "页面不存在" in missing.text and "服务暂时不可用" in failed.text
        assert "<style" not in failed.text  # its stylesheet is a file, which style-src 'self' allows


def test_back_office_pages_carry_the_policy(client, debug, editor):
    login = client.get("/admin/login/")
    assert directives(login)["script-src"] == "'self'"

    client.force_login(editor)
    for url in ["/admin/", "/admin/news/article/", "/admin/stats/dailyviews/", "/admin/importer/importrecord/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        directives(response)


def test_article_form_allows_its_import_map_by_nonce_and_the_editor_stylesheet_by_hash(client, editor, story):
    client.force_login(editor)
    for url in ["/admin/news/article/add/", f"/admin/news/article/{story.pk}/change/"]:
        response = client.get(url)
        parsed = directives(response)
        nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]{20,})'", parsed["script-src"]).group(1)
        assert parsed["style-src"] == f"'self' {EDITOR_STYLE_HASH}"
        assert f'<script type="importmap" nonce="{nonce}">' in response.text
    # Every response gets its own nonce.
    again = directives(client.get("/admin/news/article/add/"))["script-src"]
    assert again != parsed["script-src"]


def test_api_docs_carry_the_policy(client, debug, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"


def test_uploads_keep_their_own_sandbox_policy(client, db, settings, debug):
    (settings.MEDIA_ROOT / "body").mkdir(parents=True)
    (settings.MEDIA_ROOT / "body" / "note.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")

    response = client.get("/media/body/note.pdf")

    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_header_is_written_in_the_settings_order(client, debug, story):
    # The same bytes from every worker process, and as README shows them.
    expected = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    assert client.get(f"/article/{story.pk}/").headers["Content-Security-Policy"] == expected


def _served(request, response=None):
    """`response` (a plain page by default) through xinwen's middleware."""
    ours = ContentSecurityPolicyMiddleware(lambda r: HttpResponse())
    ours.process_request(request)
    return ours.process_response(request, response if response is not None else HttpResponse("页面"))


def _django_csp(rf, response=None):
    theirs = CSPMiddleware(lambda r: HttpResponse())
    request = rf.get("/")
    theirs.process_request(request)
    return theirs.process_response(request, response if response is not None else HttpResponse("页面"))


def test_plain_responses_get_django_csps_policy_and_follow_the_settings(rf, settings):
    """Built once per process for responses like every public page, and rebuilt when the settings change."""
    settings.DEBUG = False
    expected = in_settings_order(_django_csp(rf)["Content-Security-Policy"])
    first, second = _served(rf.get("/")), _served(rf.get("/category/company/"))
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"] == expected
    assert parse(expected) == {**PUBLIC_POLICY, "form-action": "'self'"}

    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**policy["DIRECTIVES"], "img-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"}}
    changed = _served(rf.get("/"))
    assert parse(changed["Content-Security-Policy"])["img-src"] == "'self'"
    assert changed["Content-Security-Policy-Report-Only"] == _django_csp(rf)["Content-Security-Policy-Report-Only"]
    assert "default-src 'none'" in changed["Content-Security-Policy-Report-Only"]


def test_a_nonce_or_a_views_own_policy_is_never_taken_from_another_response(rf, settings):
    settings.DEBUG = False
    _served(rf.get("/"))  # the plain policy is built
    drawn = rf.get("/admin/news/article/add/")
    ContentSecurityPolicyMiddleware(lambda r: HttpResponse()).process_request(drawn)
    nonce = str(drawn.csp_nonce)
    assert f"'nonce-{nonce}'" in _served_with_request(drawn)["Content-Security-Policy"]
    assert "nonce" not in _served(rf.get("/"))["Content-Security-Policy"]

    updated = HttpResponse("页面")
    updated._csp_update = {"img-src": ["https://img.example.org"]}
    assert "https://img.example.org" in parse(_served(rf.get("/"), updated)["Content-Security-Policy"])["img-src"]
    exempt = HttpResponse("页面")
    exempt._csp_exempt = True
    assert "Content-Security-Policy" not in _served(rf.get("/"), exempt)
    assert "https://img.example.org" not in _served(rf.get("/"))["Content-Security-Policy"]


def _served_with_request(request):
    return ContentSecurityPolicyMiddleware(lambda r: HttpResponse()).process_response(request, HttpResponse("页面"))


def test_a_nonce_asked_for_after_the_header_was_written_is_refused(rf, settings):
    """As django-csp does: a nonce drawn after the response's header would be in no policy."""
    settings.DEBUG = False
    for _ in range(2):  # the first builds the policy, the second takes the built one
        request = rf.get("/")
        _served(request)
        with pytest.raises(CSPNonceError):
            str(request.csp_nonce)
