"""A small news center and a published tree of it, for the publishing tests."""

import io
import shutil
import socket
import subprocess
import time

import pytest
from django.core.management import call_command

from xinwen.conftest import make_article


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings, tmp_path):
    """Each test signs with its own key, made on first use like on a fresh site."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture(autouse=True)
def _publish_in_the_caller(settings):
    """The worker's thread would not see a test's uncommitted rows: publish in the caller instead."""
    settings.PUBLISH_BACKGROUND = False


@pytest.fixture
def news(tree):
    company = tree["company"]
    articles = [make_article(category=company, title=f"公司新闻第{n}篇", days_ago=30 - n) for n in range(22)]
    industry = make_article(category=tree["industry"], title="行业动态：装备制造", days_ago=2)
    return {**tree, "articles": articles, "industry_article": industry}


@pytest.fixture
def target(tmp_path):
    return tmp_path / "public" / "site"


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def start_nginx(tmp_path):
    """Start Debian's nginx with `xinwen nginx-conf` for a tree; returns its origin. Stopped after the test."""
    processes = []

    def start(root, *, app: str) -> str:
        port = free_port()
        out = io.StringIO()
        call_command("nginx-conf", "--root", str(root), "--listen", f"127.0.0.1:{port}", "--app", app, stdout=out)
        (tmp_path / "xinwen.conf").write_text(out.getvalue())
        temp = tmp_path / "nginx-tmp"
        temp.mkdir(exist_ok=True)
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
        processes.append(process)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "nginx-error.log").read_text()
                time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
