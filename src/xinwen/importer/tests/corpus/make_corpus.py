"""Write the importer's test corpus: damaged and clean legacy pages, with what each must become.

Run from the project root: .venv/bin/python src/xinwen/importer/tests/corpus/make_corpus.py
The texts are original (a fictional group, 东方智联装备集团, and fictional people). The
damage is made here the way broken CMS plugins made it, without using xinwen's repair
code; `manifest.json` lists, per file, what the importer must extract and flag.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import opencc
from pypinyin import Style, pinyin

HERE = Path(__file__).resolve().parent
S2T = opencc.OpenCC("s2t")

SPAM_PORN = "国产精品无码av在线毛片_欧美日韩国产中文在线亚洲综合_久久精品国产亚洲AV_中文字幕不卡免费_成人一级电影视频"
SPAM_GAMBLE = "澳门新葡京娱乐城-百家乐真人娱乐-时时彩开户送彩金-体育投注"
SPAM_RUN = "在线观看丨高清电影丨美女视频丨免费观看丨午夜福利丨激情电影"

S = {  # clean Simplified news (mainland organisation)
    "safety": ("集团召开2024年安全生产工作会议", "公司新闻", "安全环保部", "刘洋", "李静", "2024-03-12 09:30", 1532, [
        "3月12日，东方智联装备集团召开2024年安全生产工作会议，总结去年安全生产工作，部署今年重点任务。",
        "会议指出，各单位要压紧压实安全生产责任，深入开展隐患排查整治，确保全年不发生较大及以上生产安全事故。",
        "会上，各子公司负责人签订了安全生产目标责任书。集团总经理刘振华强调，安全生产是企业发展的生命线。",
    ]),
    "campus": ("公司与滨江大学签署产学研合作协议", "公司新闻", "本站", "王晓明", "张敏", "2024-05-20", 866, [
        "5月20日，公司与滨江大学在滨江市签署产学研全面合作协议，双方将在智能装备、工业软件等领域开展联合攻关。",
        "根据协议，双方将共建智能制造联合实验室，每年联合培养研究生不少于二十名，并设立专项科研基金。",
        "滨江大学副校长陈立平表示，希望以此次合作为契机，推动科研成果在企业落地转化。",
    ]),
    "park": ("智能制造产业园二期项目正式开工", "行业动态", "滨江日报", "赵琳", "孙浩", "2023/11/08 10:00", 2405, [
        "11月8日上午，东方智联智能制造产业园二期项目在滨江高新区正式开工，项目总投资约十八亿元。",
        "二期项目建成后，将新增年产五千台工业机器人的生产能力，预计带动上下游企业新增就业岗位一千余个。",
        "项目负责人介绍，园区将全面采用绿色建筑标准，屋顶分布式光伏年发电量可达八百万千瓦时。",
    ]),
    "contest": ("集团举办第三届职工技能大赛", "公司新闻", "集团工会", "周敏", "李静", "2024年9月26日", 731, [
        "9月26日，集团第三届职工技能大赛在精密机械公司实训基地开幕，来自各单位的一百二十名选手参赛。",
        "本届大赛设数控车工、电工、焊工和工业机器人运维四个项目，理论考试和实际操作成绩各占一半。",
        "集团工会负责人表示，技能大赛是培养高技能人才的重要平台，获奖选手将优先推荐参加省级比赛。",
    ]),
    "notice": ("关于2025年春节放假安排的通知", "通知公告", "办公室", "", "张敏", "2025-01-10 16:00", 4120, [
        "各单位、各部门：根据国家有关规定，结合集团实际，现将2025年春节放假安排通知如下。",
        "1月28日至2月4日放假调休，共8天。1月26日（星期日）、2月8日（星期六）上班。",
        "节日期间，各单位要妥善安排值班和安全保卫工作，遇有重大突发事件要及时报告。",
    ]),
    "award": ("新能源装备公司获评省级专精特新企业", "公司新闻", "新能源装备公司", "王喆", "李堃", "2024-07-02 11:15", 958, [
        "近日，省工业和信息化厅公布年度专精特新中小企业名单，集团所属新能源装备公司榜上有名。",
        "公司总经理王喆介绍，公司深耕储能变流器领域多年，研发人员占比超过百分之三十。",
        "下一步，公司将在技术负责人李堃带领下，加快新一代液冷储能系统的研发和产业化。",
    ]),
}
T = {  # genuine Taiwan Traditional
    "tw_software": ("本公司推出新一代軟體平臺 提升資訊服務品質", "最新消息", "本公司", "林怡君", "陳建宏", "2024-04-15 14:00", 512, [
        "本公司今日發表新一代雲端軟體平臺，透過網路提供即時的資訊服務，協助中小企業加速數位轉型。",
        "新平臺整合資料庫與行動應用程式，使用者只要以滑鼠點選，即可完成報表查詢與列印。",
        "總經理陳建宏表示，未來將持續投入研發，並於明年推出支援多國語言的版本。",
    ]),
    "tw_library": ("臺北市立圖書館舉辦數位閱讀推廣活動", "活動訊息", "臺北市立圖書館", "黃美玲", "吳志明", "2023-10-03", 377, [
        "臺北市立圖書館本月起舉辦數位閱讀推廣活動，民眾可透過館方網站免費借閱電子書。",
        "館方表示，活動期間每週六下午安排講座，介紹如何在平板電腦與手機上閱讀。",
        "對於活動有任何疑問，歡迎來電洽詢，或於館內服務臺詢問。",
    ]),
}
H = {  # genuine Hong Kong Traditional
    "hk_youth": ("本會舉辦青年創科比賽 推動香港創新科技發展", "會務消息", "本會", "陳嘉欣", "李志強", "2024-06-18 15:30", 640, [
        "本會今年再度舉辦青年創科比賽，鼓勵中學生運用資訊科技解決社區問題，參賽隊伍數目創新高。",
        "決賽作品涵蓋長者照顧、環境保育及網絡安全等範疇，不少隊伍自行編寫軟件並分享相關信息。",
        "評審團表示，參賽者的作品水準甚高，本會將為得獎隊伍安排到科學園實習。",
    ]),
    "hk_community": ("社區中心公佈暑期活動安排 歡迎街坊報名", "社區消息", "社區中心", "黃家明", "何詠詩", "2024-07-05", 288, [
        "社區中心日前公佈暑期活動安排，包括親子手工班、長者健體班及青少年義工訓練。",
        "所有活動均設網上報名，名額有限，額滿即止。查詢請致電中心或親臨辦事處。",
        "中心主任表示，希望街坊善用暑假，多參與社區活動，建立鄰里關係。",
    ]),
}


def leaky(text: str, every: int = 1) -> str:
    """A character-by-character converter that leaks the pinyin of what it converts (當(dāng))."""
    out = []
    n = 0
    for char in text:
        trad = S2T.convert(char)
        if trad != char and len(trad) == 1:
            n += 1
            reading = pinyin(char, style=Style.TONE)[0][0]
            out.append(f"{trad}({reading})" if n % every == 0 else trad)
        else:
            out.append(char)
    return "".join(out)


def char_convert(text: str) -> str:
    """A converter without phrases and without leaks: each character on its own, 于 left as it was."""
    return "".join(S2T.convert(c) if c != "于" else c for c in text)


def page(title_tag, heading, crumb, info, paragraphs, *, charset="utf-8", extra_body="", head_extra="", cms="dede"):
    body = "".join(f"<p>&nbsp;&nbsp;{p}</p>" for p in paragraphs)
    crumbs = " &gt; ".join(f'<a href="/list/{i}/">{escape(c)}</a>' for i, c in enumerate(crumb[:-1])) + (" &gt; " + escape(crumb[-1]) if crumb else "")
    nav = '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/news/">新闻中心</a></li><li><a href="/about/">关于我们</a></li></ul></div>'
    if cms == "table":
        main = (f'<table width="960"><tr><td class="weizhi">您现在的位置：{crumbs}</td></tr>'
                f'<tr><td class="biaoti" align="center"><b>{escape(heading)}</b></td></tr>'
                f'<tr><td align="center">{escape(info)}</td></tr><tr><td id="zoom">{body}</td></tr></table>')
    else:
        main = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; {crumbs}</div>'
                f'<div class="article"><h1>{escape(heading)}</h1><div class="info">{escape(info)}</div>'
                f'<div class="content">{body}{extra_body}</div>'
                '<div class="prenext"><p>上一篇：<a href="/news/1.html">上一条新闻</a></p><p>下一篇：没有了</p></div></div>')
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{escape(title_tag)}</title>{head_extra}</head><body>{nav}{main}"
            '<div class="footer">Copyright © 东方智联装备集团 版权所有</div></body></html>')


def info_line(source, author, editor, date, views, *, trad=False):
    labels = ("來源", "作者", "責任編輯", "發布時間", "瀏覽次數") if trad else ("来源", "作者", "责任编辑", "发布时间", "浏览次数")
    parts = [f"{labels[0]}：{source}"] + ([f"{labels[1]}：{author}"] if author else []) + [f"{labels[2]}：{editor}", f"{labels[3]}：{date}", f"{labels[4]}：{views}"]
    return "　".join(parts)


ENTRIES = []


def emit(name, data: bytes | str, *, encoding="utf-8", expect: dict, base_url: str = "", kind: str = ""):
    path = HERE / name
    raw = data if isinstance(data, bytes) else data.encode(encoding, "xmlcharrefreplace")
    path.write_bytes(raw)
    ENTRIES.append({"file": name, "base_url": base_url, "kind": kind, **expect})


def expect_of(item, *, flags=(), not_flags=(), script="zh-hans", **extra):
    title, category, source, author, editor, date, views, paragraphs = item
    return {"title": title, "category": category, "date": date[:10].replace("/", "-").replace("年", "-").replace("月", "-").replace("日", ""),
            "views": views, "source": source, "author": author, "editor": editor, "script": script,
            "flags": list(flags), "not_flags": list(not_flags), "body_contains": [paragraphs[1][:12]], **extra}


def simplified_expect(item, **kw):
    exp = expect_of(item, **kw)
    exp["date"] = "-".join(f"{int(x):02d}" if i else x for i, x in enumerate(exp["date"].split("-")))
    return exp


def main():
    for old in HERE.glob("*.*"):
        if old.suffix in {".html", ".htm", ".txt", ".xml"}:
            old.unlink()
    none = ["hijack", "leaked_pinyin", "machine_conversion", "mojibake", "lost_chars", "misaligned"]
    # --- clean Simplified, in UTF-8, GBK and GB2312-labelled GBK: must come out unchanged
    for n, (key, enc, label) in enumerate([("safety", "utf-8", "utf-8"), ("campus", "gbk", "gbk"), ("park", "gb18030", "gb2312"),
                                           ("contest", "utf-8", "utf-8"), ("notice", "gbk", "gbk")]):
        t, c, src, au, ed, d, v, ps = S[key]
        html = page(f"{t}_{c}_东方智联装备集团", t, ["新闻中心", c, "正文"], info_line(src, au, ed, d, v), ps, charset=label,
                    cms="table" if n == 3 else "dede")
        emit(f"clean-simplified-{key}-{label}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/news/{100 + n}.html",
             expect=simplified_expect(S[key], not_flags=none, unchanged_body=ps))
    # --- clean Taiwan (Big5, UTF-8) and Hong Kong (UTF-8, Big5-HKSCS): stay in their own script
    for key, enc, label in [("tw_software", "big5", "big5"), ("tw_library", "utf-8", "utf-8"),
                            ("hk_youth", "utf-8", "utf-8"), ("hk_community", "big5hkscs", "big5")]:
        item = (T | H)[key]
        t, c, src, au, ed, d, v, ps = item
        html = page(f"{t} - {c}", t, [c, "內容"], info_line(src, au, ed, d, v, trad=True), ps, charset=label)
        emit(f"clean-{key}-{label}.html", html, encoding=enc, base_url=f"https://www.tw-hk.example/{key}.html",
             expect=simplified_expect(item, script="zh-hant", not_flags=none, unchanged_body=ps))
    # --- leaked pinyin + machine conversion (the seed page's damage), in UTF-8, GBK and Big5 (tone letters as entities)
    for key, enc, label, title_tag in [("safety", "utf-8", "utf-8", SPAM_PORN), ("campus", "gbk", "gbk", SPAM_GAMBLE),
                                       ("park", "big5", "big5", SPAM_RUN)]:
        t, c, src, au, ed, d, v, ps = S[key]
        html = page(title_tag, leaky(t), [leaky("新闻中心"), leaky(c), leaky("新闻详情")], leaky(info_line(src, au, ed, d, v)),
                    [leaky(p) for p in ps], charset=label)
        emit(f"leaked-pinyin-hijacked-{key}-{label}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/plus/view.php?aid={200 + len(ENTRIES)}",
             expect=simplified_expect(S[key], flags=["hijack", "leaked_pinyin", "machine_conversion"], unchanged_body=ps))
    # --- machine conversion without leaks (于 left, mispicked characters), GBK and UTF-8
    for key, enc in [("contest", "gbk"), ("award", "utf-8")]:
        t, c, src, au, ed, d, v, ps = S[key]
        ps2 = ps + ["关于此事，基于上述情况，由于时间紧，大家要做好准备，理发室和系统维护照常。"]
        html = page(f"{char_convert(t)}_{char_convert(c)}", char_convert(t), [char_convert("新闻中心"), char_convert(c), "正文"],
                    char_convert(info_line(src, au, ed, d, v)), [char_convert(p) for p in ps2], charset=enc)
        emit(f"machine-converted-{key}-{enc}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/a/{300 + len(ENTRIES)}.html",
             expect=simplified_expect(S[key], flags=["machine_conversion"], not_flags=["hijack", "leaked_pinyin"],
                                      body_contains=["关于此事", "由于时间紧"]))
    # --- truncated annotation in the description, plus leaks (UTF-8)
    t, c, src, au, ed, d, v, ps = S["notice"]
    # The CMS cut the description in the middle of an annotation: 有關(gu…
    head = f'<meta name="description" content="{escape(leaky(ps[0])[:leaky(ps[0]).index("(", 30) + 3])}…">'
    html = page(f"{t}_通知公告", leaky(t), ["新闻中心", "通知公告", "详情"], leaky(info_line(src, au, ed, d, v)), [leaky(p) for p in ps], head_extra=head)
    emit("truncated-annotation-notice-utf-8.html", html, base_url="http://www.dfzl.example/news/401.html",
         expect=simplified_expect(S["notice"], flags=["leaked_pinyin", "truncated_annotation", "machine_conversion"], not_flags=["hijack"]))
    # --- ? where GB2312 lost characters (王喆, 李堃), GB2312 page; the heading's ? is restored from <title>
    t, c, src, au, ed, d, v, ps = S["award"]
    lost = [p.replace("喆", "?").replace("堃", "?") for p in ps]
    html = page(f"{t}_公司新闻", t.replace("专精", "专?"), ["新闻中心", c], info_line(src, "王?", "李?", d, v), lost, charset="gb2312")
    emit("lost-chars-award-gb2312.html", html, encoding="gb2312", base_url="http://www.dfzl.example/news/402.html",
         expect={**simplified_expect(S["award"], flags=["lost_chars"], not_flags=["hijack"]), "author": "王?", "editor": "李?", "hold": True,
                 "body_contains": ["公司总经理王?介绍"]})
    # --- GBK byte-misalignment garbage: a leak whose "(" was swallowed, and UTF-8 read as GBK (鍥犱负), UTF-8 page
    t, c, src, au, ed, d, v, ps = S["campus"]
    garbled = "双方还将互派人员挂职锻炼".encode("utf-8").decode("gb18030")
    ps2 = [ps[0], ps[1].replace("联合实验室", "联合實?yàn)室"), garbled + "。", ps[2]]
    html = page(f"{t}_公司新闻", t, ["新闻中心", c], info_line(src, au, ed, d, v), ps2)
    emit("gbk-misaligned-campus-utf-8.html", html, base_url="http://www.dfzl.example/news/403.html",
         expect=simplified_expect(S["campus"], flags=["misaligned", "mojibake", "lost_chars"], not_flags=["hijack"],
                                  body_contains=["双方还将互派人员挂职锻炼"], hold=True))
    # --- the same damage in the other code pages: machine conversion in Big5; truncated annotations in GBK and Big5;
    # lost characters in Big5 and UTF-8; misaligned leaks and UTF-8-read-as-GBK/Big5 garbage in GBK and Big5
    t, c, src, au, ed, d, v, ps = S["notice"]
    ps2 = ps + ["关于值班安排，由于节日期间人员较少，请各单位提前做好准备。"]
    html = page(char_convert(t), char_convert(t), [char_convert("新闻中心"), char_convert(c)], char_convert(info_line(src, au, ed, d, v)),
                [char_convert(p) for p in ps2], charset="big5")
    emit("machine-converted-notice-big5.html", html, encoding="big5", base_url="http://www.dfzl.example/a/310.html",
         expect=simplified_expect(S["notice"], flags=["machine_conversion"], not_flags=["hijack", "leaked_pinyin"], body_contains=["关于值班安排"]))
    for key, enc in [("park", "gbk"), ("contest", "big5")]:
        t, c, src, au, ed, d, v, ps = S[key]
        cut = leaky(ps[0])
        head = f'<meta name="description" content="{escape(cut[: cut.index("(", 20) + 2])}">'
        html = page(f"{t}_{c}", leaky(t), ["新闻中心", c, "详情"], leaky(info_line(src, au, ed, d, v)), [leaky(p) for p in ps], charset=enc, head_extra=head)
        emit(f"truncated-annotation-{key}-{enc}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/news/41{len(ENTRIES)}.html",
             expect=simplified_expect(S[key], flags=["leaked_pinyin", "truncated_annotation", "machine_conversion"], not_flags=["hijack"]))
    t, c, src, au, ed, d, v, ps = T["tw_library"]
    lost = [p.replace("臺北", "?北").replace("數位", "數?") for p in ps]
    html = page(f"{t} - {c}", t.replace("數位", "數?"), [c, "內容"], info_line(src, au, ed, d, v, trad=True), lost, charset="big5")
    emit("lost-chars-tw_library-big5.html", html, encoding="big5", base_url="https://library.tw.example/news/78.html",
         expect={**simplified_expect(T["tw_library"], script="zh-hant", flags=["lost_chars"], not_flags=["hijack", "machine_conversion"]),
                 "body_contains": ["?北市立圖書館本月起"], "hold": True})
    t, c, src, au, ed, d, v, ps = S["safety"]
    lost = [ps[0], ps[1].replace("隐患排查", "隐??查"), ps[2]]
    html = page(f"{t}_公司新闻", t, ["新闻中心", c], info_line(src, au, ed, d, v), lost)
    emit("lost-chars-safety-utf-8.html", html, base_url="http://www.dfzl.example/news/404.html",
         expect={**simplified_expect(S["safety"], flags=["lost_chars"], not_flags=["hijack"]), "body_contains": ["隐??查"], "hold": True})
    # (In the Big5 page the garbage is UTF-8 read as Latin-1, stored as &#...; entities, as browsers submit it;
    # a genuine Taiwan page has no leaks, so its misaligned "?" is a plain lost character.)
    for key, enc, wrong in [("contest", "gbk", "gb18030"), ("tw_software", "big5", "latin-1")]:
        item = (S | T)[key]
        t, c, src, au, ed, d, v, ps = item
        trad = key.startswith("tw")
        clear = "雙方還將互派人員掛職鍛煉" if trad else "双方还将互派人员挂职锻炼"
        garbled = clear.encode("utf-8").decode(wrong)
        ps2 = [ps[0], ps[1][:6] + ("?" if trad else "?yàn)") + ps[1][6:], garbled + "。", ps[2]]
        html = page(f"{t}_{c}", t, ["新闻中心" if not trad else "最新消息", c], info_line(src, au, ed, d, v, trad=trad), ps2, charset=enc)
        emit(f"gbk-misaligned-{key}-{enc}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/news/40{5 + len(ENTRIES)}.html",
             expect=simplified_expect(item, script="zh-hant" if trad else "zh-hans", flags=["mojibake", "lost_chars"] + ([] if trad else ["misaligned"]),
                                      not_flags=["hijack"], body_contains=[clear], hold=True))
    # --- injected hidden link blocks (display:none, off-screen, tiny marquee), GBK, Big5, UTF-8
    blocks = [
        '<div style="display:none"><a href="http://spam-a.example/">百家乐</a><a href="http://spam-b.example/">娱乐城</a></div>',
        '<div style="position:absolute;left:-9999px;top:-9999px"><a href="http://spam-c.example/1">成人电影</a> <a href="http://spam-c.example/2">在线观看</a></div>',
        '<marquee height="1" width="1"><a href="http://spam-d.example/">时时彩开户</a></marquee>',
    ]
    for n, (key, enc) in enumerate([("safety", "gbk"), ("tw_software", "big5"), ("contest", "utf-8")]):
        item = (S | T)[key]
        t, c, src, au, ed, d, v, ps = item
        trad = key.startswith("tw")
        html = page(f"{t}_{c}", t, [c, "正文"], info_line(src, au, ed, d, v, trad=trad), ps, charset=enc, extra_body=blocks[n])
        emit(f"injected-links-{key}-{enc}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/news/{500 + n}.html",
             expect={**simplified_expect(item, flags=["hijack"], script="zh-hant" if trad else "zh-hans", unchanged_body=ps),
                     "body_not_contains": ["百家乐", "成人电影", "時時彩", "时时彩", "spam-"]})
    # --- hijacked titles of every shape over clean bodies: separators _ - , 丨 /; mismatch; Simplified over Traditional
    titles = [("hijack-comma", "无码高清,欧美日韩,中文字幕,免费观看,成人影院", "safety", "utf-8"),
              ("hijack-slash", "百家乐/娱乐城/时时彩/六合彩/真人娱乐", "campus", "gbk"),
              ("hijack-mismatch", "最新热门八卦爆料大全免费在线观看高清无删减版合集", "park", "utf-8"),
              ("hijack-simplified-over-traditional", "台湾软件信息服务最新资讯平台官方网站入口", "tw_software", "big5")]
    for name, title_tag, key, enc in titles:
        item = (S | T)[key]
        t, c, src, au, ed, d, v, ps = item
        trad = key.startswith("tw")
        html = page(title_tag, t, [c, "正文"], info_line(src, au, ed, d, v, trad=trad), ps, charset=enc)
        emit(f"{name}-{enc}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/html/{name}.html",
             expect={**simplified_expect(item, flags=["hijack"], script="zh-hant" if trad else "zh-hans", unchanged_body=ps),
                     "rejected_title": title_tag})
    # --- encodings that lie or are missing: GBK labelled utf-8, Big5 labelled gb2312, no label, UTF-8 with BOM
    for name, key, enc, label in [("gbk-labelled-utf8", "contest", "gbk", "utf-8"), ("big5-labelled-gb2312", "tw_library", "big5", "gb2312"),
                                  ("gbk-no-charset", "notice", "gbk", ""), ("utf8-bom", "park", "utf-8-sig", "utf-8")]:
        item = (S | T)[key]
        t, c, src, au, ed, d, v, ps = item
        trad = key.startswith("tw")
        html = page(f"{t}_{c}", t, [c, "正文"], info_line(src, au, ed, d, v, trad=trad), ps, charset=label or "x")
        if not label:
            html = html.replace('<meta http-equiv="Content-Type" content="text/html; charset=x">', "")
        emit(f"encoding-{name}.html", html, encoding=enc, base_url=f"http://www.dfzl.example/news/{name}.shtml",
             expect=simplified_expect(item, script="zh-hant" if trad else "zh-hans", not_flags=none, unchanged_body=ps))
    # --- plain-text extraction like seed-page.txt (leaks + hijacked first line), UTF-8 and GBK
    for key, enc in [("safety", "utf-8"), ("award", "gbk")]:
        t, c, src, au, ed, d, v, ps = S[key]
        text = "\n\n".join([SPAM_PORN, leaky(f"当前位置:首页 > 新闻中心 > {c} > 详情"), leaky(t), leaky(info_line(src, au, ed, d, v))] + [leaky(p) for p in ps])
        emit(f"text-extraction-{key}-{enc}.txt", text, encoding=enc,
             expect=simplified_expect(S[key], flags=["hijack", "leaked_pinyin", "machine_conversion"], unchanged_body=ps))
    # --- WordPress WXR, RSS 2.0, Atom
    t, c, src, au, ed, d, v, ps = S["campus"]
    wxr = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>东方智联</title><wp:author><wp:author_login>wxm</wp:author_login><wp:author_display_name>王晓明</wp:author_display_name></wp:author>
<item><title>{t}</title><link>http://blog.dfzl.example/2024/05/20/campus/</link><dc:creator>wxm</dc:creator>
<content:encoded><![CDATA[{chr(10).join(ps[:2])}

{ps[2]}<div style="display:none"><a href="http://spam-e.example/">百家乐</a></div>]]></content:encoded>
<wp:post_id>88</wp:post_id><wp:post_date>2024-05-20 08:30:00</wp:post_date><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="company"><![CDATA[公司新闻]]></category></item>
<item><title>关于我们</title><link>http://blog.dfzl.example/about/</link><content:encoded>页面</content:encoded><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
<item><title>草稿</title><link>http://blog.dfzl.example/?p=90</link><content:encoded>未完成</content:encoded><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>"""
    emit("wordpress-export.xml", wxr, kind="wxr", expect={"title": t, "category": c, "date": "2024-05-20", "views": 0, "author": "王晓明",
                                                      "source": "", "editor": "", "script": "zh-hans", "flags": ["hijack"], "not_flags": [],
                                                      "body_contains": [ps[2][:12]], "body_not_contains": ["百家乐"], "entries": 1})
    t2, c2, *_rest, ps2 = S["park"]
    rss = f"""<?xml version="1.0" encoding="GBK"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>东方智联新闻</title>
<item><title>{leaky(t2)}</title><link>http://www.dfzl.example/news/601.html</link><pubDate>Wed, 08 Nov 2023 10:00:00 +0800</pubDate>
<category>行业动态</category><content:encoded><![CDATA[{"".join(f"<p>{leaky(p)}</p>" for p in ps2)}]]></content:encoded></item></channel></rss>"""
    emit("feed-rss-gbk.xml", rss, encoding="gbk", kind="rss", expect={"title": t2, "category": c2, "date": "2023-11-08", "views": 0, "author": "",
                                                                     "source": "", "editor": "", "script": "zh-hans", "flags": ["leaked_pinyin", "machine_conversion"],
                                                                     "not_flags": ["hijack"], "body_contains": [ps2[1][:12]], "entries": 1, "unchanged_body": ps2})
    t3, c3, *_r, ps3 = T["tw_library"]
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>臺北市立圖書館</title>
<entry><title>{t3}</title><link rel="alternate" href="https://library.tw.example/news/77"/><id>tag:library,2023:77</id>
<published>2023-10-03T08:00:00+08:00</published><author><name>黃美玲</name></author><category term="活動訊息"/>
<content type="html">{escape("".join(f"<p>{p}</p>" for p in ps3))}</content></entry></feed>"""
    emit("feed-atom-taiwan.xml", atom, kind="atom", expect={"title": t3, "category": c3, "date": "2023-10-03", "views": 0, "author": "黃美玲",
                                                            "source": "", "editor": "", "script": "zh-hant", "flags": [], "not_flags": none,
                                                            "body_contains": [ps3[1][:12]], "entries": 1, "unchanged_body": ps3})
    # --- pages that must fail alone, with a reason
    emit("broken-binary-junk.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, expect={"fail": "binary"})
    emit("broken-unknown-encoding.html", bytes((i * 37 + 11) % 128 + 128 for i in range(3000)), expect={"fail": "encoding"})
    emit("broken-empty.html", b"   \n", expect={"fail": "not_article"})
    emit("broken-markup-only-spam-title.html", "<html><head><title>" + SPAM_PORN + "</title></head><body><div><p>", expect={"fail": "not_article"})
    (HERE / "manifest.json").write_text(json.dumps(ENTRIES, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(ENTRIES)} files written")


if __name__ == "__main__":
    main()
