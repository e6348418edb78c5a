"""Pages in the shapes of the systems sites leave (WordPress, PbootCMS, DedeCMS, hand-made): the article, not the template.

The fixtures in sites/ are written for the project (own text) in each system's template
structure; manifest.json says what each must become, or why it is no article.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinwen.importer.errors import SkippedPage
from xinwen.importer.pipeline import Source, page_prepare
from xinwen.importer.tests.corpus_check import visible

SITES = Path(__file__).resolve().parent / "sites"
MANIFEST = json.loads((SITES / "manifest.json").read_text(encoding="utf-8"))
TZ = ZoneInfo("Asia/Shanghai")


def prepare(data: bytes, url: str):
    return page_prepare(Source(ref=url, kind="html", data=data, url=url), tz=TZ)


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_each_template_page_becomes_what_it_should(entry):
    data = (SITES / entry["file"]).read_bytes()
    if "skip" in entry:
        with pytest.raises(SkippedPage) as skipped:
            prepare(data, entry["url"])
        assert entry["skip"] in str(skipped.value)
        return
    page = prepare(data, entry["url"])
    report = page.report()
    actual = {name: report[name] for name in ("title", "category", "source", "author", "hold")}
    actual.update(date=report["publish_at"], views=report["view_count"])
    assert actual == {name: entry[name] for name in actual}
    if entry.get("reason"):
        assert any(entry["reason"] in line for line in report["flagged"])
    body = visible(page.body_html)
    assert [text for text in entry["body_contains"] if text not in body] == []
    assert [text for text in entry.get("body_not_contains", []) if text in page.body_html] == []


# Sentences in which 记者/通讯员/作者/时间/来源 are ordinary words, never labels.
FRAGMENTS = [
    "王师傅告诉记者", "他年轻时就在这里做车工", "街道通讯员介绍", "改造工程历时两年", "时间过得真快", "来源于居民的建议",
    "作者本人也到场", "摄影爱好者常来取景", "浏览了展板上的老照片", "日期定在下月", "编辑部收到来信", "点击量不是目的",
]  # fmt: skip
sentence = st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=5).map(lambda parts: "，".join(parts))
ending = st.sampled_from(["。", "！", "", "。”"])
paragraph = st.tuples(sentence, ending).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(paragraph, min_size=1, max_size=6, unique=True))
def test_no_body_paragraph_disappears_to_fill_a_metadata_field(paragraphs):
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = (
        "<html><head><meta charset='utf-8'><title>老厂房里的新生活</title></head><body>"
        "<h1>老厂房里的新生活</h1><div class='info'>来源：本站　发布时间：2018-03-15</div>"
        f"<div class='content'>{body}</div></body></html>"
    )
    page = prepare(html.encode(), "http://wp.example/news/1.html")

    text = visible(page.body_html)
    assert [p for p in paragraphs if p.replace(" ", "") not in text] == []
    assert page.author == ""  # no sentence fragment became an author
