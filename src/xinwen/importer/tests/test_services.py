"""Writes of the importer: idempotent by import reference, one transaction, media through news.uploads, review."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from xinwen.conftest import make_user
from xinwen.news.models import AuditEntry
from xinwen.importer.errors import ImportFailed
from xinwen.importer.fetch import Fetcher
from xinwen.importer.models import ImportRecord
from xinwen.importer.pipeline import Source, page_prepare
from xinwen.importer.services import ImportOptions, category_resolve, import_record_accept, legacy_page_import
from xinwen.news.models import Article, Attachment, BodyImage, Category

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
URL = "http://www.dfzl.example/news/77.html"


def page_html(*, title="公司召开年度工作会议", body="<p>会议总结了去年的工作，部署了今年的重点任务。会议要求各单位抓好落实。</p>",
              crumb="新闻中心 &gt; 公司新闻", extra="") -> bytes:  # fmt: skip
    return (
        f'<html><head><meta charset="utf-8"><title>{title}_东方智联</title></head><body>'
        f'<div class="position">当前位置：首页 &gt; {crumb} &gt; 正文</div><h1>{title}</h1>'
        f'<div class="info">来源：本站　作者：王晓明　发布时间：2024-05-06 10:00　浏览次数：321</div>'
        f'<div class="content">{body}{extra}</div></body></html>'
    ).encode()


def prepare(data: bytes, *, url: str = URL, local_dir: str = ""):
    return page_prepare(Source(ref=url, kind="html", data=data, url=url, local_dir=local_dir), tz=TZ)


def test_importing_twice_updates_and_never_duplicates(tree):
    options = ImportOptions()
    first = legacy_page_import(page=prepare(page_html()), options=options)
    again = legacy_page_import(page=prepare(page_html()), options=options)
    changed = legacy_page_import(page=prepare(page_html(title="公司召开年度工作会议（更新）")), options=options)

    assert (first.action, again.action, changed.action) == ("created", "unchanged", "updated")
    assert Article.objects.count() == ImportRecord.objects.count() == 1
    article = Article.objects.get()
    assert article.title == "公司召开年度工作会议（更新）" and article.category == tree["company"]
    assert (article.source_name, article.author, article.view_count) == ("本站", "王晓明", 321)
    assert article.import_record.ref == URL and article.import_record.old_path == "/news/77.html"
    assert article.source_url == ""  # readers are never linked to the old, perhaps hijacked, site
    actions = list(AuditEntry.objects.filter(object_id=str(article.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["change", "create"]
    assert article.import_record.review == ImportRecord.Review.NONE  # a clean page needs no review


def test_an_article_edited_after_the_import_is_not_overwritten_without_force(tree):
    legacy_page_import(page=prepare(page_html()), options=ImportOptions())
    article = Article.objects.get()
    article.title = "编辑改过的标题"
    article.save()

    kept = legacy_page_import(page=prepare(page_html(title="旧站上的新标题")), options=ImportOptions())
    forced = legacy_page_import(page=prepare(page_html(title="旧站上的新标题")), options=ImportOptions(force=True))

    assert kept.action == "kept" and forced.action == "updated"
    assert Article.objects.get().title == "旧站上的新标题"


def test_view_count_is_never_lowered_by_a_reimport(tree):
    legacy_page_import(page=prepare(page_html()), options=ImportOptions())
    Article.objects.update(view_count=5000)  # the live counter went on

    legacy_page_import(page=prepare(page_html(title="新标题")), options=ImportOptions(force=True))

    assert Article.objects.get().view_count == 5000


def test_categories_are_mapped_by_breadcrumb_created_on_request_or_refused(tree):
    assert category_resolve(path=["新闻中心", "公司新闻"], options=ImportOptions()) == tree["company"]
    with pytest.raises(ImportFailed, match="--create-categories"):
        category_resolve(path=["新闻中心", "党建工作"], options=ImportOptions())
    assert category_resolve(path=["党建工作"], options=ImportOptions(default_category=tree["root"])) == tree["root"]

    created = category_resolve(path=["新闻中心", "党建工作", "支部动态"], options=ImportOptions(create_categories=True))

    assert [c.name for c in created.ancestors(include_self=True)] == ["新闻中心", "党建工作", "支部动态"]
    assert created.slug == "zhi-bu-dong-tai" and Category.objects.filter(name="党建工作").count() == 1


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, "PNG")
    return out.getvalue()


def test_images_and_attachments_come_from_the_local_folder_through_the_upload_checks(tree, tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(_png())
    (tmp_path / "notice.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "fake.pdf").write_bytes(b"<html>not a pdf</html>")
    body = ('<p>会议现场照片如下，请各单位认真学习会议精神并抓好落实。</p><p><img src="img/a.png" alt="现场"></p>'
            '<p>附件：<a href="notice.pdf">会议通知</a>　<a href="fake.pdf">伪装的附件</a></p>')  # fmt: skip
    page = prepare(page_html(body=body), url="", local_dir=str(tmp_path))
    page.ref = (tmp_path / "page.html").as_uri()
    options = ImportOptions(fetch_media=Fetcher(delay=0).media)

    legacy_page_import(page=page, options=options)
    legacy_page_import(page=page, options=ImportOptions(fetch_media=Fetcher(delay=0).media, force=True))

    article = Article.objects.get()
    image = BodyImage.objects.get()
    assert image.file.url in article.body and "img/a.png" not in article.body
    attachment = Attachment.objects.get()  # the fake PDF was refused, and nothing was stored twice
    assert attachment.article == article and attachment.title == "会议通知"
    assert "notice.pdf" not in article.body  # a link kept in the body points at the stored copy
    media_flag = article.import_record.flags.get(kind="media")
    assert "fake.pdf" in media_flag.message and not media_flag.hold


def test_a_page_that_needs_a_human_waits_in_review_until_an_editor_accepts_it(tree, editor):
    body = "<p>新能源装备公司总经理王?介绍，公司深耕储能变流器领域多年。研发人员占比超过百分之三十。</p>"
    result = legacy_page_import(page=prepare(page_html(body=body)), options=ImportOptions())
    record = result.record

    assert result.article.status == Article.Status.REVIEW and not result.article.is_public
    assert record.review == ImportRecord.Review.PENDING and record.flags.get(kind="lost_chars").hold

    import_record_accept(record=record, user=editor)

    record.refresh_from_db()
    assert record.review == ImportRecord.Review.ACCEPTED and record.reviewed_by == editor
    assert Article.objects.get().is_public
    assert legacy_page_import(page=prepare(page_html(body=body)), options=ImportOptions()).action == "unchanged"


def test_only_editors_accept_or_import_as_a_user(tree, author):
    result = legacy_page_import(page=prepare(page_html()), options=ImportOptions())
    with pytest.raises(ImportFailed):
        import_record_accept(record=result.record, user=author)
    with pytest.raises(ImportFailed):
        legacy_page_import(page=prepare(page_html(title="另一篇")), options=ImportOptions(user=author))


def test_each_article_is_written_in_one_transaction(tree, monkeypatch):
    from xinwen.news.services import media

    def broken(**kwargs):
        raise RuntimeError("audit log down")

    monkeypatch.setattr(media, "audit_record", broken)
    with pytest.raises(RuntimeError):
        legacy_page_import(page=prepare(page_html()), options=ImportOptions())

    assert Article.objects.count() == ImportRecord.objects.count() == 0


def test_import_as_a_named_editor_is_audited_under_their_name(tree):
    user = make_user("importer", role="编辑")
    result = legacy_page_import(page=prepare(page_html()), options=ImportOptions(user=user))

    assert result.article.created_by == user
    assert AuditEntry.objects.get(object_id=str(result.article.pk)).username == "importer"
