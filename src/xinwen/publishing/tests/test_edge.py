"""XINWEN_ROLE=edge: the public side's app process answers the beacon, search and the API, nothing else."""

import json
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from xinwen.stats.tests.conftest import beacon

pytestmark = pytest.mark.django_db

# Run in a fresh interpreter: load the edge settings, walk every route of the URL conf and
# report which of our modules and which apps got loaded.
PROBE = """
import json, sys, django
django.setup()
from django.apps import apps
from django.urls import get_resolver, URLResolver

def walk(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            walk(p.url_patterns)
        else:
            p.callback
walk(get_resolver().url_patterns)
from django.conf import settings
print(json.dumps({
    "urlconf": settings.ROOT_URLCONF,
    "modules": sorted(m for m in sys.modules if m.startswith("xinwen.")),
    "apps": sorted(a.name for a in apps.get_app_configs()),
    "middleware": settings.MIDDLEWARE,
}))
"""


@pytest.fixture(scope="module")
def edge_process(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        XINWEN_ROLE="edge",
        DJANGO_SETTINGS_MODULE="xinwen.settings",
        DEBUG="1",
        ALLOWED_HOSTS="news.example.org",
        VAR_DIR=str(tmp_path_factory.mktemp("edge")),
    )
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_edge_url_conf_loads_no_back_office_and_no_write_service(edge_process):
    assert edge_process["urlconf"] == "xinwen.urls_edge"
    modules = edge_process["modules"]
    for forbidden in ("xinwen.editorial", "xinwen.news.services", "xinwen.importer", "xinwen.guard", "xinwen.backup"):
        assert not [m for m in modules if m == forbidden or m.startswith(forbidden + ".")], forbidden
    assert not [m for m in modules if m.endswith(".admin")]  # no ModelAdmin of ours was registered
    assert "django.contrib.admin" not in edge_process["apps"] and "axes" not in edge_process["apps"]
    assert not [m for m in edge_process["middleware"] if "editorial" in m or "otp" in m]
    # What it is there for is loaded.
    assert {"xinwen.search.views", "xinwen.stats.views", "xinwen.feeds.api"} <= set(modules)


@override_settings(ROOT_URLCONF="xinwen.urls_edge")
def test_the_edge_answers_search_the_api_and_the_beacon_but_has_no_admin(client, news):
    article = news["industry_article"]
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    assert client.get("/admin/password_reset/").status_code == 404
    # Pages are files on the public side: the edge never renders them.
    assert client.get(f"/article/{article.pk}/").status_code == 404
    pinyin = client.get(f"/article/{article.pk}/", {"ruby": "1"})  # not in the tree: rendered here
    assert pinyin.status_code == 200 and "<ruby>" in pinyin.content.decode()
    assert client.get("/").status_code == 404
    qr = client.get(f"/zh-hk/article/{article.pk}/share-qr.svg")  # drawn when a reader opens 分享
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    found = client.get("/search/", {"q": "装备制造"})
    assert found.status_code == 200 and "装备制造" in found.content.decode()
    assert client.get("/zh-tw/search/", {"q": "装备制造"}).status_code == 200
    api = client.get("/api/v1/articles")
    assert api.status_code == 200 and api.json()
    assert client.post("/api/v1/articles", {}).status_code in (404, 405)  # read-only
    counted = beacon(client, article.pk)  # 浏览次数 of a static page
    assert counted.status_code == 200 and counted.json()["counted"] is True
