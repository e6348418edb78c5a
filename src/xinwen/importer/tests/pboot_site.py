"""A legacy site in the shape of PbootCMS's default template, written for the tests (own text), with what each page must become.

`pboot_site(count)` returns the site's pages by request path (PbootCMS's default
"compatible" URL style: lists `/?company/`, `/?company_2/`, articles `/?company/9.html`,
a section without a URL name `/?news_12/345.html`) and the expected article of every
detail page. The template furniture is PbootCMS's: the navbar, the jumbotron banner
with the section name and slogan, the breadcrumb, the centred meta line, 上一篇/下一篇,
the floating 在线咨询 widget and the footer with contact lines. Variations are drawn
from a seeded generator so a failure names a page that can be looked at again:
hijacked `<title>`, leaked pinyin from a character-by-character conversion, an escaped
markup line above the headline, single-digit ids, captions, galleries, PDFs, short
notices, a customised meta line with 来源 and 记者 before the author's name.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from html import escape

__all__ = ["Expected", "SECTIONS", "pboot_site", "leaky"]

SITE = "云岭精密机械有限公司"
# (URL name, name, parent URL name): 新闻中心 holds three sections; 通知公告 has no URL name, so PbootCMS uses its code.
SECTIONS = [
    ("company", "公司动态", "news"),
    ("industry", "行业资讯", "news"),
    ("news_12", "通知公告", "news"),
]
PER_LIST = 10
SENTENCES = [
    "公司召开专题会议，研究部署下一阶段生产经营重点工作，要求各部门细化措施、压实责任。",
    "新投用的五轴加工中心运行平稳，关键零件的加工精度提高到两微米以内，返工率明显下降。",
    "技术中心与高校联合开展轴承材料攻关，已完成三轮台架试验，各项指标达到设计要求。",
    "安全环保部组织开展汽修车间隐患排查，对发现的问题逐项登记，明确整改时限和责任人。",
    "青年技能比武吸引了六十余名职工参加，比赛设置数控车、装配钳工和质量检验三个项目。",
    "公司党委深入基层班组走访调研，听取一线职工对食堂、宿舍和通勤班车的意见建议。",
    "营销团队走访华南地区重点客户，围绕产品交付周期和售后响应速度征求改进意见。",
    "质量部发布季度质量分析报告，主要产品一次交检合格率同比提高一点八个百分点。",
    "新员工入职培训为期两周，内容包括企业文化、安全规程、精益生产和岗位实操。",
    "公司向山区学校捐赠图书和体育器材，二十名青年志愿者为孩子们上了一堂科普课。",
    "行业协会发布年度发展报告，指出精密零部件国产化率持续提升，中高端市场仍有缺口。",
    "业内专家认为，数字化车间改造的关键在于数据贯通，而不是简单地更换设备。",
]  # fmt: skip
SUBJECTS = ["数控车间", "技术中心", "装配分厂", "质量部", "营销中心", "团委", "工会", "安全环保部", "研发团队", "物流中心"]
ACTIONS = ["召开年度工作会议", "完成设备升级改造", "开展技能比武活动", "组织消防应急演练", "通过体系认证复审", "举办开放日活动",
           "启动数字化转型项目", "签订战略合作协议", "表彰优秀班组", "开展质量月活动"]  # fmt: skip
AUTHORS = ["王建华", "李晓梅", "赵磊", "陈思远", "刘芳"]
SOURCES = ["本站", "公司办公室", "党群工作部", "云岭日报"]
SPAM = "澳门新葡京娱乐场_真人百家乐官网_时时彩开奖直播_六合彩免费资料大全"
CHAT = (
    '<div class="online"><dl><dt><h3>在线咨询<span class="remove">×</span></h3>'
    '<p><a target="_blank" href="http://wpa.qq.com/msgrd?v=3&amp;uin=12345&amp;site=qq&amp;menu=yes">'
    '<img src="/template/default/images/qq.jpg" alt="QQ"><span>售前咨询专员</span></a></p>'
    '<p><a target="_blank" href="http://wpa.qq.com/msgrd?v=3&amp;uin=12346&amp;site=qq&amp;menu=yes">'
    '<img src="/template/default/images/qq.jpg" alt="QQ"><span>售后服务专员</span></a></p></dt>'
    "<dd>24小时免费咨询</dd><dd>请拨打 400-800-1234</dd></dl></div>"
)
FOOTER = (
    '<div class="footer mt-3 pt-5 border-top text-secondary bg-light"><div class="container"><div class="row pb-5">'
    '<div class="col-12 col-md-5"><h5>云岭精密</h5><ul class="lh-2"><li>营业执照：91530000000000000X</li>'
    "<li>办公地址：昆明市高新区科创路88号</li><li>服务热线：0871-6800 0000</li></ul></div>"
    '<div class="col-12 col-md-5"><h5>关注我们</h5><p>扫一扫，关注云岭精密官方微信公众号，了解最新动态。</p>'
    '<img src="/static/upload/image/wechat.png" alt="微信公众号"></div></div></div>'
    f'<div class="copyright border-top lh-3 text-center">Copyright © 2017-2023 {SITE} 版权所有 滇ICP备00000000号</div></div>'
)
# The template's own notice under every article (a customised content.html): furniture the crawl must learn.
NOTICE = "声明：本站部分图片来自企业拍摄，如需转载请注明出处，谢谢合作！"


@dataclass
class Expected:
    """What one detail page must become after the import."""

    path: str
    title: str
    category: list[str]
    source: str
    author: str
    date: str  # YYYY-MM-DD HH:MM in Asia/Shanghai
    views: int
    paragraphs: list[str]
    images: int = 0
    attachments: int = 0
    captions: list[str] = field(default_factory=list)
    variation: list[str] = field(default_factory=list)


def leaky(text: str) -> str:
    """Text as a botched Simplified→Traditional conversion leaves it: every changed character followed by its pinyin."""
    from pypinyin import Style, pinyin

    from xinwen.hanzi.convert import opencc_converter

    s2t = opencc_converter("s2t")
    out = []
    for char in text:
        trad = s2t.convert(char)
        out.append(f"{trad}({pinyin(char, style=Style.TONE)[0][0]})" if trad != char else char)
    return "".join(out)


def _jpeg(n: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), ((n * 40) % 256, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def _nav() -> str:
    items = [("/", "首页"), ("/?aboutus/", "关于我们"), ("/?news/", "新闻中心"), ("/?product/", "产品中心"),
             ("/?case/", "客户案例"), ("/?contact/", "联系我们")]  # fmt: skip
    links = "".join(f'<li class="nav-item"><a class="nav-link" href="{href}">{name}</a></li>' for href, name in items)
    return (
        '<nav class="navbar navbar-expand-lg navbar-light bg-light fixed-top"><div class="container">'
        f'<a class="navbar-brand" href="/"><img src="/static/upload/image/logo.png" alt="{SITE}"></a>'
        f'<ul class="navbar-nav">{links}</ul></div></nav><div class="head-sm-height"></div>'
    )


def _banner(name: str) -> str:
    return (
        '<div class="jumbotron jumbotron-fluid mb-2" style="background:#e33a3d url(/static/upload/image/banner.jpg)">'
        f'<div class="container text-light"><h1 class="fs-18 fs-sm-26 wow fadeInDown">{name}</h1>'
        '<p class="fs-14 fs-sm-18 wow fadeInDown">精益求精 · 行稳致远</p></div></div>'
    )


def _page(title: str, body: str, *, keywords: str = "") -> str:
    return (
        '<!doctype html><html lang="zh-cn"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">'
        f"<title>{title}</title><meta name=\"keywords\" content=\"{keywords or '精密机械,数控加工'}\">"
        '<link rel="stylesheet" href="/template/default/bootstrap/css/bootstrap.min.css"></head><body>'
        f"{_nav()}{body}{CHAT}{FOOTER}"
        '<script src="/template/default/js/jquery-1.12.4.min.js"></script></body></html>'
    )


def _url(section: str, number: int) -> str:
    return f"/?{section}/{number}.html"


def _list_url(section: str, page: int) -> str:
    return f"/?{section}/" if page == 1 else f"/?{section}_{page}/"


def _page_bar(section: str, page: int, pages: int, total: int) -> str:
    numbers = "".join(
        f'<a href="{_list_url(section, n)}" class="page-num{" page-num-current" if n == page else ""}">{n}</a>' for n in range(1, pages + 1)
    )
    nxt = _list_url(section, page + 1) if page < pages else "javascript:;"
    pre = _list_url(section, page - 1) if page > 1 else "javascript:;"
    return (
        f'<div class="text-center"><span class="page-status">共{total}条 当前{page}/{pages}页</span>'
        f'<span class="page-index"><a href="{_list_url(section, 1)}">首页</a></span>'
        f'<span class="page-pre"><a href="{pre}">前一页</a></span><span class="page-numbar">{numbers}</span>'
        f'<span class="page-next"><a href="{nxt}">后一页</a></span>'
        f'<span class="page-last"><a href="{_list_url(section, pages)}">尾页</a></span></div>'
    )


def _list_pages(section: str, name: str, crumb: str, rows: list[tuple[str, str, str]]) -> dict[str, str]:
    pages = max(1, -(-len(rows) // PER_LIST))
    out = {}
    for page in range(1, pages + 1):
        chunk = rows[(page - 1) * PER_LIST : page * PER_LIST]
        items = "".join(
            f'<li class="lh-3"><a href="{href}"><i class="fa fa-sort-amount-asc"></i> {escape(title)}</a>'
            f'<span class="badge">{date}</span></li>'
            for href, title, date in chunk
        )
        body = (
            f'{_banner(name)}<div class="container pages"><div class="position mb-3">当前位置：{crumb}</div>'
            f'<ul class="list-unstyled">{items}</ul>{_page_bar(section, page, pages, len(rows))}</div>'
        )
        out[_list_url(section, page)] = _page(f"{name}-{SITE}", body)
    return out


def pboot_site(count: int = 30, *, seed: int = 17) -> tuple[dict[str, bytes], list[Expected]]:
    """The pages of a PbootCMS site with `count` articles over three sections, and each article's expected import."""
    rng = random.Random(seed)
    pages: dict[str, str] = {}
    binary: dict[str, bytes] = {}
    expected: list[Expected] = []
    by_section: dict[str, list[tuple[str, str, str]]] = {s: [] for s, _, _ in SECTIONS}
    crumb_root = '<a href="/">首页</a> &gt; <a href="/?news/">新闻中心</a>'
    for n in range(count):
        section, name, _ = SECTIONS[n % len(SECTIONS)]
        number = 1 + n if section != "news_12" else 300 + n  # single-digit ids first, then two and three digits
        path = _url(section, number)
        variation: list[str] = []
        title = f"{SUBJECTS[n % len(SUBJECTS)]}{ACTIONS[(n // len(SUBJECTS) + n) % len(ACTIONS)]}（第{n + 1}期）"
        # Two sentences a paragraph: a body paragraph is the article's own, never repeated across the site.
        paragraphs = ["".join(rng.sample(SENTENCES, 2)) for _ in range(rng.randint(2, 4) if n % 11 != 5 else 1)]
        if n % 11 == 5:
            variation.append("短通知")
        author = AUTHORS[n % len(AUTHORS)]
        source = SOURCES[n % len(SOURCES)] if n % 2 else ""
        month, day, hour = 1 + n % 12, 1 + n % 28, 8 + n % 10
        year = 2019 + n % 5
        date = f"{year}-{month:02d}-{day:02d} {hour:02d}:{(n * 7) % 60:02d}"
        views = 30 + (n * 37) % 2000
        role = "记者 " if n % 5 == 2 else ""
        if role:
            variation.append("记者")
        shown_date, views_label = date, "浏览"
        if n % 5 == 4:
            variation.append("中文日期")
            shown_date = f"{year}年{month:02d}月{day:02d}日 {hour:02d}:{(n * 7) % 60:02d}"
        if n % 6 == 3:
            variation.append("点击")
            views_label = "点击"
        meta_parts = ([f"来源：{source}"] if source else []) + [f"作者：{role}{author}", f"时间：{shown_date}", f"{views_label}：{views}次"]
        meta_line = " &nbsp;&nbsp;".join(meta_parts)
        shown_title, shown_meta, shown_paragraphs = title, meta_line, list(paragraphs)
        if n % 7 == 3:
            variation.append("拼音泄漏")
            shown_title, shown_meta = leaky(title), leaky(meta_line)
            shown_paragraphs = [leaky(p) for p in paragraphs]
        title_tag = f"{shown_title}-{SITE}"
        if n % 6 == 1:
            variation.append("标题被劫持")
            title_tag = SPAM
        media, images, attachments, captions = "", 0, 0, []
        stamp = f"{year}{month:02d}{day:02d}"
        if n % 4 == 0:
            caption = f"图为{SUBJECTS[n % len(SUBJECTS)]}现场（摄影 {AUTHORS[(n + 1) % len(AUTHORS)]}）"
            media += (
                f'<p style="text-align:center"><img src="/static/upload/image/{stamp}/{n}a.jpg " title="{n}a.jpg" alt="现场"></p>'
                f'<p style="text-align:center">{caption}</p>'
            )
            images, captions = images + 1, [*captions, caption]
            variation.append("图片说明")
        if n % 9 == 4:
            names = [f"{n}g{k}.jpg" for k in range(3)]
            media += "".join(f'<p style="text-align:center"><img src="/static/upload/image/{stamp}/{g}" alt=""></p>' for g in names)
            images += 3
            variation.append("组图")
        if n % 8 == 6:
            media += f'<p>附件：<a href="/static/upload/file/{stamp}/{n}.pdf">第{n + 1}期工作简报.pdf</a></p>'
            attachments += 1
            variation.append("附件")
        escaped = ""
        if n % 10 == 7:
            variation.append("转义标记")
            escaped = '<p class="text-muted">&lt;/div&gt;&lt;div class="tagline"&gt;{pboot:sitetitle}</p>'
        injected = ""
        if n % 13 == 9:  # a hijacker's hidden link block after an escaped markup line, inside the article
            variation.append("注入链接")
            injected = (
                '<p>&lt;div class="links"&gt;</p><div style="display:none">'
                + "".join(f'<a href="http://spam{k}.example/">{word}</a>' for k, word in enumerate(SPAM.split("_")))
                + "</div>"
            )
        body_html = "".join(f"<p>{escape(p)}</p>" for p in shown_paragraphs) + media + injected
        crumb = f'{crumb_root} &gt; <a href="/?{section}/">{name}</a>'
        prev_next = (
            '<div class="text-secondary lh-2"><p>上一篇：<a href="/?company/1.html">返回列表</a></p>'
            "<p>下一篇：没有了！</p></div>"
        )
        detail = (
            f'{_banner(name)}<div class="container pages">{escaped}<div class="position mb-3">当前位置：{crumb}</div>'
            f'<h2 class="text-center fs-sm-28 fs-20 mt-3">{escape(shown_title)}</h2>'
            f'<div class="text-center border-bottom text-secondary pb-2 mb-3">{shown_meta}</div>'
            f'<div class="content">{body_html}<p class="notice">{NOTICE}</p></div>'
            f'<div class="mt-3 text-secondary">标签：<a href="/?tag=精密">精密</a></div>{prev_next}</div>'
        )
        pages[path] = _page(escape(title_tag), detail)
        by_section[section].append((path, shown_title, date[:10]))
        for src in re.findall(r'src="(/static/upload/image/[^" ]+)', media):
            binary[src] = _jpeg(n)
        if attachments:
            binary[f"/static/upload/file/{stamp}/{n}.pdf"] = b"%PDF-1.4\n% " + title.encode() + b"\n%%EOF\n"
        expected.append(Expected(
            path=path, title=title, category=["新闻中心", name], source=source, author=author, date=date, views=views,
            paragraphs=paragraphs, images=images, attachments=attachments, captions=captions, variation=variation,
        ))  # fmt: skip
    all_rows: list[tuple[str, str, str]] = []
    for section, name, _ in SECTIONS:
        rows = sorted(by_section[section], key=lambda row: row[2], reverse=True)
        all_rows += rows
        pages.update(_list_pages(section, name, f'{crumb_root} &gt; <a href="/?{section}/">{name}</a>', rows))
    pages.update(_list_pages("news", "新闻中心", crumb_root, sorted(all_rows, key=lambda row: row[2], reverse=True)))
    pages["/"] = _page(SITE, '<div class="container"><a href="/?news/">新闻中心</a><a href="/?aboutus/">关于我们</a></div>')
    out = {path: html.encode("utf-8") for path, html in pages.items()}
    out.update(binary)
    return out, expected
