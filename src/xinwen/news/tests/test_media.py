"""Serving uploaded files: images inline, everything else an inert download, nothing outside MEDIA_ROOT."""

from __future__ import annotations

import io

import pytest
from PIL import Image

# The 404 page shows the site navigation, which comes from the database.
pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings):
    """MEDIA_ROOT with a secret file right beside it, where a traversal would land."""
    root = settings.MEDIA_ROOT
    (root / "images" / "2024" / "01").mkdir(parents=True)
    (root.parent / "secret.txt").write_text("SECRET_KEY=do-not-serve")
    return root


def body_of(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


@pytest.mark.parametrize(("name", "content_type"), [("photo.png", "image/png"), ("PHOTO.PNG", "image/png")])
def test_media_serves_uploaded_images_inline(client, media, name, content_type):
    data = png_bytes()
    (media / "images" / "2024" / "01" / name).write_bytes(data)

    response = client.get(f"/media/images/2024/01/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert body_of(response) == data


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("report.pdf", "application/pdf"),
        ("table.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("evil.html", "application/octet-stream"),
        ("evil.HTM", "application/octet-stream"),
        ("evil.svg", "application/octet-stream"),
        ("evil.xhtml", "application/octet-stream"),
        ("evil.js", "application/octet-stream"),
        ("shell.php", "application/octet-stream"),
        ("photo.png.html", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
    ],
)
def test_media_serves_everything_else_as_an_inert_download(client, media, name, content_type):
    payload = b"<html><script>alert(document.cookie)</script></html>"
    (media / name).write_bytes(payload)

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body_of(response) == payload


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "%2e%2e/secret.txt",
        "%2E%2E%2Fsecret.txt",
        "images/../../secret.txt",
        "images/2024/01/../../../../secret.txt",
        "..%5csecret.txt",
        "/../secret.txt",
        "//etc/passwd",
        "images/2024/01/missing.png",
        "images/2024/01/",
        "images",
        "photo.png%00.html",
    ],
)
def test_media_refuses_paths_outside_media_root_and_missing_files(client, media, path):
    response = client.get(f"/media/{path}")

    assert response.status_code == 404
    assert b"do-not-serve" not in response.content
    assert "页面不存在" in response.content.decode()


def test_media_refuses_a_symlink_out_of_media_root(client, media):
    (media / "link.txt").symlink_to(media.parent / "secret.txt")

    response = client.get("/media/link.txt")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["a" * 300 + ".png", "images/" + "字" * 100 + ".png", ("b" * 250 + "/") * 20 + "x.pdf"])
def test_media_names_longer_than_the_file_system_allows_are_404(client, media, name):
    # The OS answers ENAMETOOLONG for a component over 255 bytes (字 is 3 bytes in UTF-8).
    response = client.get(f"/media/{name}")

    assert response.status_code == 404
