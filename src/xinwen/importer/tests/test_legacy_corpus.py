"""120 generated legacy pages in three template families: field accuracy measured, per family and field.

Each family's template is learned from a sample of its own pages, as a crawl does
(`boilerplate`), then every page goes through `page_prepare`. The table is printed and
written to test-artifacts/importer/legacy-corpus.md; every cell must be complete.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from xinwen.importer.boilerplate import boilerplate_learn
from xinwen.importer.crawl import _sample, is_article_url
from xinwen.importer.pipeline import Source, page_prepare, strip_tags
from xinwen.importer.tests.legacy_corpus import corpus

TZ = ZoneInfo("Asia/Shanghai")
FIELDS = ["title", "category", "source", "author", "date", "views", "body", "furniture", "images", "captions", "public"]
# Template furniture and injected spam of the three families: none of it may reach a body.
FURNITURE = ["百家乐", "六合彩", "售前咨询专员", "24小时免费咨询", "精益求精", "上一篇", "下一篇", "扫一扫", "版权所有", "分隔线",
             "收藏", "挑错", "推荐内容", "打印", "字体", "关闭窗口", "分享到", "主办", "网站标识码", "声明：本站", "pboot:",
             "&lt;", "<td class", "当前位置", "您现在的位置"]  # fmt: skip


def check(page, want) -> dict[str, bool]:
    body = " ".join(strip_tags(page.body_html).split())
    return {
        "title": page.title == want.title,
        "category": page.category_path == want.category,
        "source": page.source_name == want.source,
        "author": page.author == want.author,
        "date": page.publish_at is not None and page.publish_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M") == want.date,
        "views": page.view_count == want.views,
        "body": all(p in body for p in want.paragraphs),
        "furniture": not [f for f in FURNITURE if f in body],
        "images": len(page.images) == want.images,
        "captions": all(c in body for c in want.captions),
        "public": not page.hold,
    }


def measure(per_family: int = 40) -> tuple[dict[str, dict[str, int]], dict[str, int], list[str]]:
    """Per family and field, the pages right; pages per family (and per variation, under "variations"); misses."""
    right: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    misses: list[str] = []
    variations: Counter[str] = Counter()
    for family, pages in corpus(per_family).items():
        sample = _sample([url for url, _, _ in pages])
        by_url = {url: data for url, data, _ in pages}
        template = boilerplate_learn([(by_url[url], "", url) for url in sample])
        right[family] = dict.fromkeys(FIELDS, 0)
        totals[family] = len(pages)
        for _, _, want in pages:
            variations.update(want.variation)
        for url, data, want in pages:
            assert is_article_url(url), url  # a crawl would find it
            page = page_prepare(Source(ref=url, kind="html", data=data, url=url, template=template), tz=TZ)
            for name, ok in check(page, want).items():
                right[family][name] += ok
                if not ok:
                    body = " ".join(strip_tags(page.body_html).split())
                    misses.append(f"{family} {url} {want.variation}: {name} (title={page.title!r} source={page.source_name!r} "
                                  f"author={page.author!r} date={page.publish_at} views={page.view_count} "
                                  f"category={page.category_path} flags={page.report()['flagged']} body={body[:300]!r})")  # fmt: skip
    right["variations"] = dict(variations)
    return right, totals, misses


def table(right: dict[str, dict[str, int]], totals: dict[str, int]) -> str:
    variations = right.pop("variations")
    head = "| family | pages | " + " | ".join(FIELDS) + " |"
    rows = [f"| {family} | {totals[family]} | " + " | ".join(f"{right[family][f]}/{totals[family]}" for f in FIELDS) + " |" for family in right]
    grand = sum(totals.values())
    rows.append(f"| all | {grand} | " + " | ".join(f"{sum(r[f] for r in right.values())}/{grand}" for f in FIELDS) + " |")
    among = "、".join(f"{name} {count}" for name, count in sorted(variations.items(), key=lambda pair: -pair[1]))
    return "\n".join([head, "|" + "---|" * (len(FIELDS) + 2), *rows, "", f"Pages with each variation: {among}."])


def test_every_field_of_120_generated_legacy_pages_comes_over(request):
    right, totals, misses = measure(40)

    text = table(right, totals)
    print("\nField accuracy, generated legacy corpus\n" + text)
    folder = Path(request.config.rootpath) / "test-artifacts" / "importer"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "legacy-corpus.md").write_text(text + "\n", encoding="utf-8")
    assert sum(totals.values()) >= 120 and "variations" not in right
    assert misses == []


def test_the_furniture_column_can_fail():
    """Without the learned template a PbootCMS body keeps the notice and chat widget only the template repeats."""
    pages = corpus(6)["PbootCMS"]
    url, data, want = pages[0]
    page = page_prepare(Source(ref=url, kind="html", data=data, url=url), tz=TZ)
    learned = boilerplate_learn([(d, "", u) for u, d, _ in pages])
    assert not check(page, want)["furniture"]
    assert check(page_prepare(Source(ref=url, kind="html", data=data, url=url, template=learned), tz=TZ), want)["furniture"]
