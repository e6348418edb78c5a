"""`xinwen publish --verify DIR`: the served tree against its signed manifest."""

import io
import json
import os

import pytest
from django.core.management import call_command

from xinwen.publishing.manifest import MANIFEST
from xinwen.publishing.services import site_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(news, target):
    site_publish(target=target)
    return target


def verify(path, *args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("publish", "--verify", str(path), *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_an_untouched_tree_passes(published):
    code, out = verify(published)
    assert code == 0 and "校验通过" in out


def test_added_changed_and_removed_files_are_each_named(published, news):
    article = news["industry_article"]
    (published / "shell.php").write_text("<?php eval($_POST[1]);")
    page = published / f"article/{article.pk}/index.html"
    page.write_text(page.read_text().replace("行业动态：装备制造", "澳门赌场_在线娱乐"))
    (published / "robots.txt.gz").unlink()
    code, out = verify(published)
    assert code == 3
    assert out.splitlines() == [
        f"changed article/{article.pk}/index.html",
        "missing robots.txt.gz",
        "added shell.php",
    ]


def test_a_changed_manifest_fails_its_signature(published, news):
    """Whoever edits a page and its manifest entry together is caught by the signature."""
    page = published / "index.html"
    page.write_text("hijacked")
    data = json.loads((published / MANIFEST).read_text())
    data["files"]["index.html"] = {"sha256": "0" * 64, "size": 8}
    (published / MANIFEST).write_text(json.dumps(data))
    code, out = verify(published)
    assert code == 3 and "签名无效" in out


def test_a_manifest_edited_in_place_with_its_size_and_time_kept_is_still_caught(published, news):
    """The publisher remembers the manifest it wrote last (to re-sign quickly); verifying never trusts that memory."""
    path = published.resolve() / MANIFEST
    before = path.stat()
    text = path.read_text()
    entry = '"index.html":{"sha256":"'
    start = text.index(entry) + len(entry)
    forged = text[:start] + ("1" if text[start] != "1" else "2") + text[start + 1 :]
    with open(path, "r+", encoding="utf-8") as handle:  # the same inode, the same size
        handle.write(forged)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    code, out = verify(published)
    assert code == 3 and "签名无效" in out


def test_the_manifest_lists_one_file_per_line(published):
    """So the manifests of two releases compare with diff, file by file."""
    text = (published / MANIFEST).read_text()
    files = json.loads(text)["files"]
    lines = text.splitlines()
    assert len(files) > 100
    assert sum(1 for line in lines if line.startswith('"') and '"sha256"' in line) == len(files)


def test_a_manifest_signed_by_another_key_is_refused(published, tmp_path, settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = tmp_path / "other.pub"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    code, out = verify(published, "--key", str(other))
    assert code == 3 and "不是受信任的密钥" in out


def test_the_private_key_never_enters_the_release(published, settings):
    private = (settings.VAR_DIR / "publishing" / "ed25519.key").read_bytes()
    assert b"PRIVATE KEY" in private
    for path in published.resolve().rglob("*"):
        if path.is_file():
            assert b"PRIVATE KEY" not in path.read_bytes(), path


def test_a_folder_without_a_manifest_cannot_be_verified(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as caught:
        call_command("publish", "--verify", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert caught.value.returncode == 2 and "不存在" in str(caught.value)
