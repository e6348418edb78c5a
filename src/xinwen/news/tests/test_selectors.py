"""Reads for the public site: lists, home blocks, neighbours and related articles."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from xinwen.conftest import make_article, make_category
from xinwen.news import selectors, services
from xinwen.news.models import Article, SiteSettings

pytestmark = pytest.mark.django_db

Status = Article.Status


def days_from_now(days: float):
    return timezone.now() + timedelta(days=days)


def _hidden_articles(category):
    """One of every kind of article a reader must not see."""
    return [
        make_article(category=category, title="草稿", status=Status.DRAFT),
        make_article(category=category, title="待审", status=Status.REVIEW, publish_at=days_from_now(-1)),
        make_article(category=category, title="归档", status=Status.ARCHIVED, publish_at=days_from_now(-1)),
        make_article(category=category, title="定时", publish_at=days_from_now(1 / 24)),
    ]


def titles(articles) -> list[str]:
    return [a.title for a in articles]


def test_category_articles_include_sub_categories_pinned_first(tree):
    group = make_category("集团要闻", slug="group", parent=tree["company"])
    make_article(category=tree["company"], title="公司旧闻", days_ago=9)
    make_article(category=group, title="子栏目新闻", days_ago=1)
    make_article(category=tree["company"], title="置顶", days_ago=20, pinned=True)
    make_article(category=tree["industry"], title="行业新闻", days_ago=2)
    _hidden_articles(group)

    assert titles(selectors.category_articles(tree["company"])) == ["置顶", "子栏目新闻", "公司旧闻"]
    assert titles(selectors.category_articles(group)) == ["子栏目新闻"]
    assert titles(selectors.category_articles(tree["root"])) == ["置顶", "子栏目新闻", "行业新闻", "公司旧闻"]


def test_category_articles_of_an_empty_category(tree):
    _hidden_articles(tree["notices"])

    assert list(selectors.category_articles(tree["notices"])) == []


def test_category_descendant_ids_cover_the_whole_subtree(tree):
    group = make_category("集团要闻", parent=tree["company"])
    deep = make_category("子公司", parent=group)

    assert set(selectors.category_descendant_ids(tree["company"])) == {tree["company"].pk, group.pk, deep.pk}
    assert selectors.category_descendant_ids(tree["notices"]) == [tree["notices"].pk]


def test_home_has_one_block_per_section_of_a_single_root(tree):
    group = make_category("集团要闻", parent=tree["company"])
    make_article(category=group, title="子栏目新闻", days_ago=1)
    make_article(category=tree["industry"], title="行业新闻", days_ago=2)
    _hidden_articles(tree["notices"])

    blocks = selectors.home_blocks()["blocks"]

    assert [b.category for b in blocks] == [tree["company"], tree["industry"], tree["notices"]]
    assert [titles(b.articles) for b in blocks] == [["子栏目新闻"], ["行业新闻"], []]


def test_home_has_one_block_per_root_when_there_are_several(db):
    first = make_category("公司新闻", order=2)
    second = make_category("通知公告", order=1)
    make_category("子栏目", parent=first)
    make_article(category=first, title="新闻")

    blocks = selectors.home_blocks()["blocks"]

    assert [b.category for b in blocks] == [second, first]
    assert [titles(b.articles) for b in blocks] == [[], ["新闻"]]


def test_home_blocks_are_limited_and_in_reader_order(tree):
    for day in range(1, 9):
        make_article(category=tree["company"], title=f"第{day}天前", days_ago=day)
    make_article(category=tree["company"], title="置顶", days_ago=30, pinned=True)

    company = selectors.home_blocks(per_block=3)["blocks"][0]

    assert titles(company.articles) == ["置顶", "第1天前", "第2天前"]


@pytest.mark.parametrize("cross_listing", [False, True])
def test_home_queries_are_compiled_once_and_follow_the_clock(tree, monkeypatch, cross_listing):
    """A second home page builds no queryset at all; a scheduled article still appears on time.

    The home page is rendered again after every publish: building its dozen querysets cost
    more CPU than the database spent on them. Compiled once, each must still take the
    current time, or a scheduled article (定时发布) would never appear, or appear early.
    With 同时发布到 allowed, a section none of whose articles is listed elsewhere is read the same way.
    """
    services.site_settings_save(site_settings=SiteSettings(cross_listing=cross_listing), user=None, changed_fields=["cross_listing"])
    SiteSettings.changed()
    make_article(category=tree["company"], title="已发布", days_ago=1, pinned=True, headline=True)
    scheduled = make_article(category=tree["company"], title="定时", publish_at=days_from_now(1 / 24), pinned=True, headline=True)
    selectors.home_blocks()
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(self.query.model) or original(self, *a, **k))

    data = selectors.home_blocks()

    assert compiled == []
    assert titles(data["pinned"]) == titles(data["headlines"]) == ["已发布"]
    assert "定时" not in titles(data["latest"]) + titles(data["blocks"][0].articles)
    with time_machine.travel(scheduled.publish_at + timedelta(minutes=1)):
        later = selectors.home_blocks()
    assert titles(later["pinned"]) == titles(later["headlines"]) == ["定时", "已发布"]
    assert titles(later["latest"])[0] == titles(later["blocks"][0].articles)[0] == "定时"
    assert data["pinned"][0].category.name == tree["company"].name  # from the worker's category tree


def test_home_pinned_and_latest_lists(tree):
    for day in range(1, 13):
        make_article(category=tree["industry"], title=f"第{day}天前", days_ago=day)
    for day in range(1, 8):
        make_article(category=tree["company"], title=f"置顶{day}", days_ago=day + 0.5, pinned=True)
    make_article(category=tree["company"], title="定时置顶", publish_at=days_from_now(1 / 24), pinned=True)
    _hidden_articles(tree["company"])

    data = selectors.home_blocks()

    assert titles(data["pinned"]) == ["置顶1", "置顶2", "置顶3", "置顶4", "置顶5"]
    latest = data["latest"]
    assert len(latest) == 10
    assert [a.publish_at for a in latest] == sorted((a.publish_at for a in latest), reverse=True)
    assert titles(latest)[:3] == ["第1天前", "置顶1", "第2天前"]
    assert not {"定时置顶", "草稿", "待审", "归档", "定时"} & set(titles(latest))


def test_neighbours_are_older_and_newer_in_the_same_category(tree):
    oldest = make_article(category=tree["company"], title="最早", days_ago=10)
    make_article(category=tree["company"], title="较早草稿", status=Status.DRAFT, publish_at=days_from_now(-7))
    older = make_article(category=tree["company"], title="较早", days_ago=6)
    make_article(category=tree["industry"], title="别的栏目", days_ago=5)
    middle = make_article(category=tree["company"], title="本文", days_ago=4)
    make_article(category=tree["company"], title="较新归档", status=Status.ARCHIVED, publish_at=days_from_now(-3))
    newer = make_article(category=tree["company"], title="较新", days_ago=2)
    make_article(category=tree["company"], title="定时", publish_at=days_from_now(1))

    assert selectors.article_neighbours(middle) == (older, newer)
    assert selectors.article_neighbours(oldest) == (None, older)
    assert selectors.article_neighbours(newer) == (middle, None)


def test_neighbours_with_the_same_publish_time_follow_creation_order(tree):
    when = days_from_now(-1)
    first, second, third = (make_article(category=tree["company"], publish_at=when) for _ in range(3))

    assert selectors.article_neighbours(first) == (None, second)
    assert selectors.article_neighbours(second) == (first, third)
    assert selectors.article_neighbours(third) == (second, None)


def test_related_excludes_self_other_categories_and_unpublished(tree):
    article = make_article(category=tree["company"], title="本文", days_ago=3)
    make_article(category=tree["company"], title="旧闻", days_ago=5)
    make_article(category=tree["company"], title="新闻", days_ago=1)
    make_article(category=tree["industry"], title="行业", days_ago=1)
    _hidden_articles(tree["company"])

    assert titles(selectors.related_articles(article)) == ["新闻", "旧闻"]


def test_related_is_limited(tree):
    article = make_article(category=tree["company"], days_ago=0.5)
    for day in range(1, 10):
        make_article(category=tree["company"], days_ago=day)

    assert len(selectors.related_articles(article, limit=3)) == 3
    assert len(selectors.related_articles(article)) == 5


def test_related_are_the_nearest_in_time_two_newer_and_three_older(tree):
    """Nearest, not newest: an old article's 相关文章 are of its own time, and stay put when others publish."""
    ranked = [make_article(category=tree["company"], title=f"第{day}天", days_ago=day) for day in range(1, 13)]  # newest first

    assert titles(selectors.related_articles(ranked[6])) == ["第5天", "第6天", "第8天", "第9天", "第10天"]
    # At the ends, the other side fills in: the newest shows the five before it, the oldest the five after.
    assert titles(selectors.related_articles(ranked[0])) == ["第2天", "第3天", "第4天", "第5天", "第6天"]
    assert titles(selectors.related_articles(ranked[-1])) == ["第7天", "第8天", "第9天", "第10天", "第11天"]
    assert titles(selectors.related_articles(ranked[1])) == ["第1天", "第3天", "第4天", "第5天", "第6天"]
    make_article(category=tree["company"], title="今天", days_ago=0.1)
    assert titles(selectors.related_articles(ranked[6])) == ["第5天", "第6天", "第8天", "第9天", "第10天"]


