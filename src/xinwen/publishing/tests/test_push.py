"""`xinwen publish --push`: rsync to a local path and to an rsync daemon, new pages before any deletion."""

import io
import shutil
import socket
import subprocess
import time

import pytest
from django.core.management import call_command

from xinwen.conftest import make_article
from xinwen.news.services import article_save, article_unpublish
from xinwen.publishing import push
from xinwen.publishing.manifest import tree_verify
from xinwen.publishing.services import site_publish, site_publish_changed

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def rsync_daemon(tmp_path):
    """A real rsync daemon on 127.0.0.1 with a writable module `site`, as a public host would run."""
    served = tmp_path / "daemon-site"
    served.mkdir()
    port = _free_port()
    conf = tmp_path / "rsyncd.conf"
    conf.write_text(
        f"""pid file = {tmp_path}/rsyncd.pid
use chroot = no
[site]
    path = {served}
    read only = no
    uid = root
    gid = root
"""
    )
    process = subprocess.Popen(["rsync", "--daemon", "--no-detach", f"--config={conf}", f"--port={port}", "--address=127.0.0.1"])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            assert process.poll() is None, "rsync --daemon did not start"
            time.sleep(0.05)
    yield f"rsync://127.0.0.1:{port}/site/", served
    process.terminate()
    process.wait(timeout=10)


def test_push_copies_the_release_to_a_local_path_that_then_verifies(news, target, tmp_path):
    public = tmp_path / "www"
    out = io.StringIO()
    call_command("publish", "--to", str(target), "--push", str(public), "--no-progress", "--jobs", "1", stdout=out)
    assert f"已推送到 {public}" in out.getvalue()
    article = news["industry_article"]
    assert (public / f"zh-tw/article/{article.pk}/index.html").read_bytes() == (target / f"zh-tw/article/{article.pk}/index.html").read_bytes()
    assert not public.is_symlink() and tree_verify(public) == []


def test_new_pages_are_in_place_before_anything_is_deleted(news, target, tmp_path, editor):
    public = str(tmp_path / "www")
    site_publish(target=target)
    push.tree_push(tree=target, targets=[public])
    gone, fresh = news["industry_article"], None
    article_unpublish(article=gone, user=editor)
    fresh = make_article(category=news["industry"], title="推送之后的新闻", days_ago=0.01)
    article_save(article=fresh, user=editor, changed_fields=["title"])
    site_publish_changed(target=target)

    push.push_new(target, public)
    # First pass: the new page and the lists that link to it are there, the old page still is.
    assert (tmp_path / f"www/article/{fresh.pk}/index.html").is_file()
    assert "推送之后的新闻" in (tmp_path / "www/category/industry/index.html").read_text()
    assert (tmp_path / f"www/article/{gone.pk}/index.html").is_file()
    push.push_rest(target, public)
    assert not (tmp_path / f"www/article/{gone.pk}/index.html").exists()
    assert tree_verify(tmp_path / "www") == []


def test_push_to_an_rsync_daemon(news, target, rsync_daemon, editor):
    url, served = rsync_daemon
    call_command("publish", "--to", str(target), "--push", url, "--no-progress", stdout=io.StringIO())
    assert tree_verify(served) == []
    article = news["articles"][3]
    article.title = "经守护进程推送的标题"
    article_save(article=article, user=editor, changed_fields=["title"])
    out = io.StringIO()
    call_command("publish", "--to", str(target), "--changed", "--push", url, "--no-progress", stdout=out)
    assert "增量发布" in out.getvalue()
    assert "经守护进程推送的标题" in (served / f"article/{article.pk}/index.html").read_text()
    assert tree_verify(served) == []


def test_an_unreachable_target_is_a_message_and_exit_2(news, target):
    from django.core.management.base import CommandError

    site_publish(target=target)
    port = _free_port()  # nothing listens there
    with pytest.raises(CommandError) as caught:
        call_command("publish", "--to", str(target), "--push-only", "--push", f"rsync://127.0.0.1:{port}/site/", stdout=io.StringIO())
    assert caught.value.returncode == 2 and "推送到" in str(caught.value) and "失败" in str(caught.value)


def test_push_without_rsync_says_how_to_get_it(news, target, monkeypatch):
    site_publish(target=target)
    monkeypatch.setattr(push, "RSYNC", "rsync-not-installed")
    with pytest.raises(Exception, match="apt-get install rsync"):
        push.tree_push(tree=target, targets=["/nowhere"])
    assert shutil.which("rsync")  # the real one is what the other tests use
