"""Conversion tables: phrase-level results a reader would accept, over the four targets and back."""

import pytest

from xinwen.hanzi.convert import BUILTIN_TERMS, EMPTY_GLOSSARY, Glossary, UnknownVariant, convert, convert_html, detect_script

S2HANT = [  # zh-hant = s2tw characters
 ("头发","頭髮"),("发展","發展"),("干部","幹部"),("面条","麵條"),("里面","裡面"),("吃面","吃麵"),("后来","後來"),("皇后","皇后"),
 ("白云","白雲"),("台湾","臺灣"),("台风","颱風"),("著名","著名"),("看着","看著"),("干净","乾淨"),("干燥","乾燥"),("树干","樹幹"),
 ("发现","發現"),("理发","理髮"),("制造","製造"),("制度","制度"),("复杂","複雜"),("恢复","恢復"),("重复","重複"),("范围","範圍"),
 ("钟表","鐘錶"),("钟情","鍾情"),("历史","歷史"),("日历","日曆"),("松树","松樹"),("放松","放鬆"),("只有","只有"),
 ("一只","一隻"),("系统","系統"),("联系","聯繫"),("关系","關係"),("准备","準備"),("批准","批准"),("出租","出租"),("出发","出發"),
 ("面积","面積"),("方面","方面"),("于是","於是"),("余下","餘下"),("云南","雲南"),("丰富","豐富"),("获得","獲得"),("收获","收穫"),
 ("冲突","衝突"),("冲洗","沖洗"),("周末","週末"),("周围","周圍"),("游泳","游泳"),("旅游","旅遊"),("药方","藥方"),("尽管","儘管"),
 ("尽力","盡力"),("当前位置","當前位置"),("首页","首頁"),("新闻中心","新聞中心"),("浏览次数","瀏覽次數"),("发布时间","發布時間"),
 ("来源","來源"),("国资央企","國資央企"),("座谈会","座談會"),("讲话","講話"),("打印机","打印機"),("信息","信息"),("软件","軟件"),("网络","網絡"),
]
S2TW = [  # Taiwan vocabulary
 ("软件","軟體"),("鼠标","滑鼠"),("信息","資訊"),("网络","網路"),("打印机","印表機"),("内存","記憶體"),("硬盘","硬碟"),("程序","程式"),
 ("数据库","資料庫"),("服务器","伺服器"),("出租车","計程車"),("自行车","腳踏車"),("激光","雷射"),("视频","影片"),("质量","質量"),("头发","頭髮"),
 ("面条","麵條"),("默认","預設"),("菜单","選單"),("优化","優化"),
]
S2HK = [
 ("头发","頭髮"),("面条","麪條"),("里面","裏面"),("看着","看着"),("台湾","台灣"),("发展","發展"),("干部","幹部"),("后台","後台"),("为了","為了"),
 ("着急","着急"),("吃面","吃麪"),("软件","軟件"),("信息","信息"),("村里","村裏"),
]
T2S = [
 ("乾隆","乾隆"),("乾坤","乾坤"),("乾淨","干净"),("幹部","干部"),("頭髮","头发"),("發展","发展"),("著名","著名"),("後來","后来"),("皇后","皇后"),
 ("臺灣","台湾"),("颱風","台风"),("雲南","云南"),("軟體","软件"),("滑鼠","鼠标"),("資訊","信息"),("網路","网络"),("印表機","打印机"),("當前位置","当前位置"),
 ("瀏覽次數","浏览次数"),("發佈時間","发布时间"),("麵條","面条"),("裡面","里面"),("裏面","里面"),("鐘錶","钟表"),("範圍","范围"),
]


CASES = (
    [(s, "zh-hant", e) for s, e in S2HANT]
    + [(s, "zh-tw", e) for s, e in S2TW]
    + [(s, "zh-hk", e) for s, e in S2HK]
)


def test_the_table_is_large_enough():
    assert len(CASES) + len(T2S) >= 100


@pytest.mark.parametrize("source, target, expected", CASES)
def test_simplified_to_traditional_variants(source, target, expected):
    assert convert(source, target, source="zh-hans") == expected


@pytest.mark.parametrize("source, expected", T2S)
def test_traditional_to_simplified(source, expected):
    assert convert(source, "zh-hans", source="zh-hant") == expected


@pytest.mark.parametrize("text", ["头发", "发展", "软件", "信息", "面条"])
def test_simplified_target_leaves_simplified_source_alone(text):
    assert convert(text, "zh-hans") == text


def test_round_trip_of_a_taiwan_source_keeps_its_text():
    taiwan = "本公司的軟體透過網路提供資訊服務，歡迎使用滑鼠操作。"
    assert convert(taiwan, "zh-tw") == taiwan
    assert convert(taiwan, "zh-hant") == taiwan
    assert convert(taiwan, "zh-hans") == "本公司的软件透过网络提供信息服务，欢迎使用鼠标操作。"


