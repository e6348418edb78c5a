"""A generated corpus of legacy detail pages in three template families, with what each page must become.

PbootCMS (from `pboot_site`), DedeCMS's default article template (place/viewbox/info
with <small> labels, the click counter as a script, 收藏/挑错/推荐/打印) and a government
site-group (TRS) template (您现在的位置, 【字体：大 中 小】, 【打印本页】【关闭窗口】, 主办/承办 footer).
Every page is written for the tests (own text) and varied from a seeded generator:
hijacked <title>, leaked pinyin, an escaped markup line above the headline, a hidden
link block, 记者 before the author, Chinese dates, captioned pictures.
"""

from __future__ import annotations

import random
from html import escape

from xinwen.importer.tests.pboot_site import SENTENCES, SPAM, SUBJECTS, ACTIONS, AUTHORS, Expected, leaky, pboot_site

__all__ = ["corpus"]

DEDE_SECTIONS = [("company", "公司新闻"), ("industry", "行业动态"), ("notice", "通知公告")]
GOV_SECTIONS = [("gzdt", "工作动态"), ("tzgg", "通知公告"), ("bmdt", "部门动态")]
GOV_SOURCES = ["区发展和改革局", "区政府办公室", "区教育局", "区卫生健康局", "街道办事处"]


def _spec(n: int, rng: random.Random, family: str) -> dict:
    """The article behind page n: its true fields and how the page shows them (damaged or not)."""
    title = f"{SUBJECTS[(n * 3) % len(SUBJECTS)]}{ACTIONS[(n * 7 + 1) % len(ACTIONS)]}（{family}第{n + 1}号）"
    paragraphs = ["".join(rng.sample(SENTENCES, 2)) for _ in range(rng.randint(2, 4))]
    year, month, day, hour, minute = 2016 + n % 8, 1 + (n * 5) % 12, 1 + (n * 3) % 28, 8 + n % 9, (n * 11) % 60
    spec = dict(
        n=n, title=title, paragraphs=paragraphs, date=f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}",
        shown_date=f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}", stamp=f"{year}{month:02d}", variation=[],
        author=AUTHORS[n % len(AUTHORS)], role="", title_tag=None, escaped="", injected="", leak=False, caption="",
    )  # fmt: skip
    if n % 4 == 1:
        spec["variation"].append("中文日期")
        spec["shown_date"] = f"{year}年{month:02d}月{day:02d}日 {hour:02d}:{minute:02d}"
    if n % 5 == 2:
        spec["variation"].append("记者")
        spec["role"] = "记者 "
    if n % 6 == 1:
        spec["variation"].append("标题被劫持")
        spec["title_tag"] = SPAM
    if n % 7 == 3:
        spec["variation"].append("拼音泄漏")
        spec["leak"] = True
    if n % 8 == 5:
        spec["variation"].append("转义标记")
        spec["escaped"] = "<p>&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td class=&quot;bt&quot;&gt;</p>"
    if n % 9 == 4:
        spec["variation"].append("注入链接")
        spec["injected"] = (
            '<p>&lt;div class="links"&gt;</p><div style="display:none">'
            + "".join(f'<a href="http://spam{k}.example/">{word}</a>' for k, word in enumerate(SPAM.split("_")))
            + "</div>"
        )
    if n % 3 == 0:
        spec["variation"].append("图片说明")
        spec["caption"] = f"图为{SUBJECTS[n % len(SUBJECTS)]}工作现场（摄影 {AUTHORS[(n + 2) % len(AUTHORS)]}）"
    return spec


def _shown(spec: dict, text: str) -> str:
    return leaky(text) if spec["leak"] else text


def _body(spec: dict, image: str) -> str:
    html = "".join(f"<p>{escape(_shown(spec, p))}</p>" for p in spec["paragraphs"])
    if spec["caption"]:
        html += f'<p style="text-align:center"><img src="{image}" alt=""></p><p style="text-align:center">{spec["caption"]}</p>'
    return html + spec["injected"]


