"""What a site's template repeats is learned from its pages and only that leaves the body (see `boilerplate`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from xinwen.importer.boilerplate import boilerplate_learn
from xinwen.importer.pipeline import Source, page_prepare, strip_tags

TZ = ZoneInfo("Asia/Shanghai")
WIDGET = "<p><a href='http://wpa.qq.com/msgrd?uin=1'>售前咨询专员</a><img src='/img/qq.gif'></p>"


def page(n: int, body: str) -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><title>第{n}条新闻</title></head><body>"
        "<div class='nav'><a href='/'>首页</a><a href='/news/'>新闻中心</a></div>"
        f"<h1>第{n}条新闻：园区举办开放日</h1><div class='info'>来源：本站　发布时间：2023-05-0{n}</div>"
        f"<div class='content'>{body}{WIDGET}<p>本站文章转载请注明出处。</p></div></body></html>"
    ).encode()


def pages(count: int) -> list[tuple[bytes, str, str]]:
    return [(page(n, f"<p>第{n}条新闻的正文，介绍了开放日当天的活动安排和参观路线。</p>"), "", f"http://a.example/news/{n}.html")
            for n in range(1, count + 1)]  # fmt: skip


def test_blocks_on_most_pages_are_learned_and_one_pages_own_are_not():
    template = boilerplate_learn(pages(5))

    assert template.pages == 5
    assert template.is_text("售前咨询专员") and template.is_text("本站文章转载请注明出处。")
    assert template.is_image("/img/qq.gif", "http://a.example/news/9.html")
    assert not template.is_text("第1条新闻的正文，介绍了开放日当天的活动安排和参观路线。")


def test_two_pages_teach_nothing():
    assert not boilerplate_learn(pages(2))


def test_the_template_leaves_the_body_and_a_word_inside_a_sentence_stays():
    template = boilerplate_learn(pages(5))
    # With a figure the CMS's own container is read (trafilatura would drop the caption), inline markup and all.
    body = ("<p>本届开放日由<strong>新闻中心</strong>主办，园区二十家企业参加，吸引了上千名市民前来参观。</p>"
            "<figure><img src='/up/7.jpg'><figcaption>开放日现场</figcaption></figure>")
    data = page(7, body)

    prepared = page_prepare(Source(ref="http://a.example/news/7.html", kind="html", data=data, url="http://a.example/news/7.html",
                                   template=template), tz=TZ)  # fmt: skip

    text = strip_tags(prepared.body_html)
    assert "本届开放日由新闻中心主办" in text and "开放日现场" in text
    assert "售前咨询专员" not in text and "转载请注明出处" not in text and "qq.gif" not in prepared.body_html