def test_script_is_detected_when_not_given():
    assert convert("發展", "zh-hans") == "发展"
    assert convert("发展", "zh-hant") == "發展"


@pytest.mark.parametrize(
    "text, script",
    [
        ("当前位置：首页 > 新闻中心", "zh-hans"),
        ("當前位置：首頁 > 新聞中心", "zh-hant"),
        ("深化國資央企與上海市合作", "zh-hant"),
        ("中国人民", "zh-hans"),
        ("中文", ""),  # same in both scripts: nothing to tell
        ("GDP 2023", ""),
        ("", ""),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_unknown_target_is_a_clear_error():
    with pytest.raises(UnknownVariant, match="zh-hans, zh-hant, zh-tw, zh-hk"):
        convert("发展", "zh-xx")


def test_glossary_keeps_names_and_forces_terms_per_target():
    glossary = Glossary.build({"范晓明": {"zh-hant": "范曉明", "zh-tw": "范曉明", "zh-hk": "范曉明"}, "于小东": {"zh-hant": "于小東", "zh-tw": "于小東", "zh-hk": "于小東"}, "东方智联": None, "鼠标": {"zh-tw": "滑鼠墊"}})
    text = "范晓明、于小东与东方智联的鼠标"
    assert convert(text, "zh-hant", glossary=glossary) == "范曉明、于小東與东方智联的鼠標"
    assert convert(text, "zh-tw", glossary=glossary) == "范曉明、于小東與东方智联的滑鼠墊"
    assert convert(text, "zh-hans", glossary=glossary) == text
    # Without the glossary the surnames 范 and 于 become 範 and 於: the reason the glossary exists.
    assert convert("范晓明、于小东", "zh-hant") == "範曉明、於小東"


def test_longest_glossary_term_wins():
    glossary = Glossary.build({"东方": {"zh-hant": "甲"}, "东方智联": None})
    assert convert("东方智联和东方", "zh-hant", glossary=glossary) == "东方智联和甲"


def test_empty_glossary_is_the_default():
    assert convert("头发", "zh-hant", glossary=EMPTY_GLOSSARY) == "頭髮"


def test_html_conversion_touches_text_nodes_only():
    html = (
        '<p class="lead" title="头发"><a href="/新闻/发展?q=头发">发展</a>头发'
        '<code>print("头发")</code><span translate="no">姓范的<b>头发</b></span>'
        '<span class="no-convert">发</span><img alt="头发" src="/头发.png">面条</p>'
    )
    out = convert_html(html, "zh-tw")
    assert out == (
        '<p class="lead" title="头发"><a href="/新闻/发展?q=头发">發展</a>頭髮'
        '<code>print("头发")</code><span translate="no">姓范的<b>头发</b></span>'
        '<span class="no-convert">发</span><img alt="头发" src="/头发.png">麵條</p>'
    )


def test_html_conversion_never_adds_pinyin():
    out = convert_html("<p>当前位置：首页 > 新闻中心 > 发布时间</p>", "zh-hant")
    assert out == "<p>當前位置：首頁 &gt; 新聞中心 &gt; 發布時間</p>"  # converted text comes out escaped
    assert "(" not in out


@pytest.mark.parametrize(
    "source, target, expected",
    [
        # xinwen's corrections to OpenCC for news prose (convert.BUILTIN_TERMS)
        ("踏上新征程", "zh-hant", "踏上新征程"),  # OpenCC: 新徵程
        ("踏上新征程", "zh-tw", "踏上新征程"),
        ("公司发布公告", "zh-tw", "公司發布公告"),  # s2twp: 釋出
        ("公司发布公告", "zh-hant", "公司發布公告"),
        ("公司发布公告", "zh-hk", "公司發佈公告"),  # Hong Kong keeps 發佈
        ("学习文件精神", "zh-tw", "學習文件精神"),  # s2twp: 檔案
        ("感谢支持和帮助", "zh-tw", "感謝支持和幫助"),  # s2twp: 支援
        ("优化营商环境", "zh-tw", "優化營商環境"),  # s2twp: 最佳化
        ("打造产业集群", "zh-tw", "打造產業集群"),  # s2twp: 叢集
        ("软件下载", "zh-tw", "軟體下載"),  # Taiwan vocabulary still applies elsewhere
    ],
)
def test_builtin_corrections_for_news_prose(source, target, expected):
    assert convert(source, target, source="zh-hans") == expected


def test_site_terms_override_builtin_corrections():
    glossary = Glossary.build({**BUILTIN_TERMS, "发布": {"zh-tw": "釋出"}})
    assert convert("版本发布", "zh-tw", glossary=glossary) == "版本釋出"
