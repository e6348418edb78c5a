"""Debian's real nginx serves the published demo with the printed configuration."""

import io
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from lxml import etree

from xinwen.publishing.manifest import tree_verify
from xinwen.publishing.nginx import site_policy

pytestmark = pytest.mark.django_db
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(tmp_path, target):
    port = _free_port()
    out = io.StringIO()
    call_command("nginx-conf", "--root", str(target), "--listen", f"127.0.0.1:{port}", "--app", "127.0.0.1:9", stdout=out)
    (tmp_path / "xinwen.conf").write_text(out.getvalue())
    temp = tmp_path / "nginx-tmp"
    temp.mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"""user root;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}; proxy_temp_path {temp}; fastcgi_temp_path {temp};
    uwsgi_temp_path {temp}; scgi_temp_path {temp};
    include {tmp_path}/xinwen.conf;
}}
"""
    )
    process = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g", "daemon off;"])
    origin = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "nginx-error.log").read_text()
            time.sleep(0.05)
    yield origin
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_nginx_serves_every_sitemap_url_like_the_live_site(target, client, nginx):
    call_command("demo", no_server=True, stdout=io.StringIO())
    call_command("publish", "--to", str(target), "--no-progress", stdout=io.StringIO())

    status, _, index = fetch(nginx + "/sitemap.xml")
    assert status == 200
    urls = []
    for section in etree.fromstring(index).findall("s:sitemap/s:loc", SITEMAP_NS):
        parts = urlsplit(section.text)
        status, _, body = fetch(nginx + parts.path + (f"?{parts.query}" if parts.query else ""))
        assert status == 200, section.text
        urls += [loc.text for loc in etree.fromstring(body).findall("s:url/s:loc", SITEMAP_NS)]
    assert len(urls) > 30
    # Every sitemap URL, and the same page in Taiwan script (the sitemap names it as an hreflang alternate).
    paths = [urlsplit(url).path for url in urls]
    for path in [*paths, *(f"/zh-tw{p}" for p in paths)]:
        status, headers, body = fetch(nginx + path)
        assert status == 200, path
        live = client.get(path)
        assert TITLE.search(body).group(1) == TITLE.search(live.content).group(1), path
        assert headers["Content-Security-Policy"] == site_policy()

    # A list's second page is its own file; precompressed twins are served as they are.
    status, _, second = fetch(nginx + "/category/news/?page=2")
    assert status == 200 and second == client.get("/category/news/?page=2").content
    status, headers, packed = fetch(nginx + "/", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and packed == (target / "index.html.gz").read_bytes()
    # Missing pages get the site's 404 page.
    status, _, body = fetch(nginx + "/article/999999/")
    assert status == 404 and body == (target / "404.html").read_bytes()
    assert tree_verify(target.resolve()) == []
