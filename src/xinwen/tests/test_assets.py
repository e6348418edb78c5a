"""Static files under fingerprinted names: cached for a year, compressed, and never a 404 for an old page."""

from __future__ import annotations

import gzip
import hashlib
import io
import re

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static

from xinwen import assets
from xinwen.publishing.build import copy_static

SHEET = "news/site.css"


def _source() -> bytes:
    with open(finders.find(SHEET), "rb") as handle:
        return handle.read()


def test_a_template_links_the_file_under_its_content_fingerprint():
    data = _source()

    assert static(SHEET) == f"/static/news/site.{hashlib.md5(data).hexdigest()[:12]}.css"
    assert assets.fingerprinted("news/site.css", b"other") != assets.fingerprinted("news/site.css", data)
    assert assets.fingerprinted("LICENSE", data) == "LICENSE"  # no extension: the name stays
    assert assets.fingerprinted("ninja/redoc.standalone.js.map", data).endswith(".js.map")  # maps keep theirs


def test_with_debug_the_plain_name_shows_an_edit_at_once(settings):
    settings.DEBUG = True

    assert static(SHEET) == "/static/news/site.css"


@pytest.mark.django_db
def test_pages_link_only_fingerprinted_static_files(client):
    html = client.get("/").content.decode()

    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert links and all(assets.HASHED.match(link) for link in links), links


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "encoding", "unpack"), [("br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress), ("", None, None)])
def test_the_fingerprinted_name_is_immutable_and_served_compressed(client, accept, encoding, unpack):
    response = client.get(static(SHEET), HTTP_ACCEPT_ENCODING=accept)
    body = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Type"].startswith("text/css")
    assert response.get("Content-Encoding") == encoding
    assert (unpack(body) if unpack else body) == _source()


@pytest.mark.django_db
def test_the_plain_name_and_an_old_fingerprint_still_answer_briefly(client):
    for url in ("/static/news/site.css", "/static/news/site.0123456789ab.css"):
        response = client.get(url)

        assert response.status_code == 200, url
        assert "immutable" not in response["Cache-Control"], url
        assert b"".join(response.streaming_content) == _source()
    assert client.get("/static/news/no-such-file.0123456789ab.css").status_code == 404


def test_collectstatic_writes_the_fingerprinted_copies_with_twins(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "collected"

    call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())

    hashed = settings.STATIC_ROOT / static(SHEET).removeprefix("/static/")
    assert hashed.read_bytes() == _source() == (settings.STATIC_ROOT / SHEET).read_bytes()
    assert gzip.decompress(hashed.with_name(hashed.name + ".gz").read_bytes()) == _source()
    assert brotli.decompress(hashed.with_name(hashed.name + ".br").read_bytes()) == _source()


def test_the_static_build_holds_the_names_pages_link_to(tmp_path):
    written = copy_static(tmp_path)

    name = static(SHEET).removeprefix("/")
    assert (tmp_path / name).read_bytes() == _source()
    assert {name, name + ".gz", name + ".br", "static/news/site.css"} <= set(written)
