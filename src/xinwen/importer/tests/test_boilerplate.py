"""What a site's template repeats is learned from its pages and only that leaves the body (see `boilerplate`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


FRAGMENTS = ["园区举办开放日", "新闻中心", "售前咨询", "本站文章", "转载请注明出处", "首页", "市民参观了实验室", "二十家企业参加",
             "活动持续三天", "第1条新闻"]  # fmt: skip
paragraph = st.lists(st.sampled_from(FRAGMENTS), min_size=2, max_size=5).map("，".join).map(lambda text: text + "。")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(paragraph, min_size=1, max_size=5, unique=True))
def test_no_paragraph_of_an_article_is_taken_for_the_template(paragraphs):
    """Only what the site repeats leaves: paragraphs made of the template's own words all stay."""
    template = boilerplate_learn(pages(5))
    data = page(8, "".join(f"<p>{text}</p>" for text in paragraphs))

    prepared = page_prepare(Source(ref="http://a.example/news/8.html", kind="html", data=data, url="http://a.example/news/8.html",
                                   template=template), tz=TZ)  # fmt: skip

    text = strip_tags(prepared.body_html).replace(" ", "")
    assert [p for p in paragraphs if p not in text] == []
