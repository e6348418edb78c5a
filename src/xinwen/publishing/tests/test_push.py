"""`xinwen publish --push`: rsync to a local path, to an rsync daemon and over SSH to a real sshd; new pages before any deletion."""

import getpass
import io
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

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


SSHD = "/usr/sbin/sshd"


def _known_host(port: int, public_key: Path) -> str:
    """The known_hosts line of a host key: what the CMS host trusts for the public host."""
    kind, key = public_key.read_text().split()[:2]
    return f"[127.0.0.1]:{port} {kind} {key}\n"


@pytest.fixture
def sshd(tmp_path, monkeypatch):
    """Debian's OpenSSH server on 127.0.0.1 with a key made for the test: the public host of 内外网分离.

    rsync reaches it as `user@127.0.0.1:/path` through ssh; the port and the key come from
    RSYNC_RSH, as an operator's ~/.ssh/config would give them.
    """
    if not os.path.exists(SSHD) or not shutil.which("ssh"):
        pytest.fail("the SSH push test needs OpenSSH: apt-get install openssh-server openssh-client", pytrace=False)
    keys = tmp_path / "ssh"
    keys.mkdir(mode=0o700)
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True)
    (keys / "authorized_keys").write_text((keys / "client.pub").read_text())
    port = _free_port()
    config = keys / "sshd_config"
    config.write_text(
        f"""Port {port}
ListenAddress 127.0.0.1
HostKey {keys}/host
PidFile {keys}/sshd.pid
AuthorizedKeysFile {keys}/authorized_keys
StrictModes no
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
"""
    )
    os.makedirs("/run/sshd", exist_ok=True)  # privilege separation directory; the package's service would make it
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            assert process.poll() is None, f"sshd did not start: {process.stderr.read()}"
            time.sleep(0.05)
    monkeypatch.setenv(
        "RSYNC_RSH",
        f"ssh -p {port} -i {keys}/client -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes "
        f"-o UserKnownHostsFile={keys}/known_hosts",
    )
    (keys / "known_hosts").write_text(_known_host(port, keys / "host.pub"))
    served = tmp_path / "ssh-site"
    yield SimpleNamespace(url=f"{getpass.getuser()}@127.0.0.1:{served}", served=served, port=port, known_hosts=keys / "known_hosts")
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


def test_push_over_ssh_to_a_real_sshd(news, target, sshd, editor):
    """The usual 内外网分离 path: the CMS host pushes through SSH, the public host runs nothing but sshd and a web server."""
    url, served = sshd.url, sshd.served
    served.mkdir()
    out = io.StringIO()
    call_command("publish", "--to", str(target), "--push", url, "--no-progress", "--jobs", "1", stdout=out)
    assert f"已推送到 {url}" in out.getvalue()
    assert tree_verify(served) == []
    article, gone = news["articles"][5], news["industry_article"]
    article.title = "经 SSH 推送的标题"
    article_save(article=article, user=editor, changed_fields=["title"])
    article_unpublish(article=gone, user=editor)
    call_command("publish", "--to", str(target), "--changed", "--push", url, "--no-progress", stdout=io.StringIO())
    assert "经 SSH 推送的标题" in (served / f"article/{article.pk}/index.html").read_text()
    assert not (served / f"article/{gone.pk}/index.html").exists()
    assert tree_verify(served) == []


def test_a_host_key_that_does_not_match_stops_the_push(news, target, sshd):
    """A public host that is not the one the CMS knows (a DNS or address takeover) gets nothing."""
    from django.core.management.base import CommandError

    url, served = sshd.url, sshd.served
    served.mkdir()
    impostor = sshd.known_hosts.parent / "impostor"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(impostor)], check=True)
    sshd.known_hosts.write_text(_known_host(sshd.port, impostor.with_suffix(".pub")))  # the CMS expects another host's key
    with pytest.raises(CommandError) as caught:
        call_command("publish", "--to", str(target), "--push", url, "--no-progress", "--jobs", "1", stdout=io.StringIO())
    assert caught.value.returncode == 2 and "推送到" in str(caught.value)
    assert "Host key verification failed" in str(caught.value)  # the operator is told why
    assert not any(served.iterdir())


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