def _dede(n: int, rng: random.Random) -> tuple[str, bytes, Expected]:
    spec = _spec(n, rng, "织梦")
    folder, name = DEDE_SECTIONS[n % len(DEDE_SECTIONS)]
    aid = 100 + n
    url = f"http://dede.example/a/news/{folder}/{spec['stamp'][:4]}/{spec['stamp'][4:]}{spec['date'][8:10]}/{aid}.html"
    source = ["本站", "集团办公室", "宣传部"][n % 3]
    title = _shown(spec, spec["title"])
    image = f"/uploads/allimg/{spec['stamp']}/{aid}-1.jpg"
    info = _shown(spec, f"<small>时间:</small>{spec['shown_date']}<small>来源:</small>{source}<small>作者:</small>{spec['role']}{spec['author']}")
    author = spec["author"]
    if n % 10 == 7:  # a customised template prints only the date under the headline
        spec["variation"].append("裸日期")
        info, source, author = spec["shown_date"], "", ""
    intro = ""
    if n % 10 == 3:  # DedeCMS's 摘要 block, cut mid-word: never the title
        spec["variation"].append("导读")
        intro = f'<div class="intro">[导读]{escape(spec["paragraphs"][0][:18])}…</div>'

    html = (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f'<title>{escape(spec["title_tag"] or title + "_" + name + "_华信集团")}</title>'
        '<meta name="keywords" content="华信集团"><link href="/templets/default/style/dedecms.css" rel="stylesheet"></head><body>'
        '<div class="header"><div class="top w960 center"><div class="title"><h1><a href="/"><img src="/templets/default/images/logo.gif" alt="华信集团"></a></h1></div>'
        '<div class="banner"></div></div><div class="nav w960 center"><ul><li><a href="/">主页</a></li><li><a href="/a/news/">新闻中心</a></li>'
        '<li><a href="/a/about/">集团概况</a></li><li><a href="/a/contact/">联系我们</a></li></ul></div></div>'
        f'<div class="w960 center clear mt1"><div class="pleft">{spec["escaped"]}'
        f"<div class=\"place\"><strong>当前位置:</strong> <a href='/'>主页</a> &gt; <a href='/a/news/'>新闻中心</a> &gt; <a href='/a/news/{folder}/'>{name}</a> &gt; </div>"
        f'<div class="viewbox"><div class="title"><h2>{escape(title)}</h2></div>'
        f'<div class="info">{info}<small>点击:</small><script src="/plus/count.php?view=yes&amp;aid={aid}&amp;mid=1"></script>次</div>{intro}'
        f'<div class="content"><table width="100%"><tr><td>{_body(spec, image)}</td></tr></table></div>'
        '<div class="boxoff"><strong>------分隔线----------------------------</strong></div>'
        f"<div class=\"handle\"><div class=\"context\"><ul><li>上一篇：<a href='/a/news/{folder}/{aid - 1}.html'>上一条新闻</a></li><li>下一篇：没有了 </li></ul></div>"
        f'<div class="actbox"><ul><li id="act-fav"><a href="/plus/stow.php?aid={aid}">收藏</a></li><li id="act-err"><a href="/plus/erraddsave.php?aid={aid}">挑错</a></li>'
        f'<li id="act-pus"><a href="/plus/recommend.php?aid={aid}">推荐</a></li><li id="act-pnt"><a href="#">打印</a></li></ul></div></div></div></div>'
        '<div class="pright"><div class="commend"><dl class="tbox"><dt><strong>推荐内容</strong></dt><dd><ul class="d4">'
        "<li><a href='/a/news/company/1.html'>华信集团二〇二三年工作会议召开</a></li><li><a href='/a/news/company/2.html'>集团荣获省级文明单位称号</a></li></ul></dd></dl></div></div></div>"
        '<div class="footer w960 center mt1 clear"><div class="footer_body"><p class="powered">Powered by <a href="http://www.dedecms.com">DedeCMS</a></p>'
        "<div class=\"copyright\">Copyright &copy; 2002-2023 华信集团 版权所有</div></div></div></body></html>"
    )
    expected = Expected(path=url, title=spec["title"], category=["新闻中心", name], source=source, author=author,
                        date=spec["date"], views=0, paragraphs=spec["paragraphs"], images=1 if spec["caption"] else 0,
                        captions=[spec["caption"]] if spec["caption"] else [], variation=spec["variation"])  # fmt: skip
    return url, html.encode("utf-8"), expected


