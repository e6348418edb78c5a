"""One page through decode → repair → extract → judge, for the cases the corpus does not spell out."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from xinwen.importer.errors import ImportFailed
from xinwen.importer.pipeline import Flag, Page, Source, page_prepare
from xinwen.importer.runner import import_run
from xinwen.importer.services import ImportOptions
from xinwen.importer.sources import Item

TZ = ZoneInfo("Asia/Shanghai")
BODY = "<p>会议总结了上半年的工作，分析了当前面临的形势，部署了下半年的重点任务，要求各单位抓好落实。</p>"


def prepare(html: str, *, kind: str = "html"):
    return page_prepare(Source(ref="http://www.dfzl.example/news/9.html", kind=kind, data=html.encode(), url="http://www.dfzl.example/news/9.html"), tz=TZ)


def page(*, title="公司召开年中工作会议_新闻中心", head="", body=BODY, info="发布时间：2024-07-01　点击：12"):
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
            f"<div class='position'>当前位置：首页 &gt; 新闻中心 &gt; 正文</div><h1>公司召开年中工作会议</h1>"
            f"<div class='info'>{info}</div><div class='content'>{body}</div></body></html>")  # fmt: skip


def test_a_cloaking_script_is_a_sign_of_hijack():
    result = prepare(page(head="<script>if(document.referrer.indexOf('baidu')>-1){location.href='http://spam.example/'}</script>"))
    hijack = [f for f in result.flags if f.kind == "hijack"]
    assert hijack and "跳转脚本" in hijack[0].message


def test_a_title_that_is_only_the_site_name_is_not_a_hijack():
    result = prepare(page(title="东方智联装备集团"))
    assert not [f for f in result.flags if f.kind == "hijack"] and result.rejected_title == ""


def test_the_editor_note_at_the_end_of_the_body_becomes_the_responsible_editor():
    result = prepare(page(body=BODY + "<p>（责任编辑：张敏）</p>"))
    assert result.editor == "张敏" and "责任编辑" not in result.body_html


def test_a_description_of_its_own_is_the_summary_and_the_cms_cut_of_the_body_is_not():
    own = prepare(page(head='<meta name="description" content="年中工作会议部署下半年五项重点任务。">'))
    cut = prepare(page(head='<meta name="description" content="会议总结了上半年的工作，分析了当前面临的形势">'))
    spam = prepare(page(head='<meta name="description" content="百家乐娱乐城时时彩">'))
    assert own.summary == "年中工作会议部署下半年五项重点任务。"
    assert cut.summary == "" and spam.summary == ""


def test_a_page_without_a_date_gets_no_invented_date_and_is_held():
    result = prepare(page(info="来源：本站　作者：王晓明"))
    assert result.publish_at is None
    assert [f.kind for f in result.flags] == ["extraction"]
    assert result.hold and "没有找到发布时间" in result.flags[0].message


def test_a_short_notice_falls_back_to_the_cms_content_container():
    result = prepare(page(body="<p>定于7月5日召开会议。</p>"))
    assert "定于7月5日召开会议" in result.body_html


def test_a_page_whose_only_title_is_a_hijacked_one_is_refused():
    html = "<html><head><title>百家乐_娱乐城_时时彩_六合彩_真人娱乐</title></head><body><div class='content'>" + BODY + "</div></body></html>"
    with pytest.raises(ImportFailed, match="劫持"):
        prepare(html)


def test_a_page_that_hangs_is_stopped_and_the_rest_goes_on(db, tree, monkeypatch):
    from xinwen.importer import runner

    real = runner.page_prepare

    def slow(source, *, tz):
        if "slow" in source.ref:
            time.sleep(2)
        return real(source, tz=tz)

    monkeypatch.setattr(runner, "page_prepare", slow)
    items = [
        Item(ref, lambda ref=ref: Source(ref=ref, kind="html", data=page().encode(), url=ref))
        for ref in ("http://a.example/slow.html", "http://a.example/fast.html")
    ]

    summary = import_run(items, options=ImportOptions(default_category=tree["root"]), tz=TZ, page_timeout=0.5)

    assert [row["status"] for row in summary.rows] == ["failed", "created"]
    assert "处理超过" in summary.rows[0]["error"]


def test_the_content_hash_is_the_one_earlier_imports_stored():
    # Records of earlier imports keep this digest: a new one would count every page as changed.
    found = Page(ref="http://www.dfzl.example/news/1.html", old_path="/news/1.html", kind="html", encoding="gbk",
                 title="公司召开年中工作会议", category_path=["新闻中心", "公司新闻"], author="王晓明", view_count=12,
                 publish_at=datetime(2024, 7, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), body_html="<p>会议</p>",
                 images=["/uploads/1.jpg"], attachments=[("/uploads/1.pdf", "通知")], local_dir="/old",
                 flags=[Flag("hijack", "标题已拒绝", repaired=True, detail={"count": 1})],
                 confidence={"title": {"score": 1.0, "evidence": ""}})  # fmt: skip
    # Their pages had no also_in and tags fields yet (added with cross-listing): a page without either hashes as then.
    data = {k: v for k, v in asdict(found).items() if k not in {"flags", "local_dir", "confidence", "also_in", "tags"}}
    stored = hashlib.sha256(json.dumps(data, default=str, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    assert found.content_hash == stored
    found.flags, found.local_dir, found.confidence = [], "/new", {}
    assert found.content_hash == stored
    found.tags = ["年中会议"]
    assert found.content_hash != stored  # and a page that now carries tags is a changed page
