"""Reads for the public site. Every one starts from Article.objects.published()."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Prefetch, Q, QuerySet

from xinwen.news.models import Article, Category, SiteSettings, Tag, Topic
from xinwen.news.tree import CategoryTree

__all__ = [
    "public_articles",
    "category_tree",
    "category_descendant_ids",
    "category_articles",
    "category_article_ids",
    "articles_in_order",
    "home_blocks",
    "article_for_reader",
    "article_neighbours",
    "related_articles",
    "Placement",
    "placement_flags",
    "featured_blocks",
    "article_placement",
    "tag_article_ids",
    "topic_article_ids",
    "public_topics",
    "article_tags",
    "site_name",
]

LIST_FIELDS = (
    "id", "title", "subtitle", "summary", "publish_at", "pinned", "view_count", "category_id", "cover", "source_script",
    "external_url", "source_name",  # a 外链文章 links out and names its source in lists
)
# Lists that show Article.description() need the body too: its fallback when there is no
# summary. Deferring it would cost one query per listed article.
DESCRIBED_LIST_FIELDS = (*LIST_FIELDS, "body")


def public_articles() -> QuerySet[Article]:
    return Article.objects.published().select_related("category")


def category_tree() -> list[Category]:
    """Top-level categories with their children attached as `.child_list`, in one query."""
    return CategoryTree.load().roots()


def category_descendant_ids(category: Category) -> list[int]:
    """The category and everything below it (the tree each worker keeps: see CategoryTree.current)."""
    return CategoryTree.current().descendant_ids(category.pk)


class Placement(NamedTuple):
    """What decides where an article is listed; two equal placements list it on the same pages."""

    category_id: int | None
    listed: bool  # published: public now, or scheduled (lists must expire at its time)
    publish_at: str | None  # ISO time
    pinned: bool
    flags: str = ""  # the home-page places it holds: h 头条, f 焦点图 (with a cover), r 推荐
    tags: tuple[int, ...] = ()  # ids of its 标签: it is listed on their pages too


def placement_flags(headline: bool, focus: bool, recommended: bool, cover: str) -> str:
    return ("h" if headline else "") + ("f" if focus and cover else "") + ("r" if recommended else "")


def _tag_ids(article_id: int) -> tuple[int, ...]:
    return tuple(sorted(Article.tags.through.objects.filter(article_id=article_id).values_list("tag_id", flat=True)))


def article_placement(article_id: int) -> Placement | None:
    """The article's placement now, or None if it no longer exists."""
    row = (
        Article.objects.filter(pk=article_id)
        .values_list("category_id", "status", "publish_at", "pinned", "deleted_at", "headline", "focus", "recommended", "cover")
        .first()
    )
    if row is None:
        return None
    category_id, status, publish_at, pinned, deleted_at, *flags = row
    listed = status == Article.Status.PUBLISHED and deleted_at is None  # the recycle bin lists nowhere
    return Placement(category_id, listed, publish_at.isoformat() if publish_at else None, pinned, placement_flags(*flags), _tag_ids(article_id))


def category_articles(category: Category) -> QuerySet[Article]:
    """Published articles of a category and its sub-categories, in reader order."""
    return (
        public_articles()
        .filter(category_id__in=category_descendant_ids(category))
        .only(*DESCRIBED_LIST_FIELDS, "category__name", "category__slug")
        .listed()
    )


def tag_article_ids(tag: Tag) -> QuerySet[int]:
    """Ids of the published articles carrying `tag`, in list order (paginate these, as for a category)."""
    return Article.objects.published().filter(tags=tag).listed().values_list("pk", flat=True)


def public_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_public=True).select_related("tag")


def topic_article_ids(topic: Topic) -> QuerySet[int]:
    """Ids of a topic's published articles, hand-picked or carrying its tag, newest first."""
    chosen = Q(topics=topic)
    if topic.tag_id:
        chosen |= Q(tags=topic.tag_id)
    ids = Article.objects.published().filter(chosen).values("pk")
    return Article.objects.published().filter(pk__in=ids).order_by("-publish_at", "-id").values_list("pk", flat=True)


def article_tags(article: Article) -> list[Tag]:
    """The article's tags, by name, for the links under its text."""
    return list(article.tags.order_by("name", "id"))


