"""Properties the importer keeps whatever a page holds (hypothesis): furniture never becomes the title, nothing raises."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinwen.importer.errors import ImportFailed
from xinwen.importer.pipeline import Source, page_prepare

TZ = ZoneInfo("Asia/Shanghai")
TITLE = "南湖片区雨污分流改造进入收尾阶段"

# Lines a template or a damaged extraction puts above the headline.
FURNITURE = [
    '<div class="top"><a href="/login">登录</a> / <a href="/reg">注册</a> 购物车(0)</div>',
    '<form class="search"><input placeholder="请输入关键词"><button>搜索</button></form>',
    '<div class="nav"><a href="/">网站首页</a><a href="/news/">新闻中心</a><a href="/about/">关于我们</a></div>',
    '<div class="banner"><h1>公司动态</h1><p>精于工艺 诚于服务</p></div>',
    "<p>http://www.old-site.example/news/2022/1103/315.html</p>",
    "<p>" + escape('<div class="title"><b>广告位招租</b></div>') + "</p>",
    "<h2>[导读] 南湖片区雨污分流改造工程已完成管网…</h2>",
    "<div class='notice'>联系我们：service@old-site.example 电话 0000-0000000</div>",
    "<h3>热门文章</h3>",
    '<div class="position">当前位置：首页 &gt; 新闻中心 &gt; 公司新闻</div>',
]


def page(before: list[str]) -> bytes:
    return (
        "<html><head><meta charset='utf-8'><title>" + TITLE + "_清源水务</title></head><body>" + "".join(before)
        + f"<h1>{TITLE}</h1><div class='info'>发布时间：2022-11-03 16:40　来源：工程管理部</div>"
        + "<div class='content'><p>南湖片区雨污分流改造工程已完成全部十二公里管网的铺设，目前正在进行路面恢复和检查井加固。</p>"
        + "<p>完工后，南湖的入湖污染负荷将明显下降，汛期路面积水的问题也会得到缓解。</p></div></body></html>"
    ).encode()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=st.lists(st.sampled_from(FURNITURE), max_size=6))
def test_furniture_url_lines_and_escaped_markup_before_the_headline_do_not_change_the_title(before):
    url = "http://qy.example/news/gsxw/2022-11-03/315.html"
    result = page_prepare(Source(ref=url, kind="html", data=page(before), url=url), tz=TZ)

    assert result.title == TITLE
    assert result.publish_at is not None and not result.hold


def _survives(data: bytes, kind: str) -> None:
    entry = None
    if kind == "entry":
        text = data.decode("utf-8", "replace")
        entry = {"title": text[:40], "body_html": text, "categories": [text[:10]], "published": text[:20], "author": text[:8]}
    try:
        page_prepare(Source(ref="http://x.example/a/1.html", kind=kind, data=data, url="http://x.example/a/1.html", entry=entry), tz=TZ)
    except ImportFailed as exc:
        assert str(exc)  # refused with a reason a person can act on


html_pieces = st.sampled_from([
    "<html>", "<body>", "<h1>", "</h1>", "<p>", "</p>", "<div class='content'>", "</div>", "<table><tr><td>", "</td></tr></table>",
    "当前位置：首页 > 新闻", "发布时间：2021-04-13", "来源：", "作者：记者 李四", "浏览次数：12", "著(zhe)", "當(dāng)前",
    "<img src='a.jpg '>", "<!--nextpage-->", "[caption]x[/caption]", "<script>location='//x'</script>", "&#257;", "\x00", "\ufffd",
    "<time datetime='2018-03-15T09:30:00+08:00'>", "<a href='/a/1_2.html'>2</a>", "公司动态", "<h2>", "</h2>",
])  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(html_pieces | st.text(max_size=30), max_size=40), kind=st.sampled_from(["html", "text", "entry"]))
def test_no_page_makes_the_importer_raise(pieces, kind):
    _survives("".join(pieces).encode("utf-8", "surrogatepass"), kind)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), kind=st.sampled_from(["html", "text"]))
def test_no_bytes_make_the_importer_raise(data, kind):
    _survives(data, kind)