def _gov(n: int, rng: random.Random) -> tuple[str, bytes, Expected]:
    spec = _spec(n, rng, "政务")
    folder, name = GOV_SECTIONS[n % len(GOV_SECTIONS)]
    stamp = spec["stamp"]
    url = f"http://gov.example/xwzx/{folder}/{stamp}/t{stamp}{spec['date'][8:10]}_{700000 + n}.html"
    source = GOV_SOURCES[n % len(GOV_SOURCES)]
    views = 20 + (n * 53) % 3000
    crumb = f'<a href="../../">首页</a> &gt; <a href="../">新闻中心</a> &gt; <a href="./">{name}</a>'
    if n % 10 == 8:  # the site group prints the column twice
        spec["variation"].append("重复栏目")
        crumb += f' &gt; <a href="./">{name}</a>'
    editor = ""
    if n % 10 == 6:  # 图片新闻: a picture, its caption and the editor line, no other text
        spec["variation"].append("图片新闻")
        spec["paragraphs"] = []
        spec["caption"] = spec["caption"] or f"城南区{SUBJECTS[n % len(SUBJECTS)]}开展志愿服务（摄影 {AUTHORS[n % len(AUTHORS)]}）"
        editor = f"<p>（责任编辑：{AUTHORS[(n + 3) % len(AUTHORS)]}）</p>"
    title = _shown(spec, spec["title"])
    info = _shown(spec, f"<span>发布时间：{spec['shown_date']}</span><span>来源：{source}</span>")
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<title>{escape(spec["title_tag"] or title + "_" + name + "_城南区人民政府")}</title>'
        f'<meta name="ArticleTitle" content="{escape(title)}"><meta name="ColumnName" content="{name}">'
        '<meta name="SiteName" content="城南区人民政府"></head><body>'
        '<div class="top-bar"><span>欢迎访问城南区人民政府网站</span><a href="/user/login">登录</a> | <a href="/user/reg">注册</a><a href="/wza/">无障碍浏览</a><a href="/yzzt/">长者模式</a></div>'
        '<div class="header"><img src="/images/logo.png" alt="城南区人民政府"><form action="/search/"><label class="search-tit">站内搜索</label><input name="q"><button>搜索</button></form></div>'
        '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/zwgk/">政务公开</a></li>'
        '<li><a href="/zmhd/">政民互动</a></li></ul></div>'
        f'<div class="container">{spec["escaped"]}<div class="location">您现在的位置：{crumb}</div>'
        f'<div class="article"><h1 class="article-title">{escape(title)}</h1>'
        f'<div class="article-info">{info}<span>浏览次数：{views}</span>'
        '<span>【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span></div>'
        f'<div class="article-con"><div class="TRS_Editor">{_body(spec, f"./{stamp}/W0{700000 + n}.jpg")}{editor}</div></div>'
        '<div class="article-foot"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div></div>'
        '<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div></div>'
        '<div class="footer"><p>主办：城南区人民政府办公室　承办：城南区大数据中心</p><p>网站标识码：0000000000　备案号：ICP备00000000号</p>'
        "<p>地址：城南区政府路1号　联系电话：0000-00000000</p></div></body></html>"
    )
    expected = Expected(path=url, title=spec["title"], category=["新闻中心", name], source=source,
                        author="", date=spec["date"], views=views,
                        paragraphs=spec["paragraphs"], images=1 if spec["caption"] else 0,
                        captions=[spec["caption"]] if spec["caption"] else [], variation=spec["variation"])  # fmt: skip
    return url, html.encode("utf-8"), expected


def corpus(per_family: int = 40, *, seed: int = 117) -> dict[str, list[tuple[str, bytes, Expected]]]:
    """Pages per template family: [(URL, bytes, expected)]; 3 × per_family pages in all."""
    rng = random.Random(seed)
    pages, expected = pboot_site(per_family, seed=seed)
    pboot = [(f"http://pb.example{e.path}", pages[e.path], e) for e in expected]
    return {
        "PbootCMS": pboot,
        "DedeCMS": [_dede(n, rng) for n in range(per_family)],
        "政府站群": [_gov(n, rng) for n in range(per_family)],
    }
