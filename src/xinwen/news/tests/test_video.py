"""Article video: uploads checked by their boxes (news/mp4.py, news/uploads.py), served inert, shown with <video>."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.news.models import Article
from xinwen.news.mp4 import Mp4Error, mp4_probe
from xinwen.news.tests.mp4_sample import mp4_bytes
from xinwen.news.tests.test_uploads import image_bytes
from xinwen.news.uploads import MAX_CAPTIONS_BYTES, clean_captions, clean_video

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n董事长致辞\n".encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_the_test_video_is_what_the_probe_expects():
    data = mp4_bytes()
    info = mp4_probe(io.BytesIO(data), len(data))
    assert info.major_brand == b"isom" and info.tracks == [(b"vide", b"avc1")] and info.has_media_data


@pytest.mark.parametrize(
    "data",
    [mp4_bytes(), mp4_bytes(moov_last=True), mp4_bytes(sound=b"mp4a"), mp4_bytes(brand=b"mp42", compatible=())],
    ids=["faststart", "moov-last", "with-aac", "mp42"],
)
def test_h264_mp4_is_accepted_under_its_real_extension(data):
    cleaned = clean_video(upload("发布会 现场.MOV", data))
    assert cleaned.name == "发布会 现场.mp4"
    assert cleaned.read() == data  # accepted as it is; browsers play it


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _long_box(data: bytes) -> bytes:
    return data + b"\x00\x00\x10\x00free"  # says 4096 bytes, has none


@pytest.mark.parametrize(
    "data, message",
    [
        (mp4_bytes(codec=b"hvc1"), "不是 H.264"),
        (mp4_bytes(sound=b"ac-3"), "不是 AAC"),
        (mp4_bytes(brand=b"qt  ", compatible=()), "不是标准 MP4"),
        (mp4_bytes(with_moov=False), "缺少 moov"),
        (mp4_bytes(handler=b"soun", codec=b"mp4a"), "没有画面轨道"),
        (_long_box(mp4_bytes()), "已损坏"),
        (_cut(mp4_bytes(moov_last=True)), "已损坏"),
        (image_bytes("PNG"), "ftyp"),
        (b"<html><script>alert(1)</script></html>", "ftyp"),
        (b"", "ftyp"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x01mdat", "已损坏"),
    ],
    ids=["hevc", "ac3", "quicktime", "no-moov", "sound-only", "box-past-end", "truncated", "png", "html", "empty", "bad-largesize"],
)
def test_files_that_are_not_h264_mp4_are_refused_with_a_reason(data, message):
    with pytest.raises(ValidationError) as error:
        clean_video(upload("video.mp4", data))
    assert message in error.value.messages[0]


def test_a_deeply_nested_or_huge_box_count_ends(settings):
    boxes = b"".join(b"\x00\x00\x00\x08free" for _ in range(20_000))
    data = mp4_bytes()[:24] + boxes  # ftyp, then more boxes than any real file has
    with pytest.raises(Mp4Error):
        mp4_probe(io.BytesIO(data), len(data))


def test_the_size_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_VIDEO_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        clean_video(upload("video.mp4", mp4_bytes()))
    assert "文件太大" in error.value.messages[0]


@pytest.mark.parametrize(
    "data",
    [VTT, b"\xef\xbb\xbf" + VTT, b"WEBVTT - \xe4\xb8\xad\xe6\x96\x87\r\n\r\n", b"WEBVTT"],
    ids=["plain", "bom", "header-text-crlf", "header-only"],
)
def test_webvtt_captions_are_accepted(data):
    cleaned = clean_captions(upload("字幕.txt", data))
    assert cleaned.name == "字幕.vtt" and cleaned.read().startswith(b"WEBVTT")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"1\n00:00:00,000 --> 00:00:02,000\nhello\n", "第一行必须是 WEBVTT"),  # SRT
        (b"WEBVTTX\n", "第一行必须是 WEBVTT"),
        ("WEBVTT\n\n00:00.000 --> 00:02.000\n董事长致辞\n".encode("gbk"), "UTF-8"),
        (b"WEBVTT\n\x00<script>", "第一行必须是 WEBVTT"),
        (b"WEBVTT\n" + b"a" * MAX_CAPTIONS_BYTES, "字幕文件太大"),
    ],
    ids=["srt", "not-header", "gbk", "nul", "too-large"],
)
def test_other_captions_are_refused(data, message):
    with pytest.raises(ValidationError) as error:
        clean_captions(upload("captions.vtt", data))
    assert message in error.value.messages[0]


@pytest.fixture
def with_video(tree):
    return make_article(
        category=tree["company"],
        title="集团年度工作会议视频",
        body="<p>会议现场视频。</p>",
        video=upload("v.mp4", mp4_bytes()),
        video_poster=upload("p.png", image_bytes("PNG")),
        video_captions=upload("c.vtt", VTT),
    )


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-tw", "/zh-hk"])
def test_the_article_page_plays_the_video_from_the_sites_own_media(client, with_video, prefix):
    html = client.get(f"{prefix}/article/{with_video.pk}/").content.decode()
    video = re.search(r"<video\b[^>]*>.*?</video>", html, re.S).group(0)
    assert 'controls preload="metadata"' in video
    assert f'poster="/media/{with_video.video_poster.name}"' in video
    assert f'<source src="/media/{with_video.video.name}" type="video/mp4">' in video
    assert f'src="/media/{with_video.video_captions.name}"' in video
    assert '<track kind="captions" srclang="zh"' in video
    assert 'label="中文字幕"' in video  # the same characters in every script
    assert ("下載影片" if prefix == "/zh-tw" else "下載視頻" if prefix else "下载视频") in video


def test_without_captions_there_is_no_track_and_without_video_no_player(client, tree):
    plain = make_article(category=tree["company"], title="无视频")
    bare = make_article(category=tree["company"], title="只有视频", video=upload("v.mp4", mp4_bytes()))
    assert "<video" not in client.get(f"/article/{plain.pk}/").content.decode()
    html = client.get(f"/article/{bare.pk}/").content.decode()
    assert "<video" in html and "<track" not in html and "poster=" not in html


@pytest.mark.parametrize("field, content_type", [("video", "video/mp4"), ("video_captions", "text/vtt; charset=utf-8")])
def test_video_files_are_served_as_files_never_as_pages(client, with_video, field, content_type):
    response = client.get(f"/media/{getattr(with_video, field).name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert not response.get("Content-Disposition", "").startswith("attachment")  # loaded by the page's player


# --- the back office form --------------------------------------------------------------------

ADD = "admin:news_article_add"


def form_data(category, **files):
    from xinwen.conftest import form_data as article_form

    return article_form(category, **files)


def _named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_an_editor_uploads_a_video_with_poster_and_captions(client, tree, editor):
    client.force_login(editor)
    data = form_data(
        tree["company"],
        video=_named(mp4_bytes(), "发布会.mp4"),
        video_poster=_named(image_bytes("PNG"), "封面.png"),
        video_captions=_named(VTT, "字幕.vtt"),
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.video.name.startswith("videos/") and article.video.name.endswith(".mp4")
    assert "发布会" not in article.video.name
    assert article.video_captions.name.endswith(".vtt") and article.video_poster.name.startswith("covers/")
    from reversion.models import Version

    assert Version.objects.get_for_object(article).first().field_dict["video"] == article.video.name


@pytest.mark.parametrize(
    "field, data, name, message",
    [
        ("video", image_bytes("PNG"), "clip.mp4", "不是 MP4 视频文件"),
        ("video", mp4_bytes(codec=b"hvc1"), "clip.mp4", "不是 H.264"),
        ("video_captions", b"1\n00:00:00,000 --> 00:00:01,000\nhi\n", "c.vtt", "WEBVTT"),
        ("video_poster", b"GIF89a not an image", "p.gif", "有效的图片"),
    ],
)
def test_bad_files_are_a_form_error_and_nothing_is_stored(client, tree, editor, settings, field, data, name, message):
    client.force_login(editor)
    response = client.post(reverse(ADD), form_data(tree["company"], **{field: _named(data, name)}))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Article.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_write_path_refuses_other_kinds_of_file_under_the_video_fields(tree, editor):
    from xinwen.news import services
    from xinwen.news.errors import WorkflowError

    article = Article(category=tree["company"], title="导入的视频", video="videos/x.html")
    with pytest.raises(WorkflowError, match="MP4"):
        services.article_save(article=article, user=editor)
    article.video, article.video_captions = "videos/x.mp4", "videos/x.srt"
    with pytest.raises(WorkflowError, match="WebVTT"):
        services.article_save(article=article, user=editor)


def test_a_player_gets_the_byte_ranges_it_asks_for_to_seek(client, with_video):
    url = f"/media/{with_video.video.name}"
    data = with_video.video.open("rb").read()
    whole = client.get(url)
    assert whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part.content == data[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}" and part["Content-Type"] == "video/mp4"
    assert part["X-Content-Type-Options"] == "nosniff" and "sandbox" in part["Content-Security-Policy"]
    tail = client.get(url, HTTP_RANGE="bytes=-16")
    assert tail.status_code == 206 and tail.content == data[-16:]
    past = client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(data)}"
