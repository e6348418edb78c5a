"""Attachments on the article page and their download: the editor's name, PDFs in the browser, type and size."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news.models import Article, Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(article: Article, title: str, name: str, data: bytes) -> Attachment:
    item = Attachment(article=article, title=title)
    item.file.save(name, ContentFile(data), save=False)
    return services.attachment_save(attachment=item, user=services.OPERATOR)


def body_of(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


@pytest.fixture
def notice(tree):
    article = make_article(category=tree["notices"], title="关于春节放假安排的通知")
    return {
        "article": article,
        "pdf": attach(article, "春节放假安排", "upload.pdf", PDF),
        "docx": attach(article, "报名表.docx", "form.docx", b"PK\x03\x04" + b"\x00" * 2000),
    }


def test_a_pdf_opens_in_the_browser_under_the_editors_name(client, notice):
    response = client.get(f"/attachment/{notice['pdf'].pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "春节放假安排.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert body_of(response) == PDF


def test_other_files_download_under_the_editors_name_and_stay_inert(client, notice):
    response = client.get(f"/zh-tw/attachment/{notice['docx'].pk}/")  # the link as a Taiwan-script page builds it
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "报名表.docx"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    body_of(response)


def test_the_article_lists_each_attachment_with_its_type_and_size(client, notice):
    html = client.get(notice["article"].get_absolute_url()).content.decode()
    block = re.search(r'<section class="attachments".*?</section>', html, re.S).group(0)
    pdf, docx = notice["pdf"], notice["docx"]
    assert f'<a href="/attachment/{pdf.pk}/">春节放假安排</a>' in block  # a PDF opens, no download attribute
    assert f'<a href="/attachment/{docx.pk}/" download>报名表.docx</a>' in block
    assert re.search(rf"（PDF 文档，{len(PDF)}.字节）", block)
    assert re.search(r"（Word 文档，2\.0.KB）", block)
    hant = client.get(f"/zh-hant{notice['article'].get_absolute_url()}").content.decode()
    assert f'href="/zh-hant/attachment/{pdf.pk}/"' in hant and "（PDF 文檔，" in hant


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.ARCHIVED])
def test_attachments_of_articles_readers_cannot_see_are_404(client, tree, status):
    article = make_article(category=tree["notices"], status=status)
    item = attach(article, "内部文件", "x.pdf", PDF)
    response = client.get(f"/attachment/{item.pk}/")
    assert response.status_code == 404
    assert "附件不存在" in response.content.decode()


def test_an_editor_previews_the_attachment_of_a_draft(client, tree, editor):
    article = make_article(category=tree["notices"], status=Article.Status.DRAFT)
    item = attach(article, "内部文件", "x.pdf", PDF)
    client.force_login(editor)
    response = client.get(f"/attachment/{item.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body_of(response)


def test_a_missing_file_or_id_is_a_404_not_a_500(client, notice):
    notice["pdf"].file.storage.delete(notice["pdf"].file.name)
    assert client.get(f"/attachment/{notice['pdf'].pk}/").status_code == 404
    assert client.get("/attachment/999999/").status_code == 404
    assert client.get("/attachment/99999999999999999999999/").status_code == 404
