"""A confidence per field, with its evidence: doubt is held in 待审核, certainty is published (issue 17)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from xinwen.importer import confidence
from xinwen.importer.models import ImportRecord
from xinwen.news.models import Article

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("moment", "source", "score", "words"),
    [
        (datetime(2018, 3, 15, 9, 30, tzinfo=TZ), "structure", 1.0, "<time>"),
        (datetime(2018, 3, 15, 9, 30, tzinfo=TZ), "info", 0.9, "发布时间"),
        (datetime(2018, 3, 15, 9, 30, tzinfo=TZ), "under_heading", 0.7, "标题下方"),
        (datetime(2030, 1, 1, tzinfo=TZ), "structure", 0.3, "将来"),
        (datetime(1970, 1, 1, tzinfo=TZ), "info", 0.3, "1995"),
        (None, "info", 0.0, "没有找到"),
    ],
)
def test_a_dates_confidence_says_where_it_came_from(moment, source, score, words):
    sure = confidence.date_confidence(moment, source=source, raw="2018-03-15 09:30", now=NOW)
    assert sure.score == score and words in sure.evidence
    assert sure.certain == (score >= confidence.HOLD_BELOW)


def test_the_title_threshold_is_the_headlines_good_enough():
    from xinwen.importer.headline import GOOD_ENOUGH

    assert confidence.title_confidence(GOOD_ENOUGH, title="公司动态").certain
    assert not confidence.title_confidence(GOOD_ENOUGH - 1, title="公司动态").certain
    best = confidence.title_confidence(GOOD_ENOUGH + 6, title="职工技能比武决赛落幕", candidates=["职工技能比武决赛落幕_工会", "工会"])
    assert best.score == 1.0 and "「工会」" in best.evidence


@pytest.mark.parametrize(("chars", "images", "certain"), [(300, 0, True), (30, 0, True), (8, 1, True), (8, 0, False)])
def test_a_body_is_doubted_only_when_almost_nothing_was_found(chars, images, certain):
    assert confidence.body_confidence(chars, images=images).certain == certain


PAGE = """<html><head><meta charset="utf-8"><title>{title}_滨江社区</title></head><body>
<div class="position">当前位置：首页 &gt; {crumb}</div><h1>{title}</h1><div class="info">来源：社区居委会　发布时间：2023-05-06 10:00</div>
<div class="content"><p>本周六上午，社区组织居民开展消防演练，消防站的教员讲解了灭火器的使用方法，居民们轮流上手操作。</p></div></body></html>"""


@pytest.mark.django_db
def test_only_certain_articles_are_published_and_the_report_and_admin_show_the_evidence(tree, tmp_path, client, editor):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "1.html").write_text(PAGE.format(title="社区开展消防演练", crumb="新闻中心 &gt; 公司新闻"), encoding="utf-8")
    (folder / "2.html").write_text(PAGE.format(title="社区举办读书分享会", crumb="社区动态 &gt; 楼道新闻"), encoding="utf-8")
    report = tmp_path / "r.json"

    call_command("import", str(folder), "--offline", "--category", "company", "--status", "published", "--no-progress",
                 "--report", str(report), stdout=io.StringIO())  # fmt: skip

    rows = {row["title"]: row for row in json.loads(report.read_text(encoding="utf-8"))}
    certain, doubtful = rows["社区开展消防演练"], rows["社区举办读书分享会"]
    assert certain["confidence"]["category"]["score"] == 1.0 and certain["confidence"]["date"]["score"] == 0.9
    assert doubtful["confidence"]["category"]["score"] < confidence.HOLD_BELOW
    assert "楼道新闻" in doubtful["confidence"]["category"]["evidence"]
    assert Article.objects.get(title="社区开展消防演练").status == Article.Status.PUBLISHED
    held = Article.objects.get(title="社区举办读书分享会")
    assert held.status == Article.Status.REVIEW
    assert any("栏目不确定" in flag.message for flag in held.import_record.flags.all())

    client.force_login(editor)
    listing = client.get(reverse("admin:importer_importrecord_changelist")).content.decode()
    assert "可信度" in listing and 'class="certainty-low"' in listing and "栏目 0.4" in listing
    assert ImportRecord.objects.filter(review=ImportRecord.Review.PENDING).count() == 1