def test_around_ids_are_the_articles_whose_pages_link_a_place(tree):
    ranked = [make_article(category=tree["company"], days_ago=day) for day in range(1, 16)]
    middle = ranked[7]

    around = selectors.around_ids(category_id=middle.category_id, when=middle.publish_at.isoformat(), pk=middle.pk)

    assert around == [a.pk for a in ranked[8:13]] + [a.pk for a in reversed(ranked[2:7])]
    # Every article page that links it (previous, next or related) is among them.
    linking = {a.pk for a in ranked if a != middle and middle in (*selectors.article_around(a)[:2], *selectors.article_around(a)[2])}
    assert linking and linking <= set(around)


def test_article_for_reader_returns_only_public_articles(tree):
    public = make_article(category=tree["company"])
    hidden = _hidden_articles(tree["company"])

    assert selectors.article_for_reader(public.pk) == public
    assert [selectors.article_for_reader(a.pk) for a in hidden] == [None] * len(hidden)
    assert selectors.article_for_reader(10**9) is None


def test_category_tree_attaches_children_in_order(tree):
    roots = selectors.category_tree()

    assert roots == [tree["root"]]
    assert roots[0].child_list == [tree["company"], tree["industry"], tree["notices"]]


@pytest.mark.parametrize("limit", [1, 3, 5, 12])
def test_article_around_gives_what_the_three_separate_queries_give(tree, limit):
    """One query for previous, next and related (the article page's miss) answers exactly as the three it replaces."""
    when = days_from_now(-2)
    articles = [make_article(category=tree["company"], days_ago=day) for day in (9, 7, 7, 5, 3, 1, 0.5)]
    articles += [make_article(category=tree["company"], publish_at=when) for _ in range(3)]  # equal times: id decides
    articles.append(make_article(category=tree["industry"], days_ago=4))  # alone in its section
    _hidden_articles(tree["company"])

    for article in articles:
        previous, following, related = selectors.article_around(article, limit=limit)
        assert (previous, following) == selectors.article_neighbours(article)
        assert related == selectors.related_articles(article, limit=limit)
        assert [a.title for a in related] == [a.title for a in selectors.related_articles(article, limit=limit)]