def category_article_ids(category: Category) -> QuerySet[int]:
    """Ids of category_articles(), in the same order: paginate these, then load one page of rows.

    Ordering ids reads only the index; ordering whole rows would sort every article of the
    category with its body first (page 50 of a 2,500-article section: 50 ms against 1).
    """
    return (
        Article.objects.published()
        .filter(category_id__in=category_descendant_ids(category))
        .listed()
        .values_list("pk", flat=True)
    )


def articles_in_order(ids, *, fields=DESCRIBED_LIST_FIELDS) -> list[Article]:
    """The public articles with these ids, in the order given, for a list (one query)."""
    ids = list(ids)
    found = public_articles().only(*fields, "category__name", "category__slug").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass
class HomeBlock:
    category: Category
    articles: list[Article]


def home_blocks(*, per_block: int = 6) -> dict:
    """Pinned and latest news, and one block per top-level category (or per child of a single root)."""
    base = public_articles().only(*LIST_FIELDS, "category__name", "category__slug")
    described = public_articles().only(*DESCRIBED_LIST_FIELDS, "category__name", "category__slug")
    pinned = list(described.filter(pinned=True).order_by("-publish_at")[:5])
    latest = list(base.order_by("-publish_at", "-id")[:10])
    tree = CategoryTree.current()
    # A news center usually has one root (新闻中心) whose children are the real sections.
    sections = tree.sections()
    # Each block's ids from the index, then the rows of every block in one query.
    ids_by_section = [
        list(
            Article.objects.published()
            .filter(category_id__in=tree.descendant_ids(section.pk))
            .listed()
            .values_list("pk", flat=True)[:per_block]
        )
        for section in sections
    ]
    rows = articles_in_order([pk for ids in ids_by_section for pk in ids], fields=LIST_FIELDS)
    by_id = {article.pk: article for article in rows}
    blocks = [
        HomeBlock(category=section, articles=[by_id[pk] for pk in ids if pk in by_id])
        for section, ids in zip(sections, ids_by_section, strict=True)
    ]
    return {"pinned": pinned, "latest": latest, "blocks": blocks, **featured_blocks(described)}


FOCUS_COUNT, HEADLINE_COUNT, RECOMMENDED_COUNT = 5, 2, 6


def featured_blocks(described: QuerySet[Article]) -> dict[str, list[Article]]:
    """头条, 焦点图 and 推荐 of the home page: each the newest articles an editor flagged for it.

    焦点图 needs a cover (a slide without a picture is no slide); an article may hold several
    places. Newest first by publish time, so a new flag pushes the oldest one out.
    """
    newest = described.order_by("-publish_at", "-id")
    return {
        "headlines": list(newest.filter(headline=True)[:HEADLINE_COUNT]),
        "focus": list(newest.filter(focus=True).exclude(cover="")[:FOCUS_COUNT]),
        "recommended": list(newest.filter(recommended=True)[:RECOMMENDED_COUNT]),
    }


def article_for_reader(pk: int) -> Article | None:
    return (
        public_articles()
        .select_related("category__parent__parent")
        .prefetch_related(Prefetch("attachments"))
        .filter(pk=pk)
        .first()
    )


def article_neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """(previous, next) in the same category by publish time: previous is older."""
    same = Article.objects.published().filter(category_id=article.category_id).only("id", "title", "publish_at", "source_script")
    when, pk = article.publish_at, article.pk
    older = (
        same.filter(Q(publish_at__lt=when) | Q(publish_at=when, id__lt=pk)).order_by("-publish_at", "-id").first()
    )
    newer = same.filter(Q(publish_at__gt=when) | Q(publish_at=when, id__gt=pk)).order_by("publish_at", "id").first()
    return older, newer


def related_articles(article: Article, *, limit: int = 5) -> list[Article]:
    """Recent articles of the same category; the search issue can refine this by content."""
    return list(
        Article.objects.published()
        .filter(category_id=article.category_id)
        .exclude(pk=article.pk)
        .only("id", "title", "publish_at", "pinned", "category_id", "source_script", "external_url", "source_name")
        .order_by("-publish_at", "-id")[:limit]
    )


def site_name() -> str:
    """The site's name as saved under 站点设置, or settings.SITE_NAME when none is (one query)."""
    return SiteSettings.current().name
