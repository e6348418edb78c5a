"""A whole PbootCMS-shaped site crawled from 127.0.0.1 and compared, field by field, with what it published.

The site (tests/pboot_site.py) is served by the local test server with PbootCMS's
query-string URLs; `xinwen import --crawl /?news/ --create-categories` must find every
article through the paginated lists, rebuild 新闻中心 > 公司动态/行业资讯/通知公告, and
carry every field, image, caption and PDF over, with the template furniture left behind.
"""

from __future__ import annotations

import io
import json
import pytest
from django.core.management import call_command
from django.utils.timezone import localtime

from xinwen.importer.models import ImportRecord
from xinwen.importer.pipeline import strip_tags
from xinwen.importer.tests.pboot_site import NOTICE, pboot_site
from xinwen.news.models import Article, Category

pytestmark = pytest.mark.django_db
FIELDS = ["found", "title", "category", "source", "author", "date", "views", "body", "furniture", "images", "captions", "attachments", "status"]
FURNITURE = ["百家乐", "售前咨询专员", "24小时免费咨询", "精益求精", "上一篇", "下一篇", "扫一扫", "版权所有", "标签：", NOTICE, "当前位置", "pboot:"]


def crawl(site, tmp_path, start: str = "/?news/") -> list[dict]:
    report = tmp_path / "report.json"
    call_command(
        "import", "--crawl", site.url(start), "--create-categories", "--no-progress", "--delay", "0", "--timeout", "5",
        "--report", str(report), stdout=io.StringIO(),
    )  # fmt: skip
    return json.loads(report.read_text(encoding="utf-8"))


def compare(expected, base: str) -> tuple[dict[str, int], list[str]]:
    """Per field, how many articles came over right; and a line for every miss."""
    right = dict.fromkeys(FIELDS, 0)
    misses = []
    by_path = {record.old_path: record.article for record in ImportRecord.objects.select_related("article__category__parent")}
    for want in expected:
        article = by_path.get(want.path)
        if article is None:
            misses.append(f"{want.path} {want.variation}: not imported")
            continue
        body = " ".join(strip_tags(article.body).split())
        category = [c.name for c in (article.category.parent, article.category) if c is not None]
        got = {
            "found": True,
            "title": article.title == want.title,
            "category": category == want.category,
            "source": article.source_name == want.source,
            "author": article.author == want.author,
            # The page's time is the old site's local time, which the import takes to be the site's TIME_ZONE.
            "date": article.publish_at is not None and localtime(article.publish_at).strftime("%Y-%m-%d %H:%M") == want.date,
            "views": article.view_count == want.views,
            "body": all(p in body for p in want.paragraphs),
            "furniture": not [f for f in FURNITURE if f in body],
            "images": article.body.count("<img") == want.images and base not in article.body and "/static/upload/" not in article.body,
            "captions": all(c in body for c in want.captions),
            "attachments": article.attachments.count() == want.attachments,
            "status": article.status == Article.Status.PUBLISHED,
        }
        for name, ok in got.items():
            right[name] += bool(ok)
            if not ok:
                left = [f for f in FURNITURE if f in body]
                misses.append(f"{want.path} {want.variation}: {name} {left} (title={article.title!r} author={article.author!r} "
                              f"source={article.source_name!r} category={category} body={body[:80]!r})")  # fmt: skip
    return right, misses


def table(right: dict[str, int], total: int) -> str:
    return "\n".join(["| field | right | of |", "|---|---|---|", *(f"| {name} | {n} | {total} |" for name, n in right.items())])


def test_a_pbootcms_site_is_carried_over_whole(site, tmp_path):
    pages, expected = pboot_site(30)
    for path, data in pages.items():
        kind = "image/jpeg" if path.endswith(".jpg") else "application/pdf" if path.endswith(".pdf") else "text/html; charset=utf-8"
        site.add(path, data, content_type=kind)

    rows = crawl(site, tmp_path)

    assert sorted(row["ref"].split("/?", 1)[1] for row in rows) == sorted(e.path[2:] for e in expected)
    right, misses = compare(expected, site.base)
    print("\nPbootCMS crawl, 30 articles\n" + table(right, len(expected)))
    assert misses == []
    news = Category.objects.get(name="新闻中心")
    assert sorted(news.children.values_list("name", flat=True)) == ["公司动态", "行业资讯", "通知公告"]
    assert Category.objects.filter(name="公司动态").count() == 1
    # Old addresses, single-digit ids and the query-string form included, answer 301 to the article.
    client_paths = ["/?company/1.html", "/?news_12/302.html", "/?industry/29.html"]
    from django.test import Client

    client = Client()
    for path in client_paths:
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == ImportRecord.objects.get(old_path=path).article.get_absolute_url()


def test_a_saved_copy_of_the_site_in_a_folder_learns_its_template_too(tmp_path):
    """A mirror on disk (wget) repeats the template like the live site: the notice and the chat widget stay out."""
    pages, expected = pboot_site(12)
    folder = tmp_path / "mirror"
    for want in expected:
        section, name = want.path[2:].split("/")
        (folder / section).mkdir(parents=True, exist_ok=True)
        (folder / section / name).write_bytes(pages[want.path])

    call_command("import", str(folder), "--base-url", "http://pb.example/", "--create-categories", "--offline",
                 "--no-progress", stdout=io.StringIO())  # fmt: skip

    bodies = [" ".join(strip_tags(a.body).split()) for a in Article.objects.all()]
    assert len(bodies) == 12
    assert [f for body in bodies for f in FURNITURE if f in body] == []
    assert all(any(p in body for body in bodies) for want in expected for p in want.paragraphs)