def test_article_around_of_a_draft_has_no_neighbours(tree):
    make_article(category=tree["company"], title="已发布", days_ago=1)
    draft = make_article(category=tree["company"], title="草稿", status=Status.DRAFT)
    assert selectors.article_around(draft) == (None, None, selectors.related_articles(draft))


def test_article_for_reader_brings_its_tags_in_order_and_whether_it_has_attachments(tree):
    from xinwen.news.models import Attachment, Tag

    article = make_article(category=tree["company"])
    bare = make_article(category=tree["company"])
    names = ["钢铁", "Alpha", "安全生产", "alpha", "引号\"<&>", "乙", "甲"]
    article.tags.set([Tag.objects.create(name=name, slug=f"t{n}") for n, name in enumerate(names)])
    Attachment.objects.bulk_create([Attachment(article=article, file=f"attachments/2024/01/{n}.pdf", size=10) for n in range(2)])

    found = selectors.article_for_reader(article.pk)
    expected = list(article.tags.order_by("name", "id"))
    assert [(t.pk, t.name, t.slug) for t in selectors.article_tags(found)] == [(t.pk, t.name, t.slug) for t in expected]
    assert [a.pk for a in selectors.article_attachments(found)] == [a.pk for a in article.attachments.all()]
    empty = selectors.article_for_reader(bare.pk)
    assert selectors.article_tags(empty) == [] and selectors.article_attachments(empty) == []


def test_placements_of_many_articles_are_each_ones_placement(tree, editor):
    """The page cache reads an import batch's placements at once; each must equal the one-article answer."""
    from xinwen.news import services

    listed = make_article(category=tree["company"], title="有标签")
    services.article_tags_set(article=listed, names=["安全生产", "年度会议"], user=editor)
    draft = make_article(category=tree["industry"], status=Article.Status.DRAFT)
    deleted = make_article(category=tree["company"])
    Article.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    ids = [listed.pk, draft.pk, deleted.pk, 999_999]

    found = selectors.article_placements(ids, batch_size=2)

    assert found == {pk: selectors.article_placement(pk) for pk in ids[:3]}
    assert len(found[listed.pk].tags) == 2 and found[listed.pk].listed and not found[deleted.pk].listed
