"""Reads for the public site. Every one starts from Article.objects.published()."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Exists, Expression, Min, OuterRef, Q, QuerySet, TextField
from django.utils import timezone

from xinwen.news.models import Article, Attachment, Category, SiteSettings, Tag, Topic
from xinwen.news.prepared import Prepared
from xinwen.news.tree import CategoryTree

__all__ = [
    "public_articles",
    "category_tree",
    "category_descendant_ids",
    "article_is_shareable",
    "in_sections",
    "category_articles",
    "category_article_ids",
    "section_ids",
    "section_head_ids",
    "SectionIds",
    "articles_in_order",
    "home_blocks",
    "article_for_reader",
    "article_neighbours",
    "related_articles",
    "around_ids",
    "article_around",
    "article_attachments",
    "Placement",
    "placement_flags",
    "featured_blocks",
    "article_placement",
    "article_placements",
    "link_ids",
    "tag_article_ids",
    "topic_article_ids",
    "public_topics",
    "article_tags",
    "site_name",
    "next_time_change",
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


def in_sections(articles: QuerySet[Article], category_ids) -> QuerySet[Article]:
    """`articles` listed in these sections: their own, and those 同时发布到 them when 站点设置 allows it."""
    return articles.in_sections(category_ids, cross_listed=SiteSettings.current().cross_listing)


class Placement(NamedTuple):
    """What decides where an article is listed; two equal placements list it on the same pages."""

    category_id: int | None
    listed: bool  # published: public now, or scheduled (lists must expire at its time)
    publish_at: str | None  # ISO time
    pinned: bool
    flags: str = ""  # the home-page places it holds: h 头条, f 焦点图 (with a cover), r 推荐
    tags: tuple[int, ...] = ()  # ids of its 标签: it is listed on their pages too
    also_in: tuple[int, ...] = ()  # ids of the further sections it is listed in (同时发布到)

    @classmethod
    def from_list(cls, value) -> Placement:
        """A Placement from list(placement) as a JSON store gives it back (its id tuples as lists)."""
        *head, tags, also_in = value
        return cls(*head, tuple(tags), tuple(also_in))


def placement_flags(headline: bool, focus: bool, recommended: bool, cover: str) -> str:
    return ("h" if headline else "") + ("f" if focus and cover else "") + ("r" if recommended else "")


def article_placement(article_id: int) -> Placement | None:
    """The article's placement now, or None if it no longer exists."""
    return article_placements([article_id]).get(article_id)


_PLACEMENT_COLUMNS = ("category_id", "status", "publish_at", "pinned", "deleted_at", "headline", "focus", "recommended", "cover")


def _placement(row, tag_ids: tuple[int, ...], also_in: tuple[int, ...]) -> Placement:
    """A Placement from a row of _PLACEMENT_COLUMNS, the article's tag ids and its further sections."""
    category_id, status, publish_at, pinned, deleted_at, *flags = row
    listed = status == Article.Status.PUBLISHED and deleted_at is None  # the recycle bin lists nowhere
    return Placement(
        category_id, listed, publish_at.isoformat() if publish_at else None, pinned, placement_flags(*flags), tag_ids, also_in
    )


def link_ids(through, column: str, batch: list[int] | None = None) -> dict[int, tuple[int, ...]]:
    """article id -> the sorted ids in `column` of an article link table (标签, 同时发布到); every article's without `batch`."""
    found: dict[int, list[int]] = {}
    rows = through.objects.all() if batch is None else through.objects.filter(article_id__in=batch)
    rows = rows.order_by("article_id", column).values_list("article_id", column)
    for article_id, other in rows:
        found.setdefault(article_id, []).append(other)
    return {pk: tuple(ids) for pk, ids in found.items()}


def article_placements(article_ids, *, batch_size: int = 500) -> dict[int, Placement]:
    """`article_placement` of many articles, three queries per batch; an article that no longer exists is left out."""
    ids = sorted(set(article_ids))
    found: dict[int, Placement] = {}
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        tags = link_ids(Article.tags.through, "tag_id", batch)
        also_in = link_ids(Article.also_in.through, "category_id", batch)
        rows = Article.objects.filter(pk__in=batch).values_list("pk", *_PLACEMENT_COLUMNS)
        for pk, *row in rows:
            found[pk] = _placement(row, tags.get(pk, ()), also_in.get(pk, ()))
    return found


def category_articles(category: Category) -> QuerySet[Article]:
    """Published articles of a category and its sub-categories, in reader order."""
    return (
        in_sections(public_articles(), category_descendant_ids(category))
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
    """The article's tags, by name, for the links under its text (read with the article by article_for_reader)."""
    rows = getattr(article, "tag_rows", None)
    if rows is None:
        return list(article.tags.order_by("name", "id"))
    return [Tag(id=pk, name=name, slug=slug) for pk, name, slug in json.loads(rows)]


class _TagRows(Expression):
    """The article's 标签 as a JSON list of [id, name, slug] by name then id, read with the article row itself.

    Ordered as article.tags.order_by("name", "id") is, in the database's own collation.
    """

    output_field = TextField()

    def as_sql(self, compiler, connection):
        q = connection.ops.quote_name
        tag, through, article = Tag._meta.db_table, Article.tags.through._meta.db_table, Article._meta.db_table
        rows = (
            f"SELECT t.id, t.name, t.slug FROM {q(tag)} t INNER JOIN {q(through)} x ON x.tag_id = t.id"
            f" WHERE x.article_id = {q(article)}.id"
        )
        if connection.vendor == "postgresql":
            return (
                f"(SELECT COALESCE(json_agg(json_build_array(r.id, r.name, r.slug) ORDER BY r.name, r.id)::text, '[]')"
                f" FROM ({rows}) r)",
                [],
            )
        # SQLite before 3.44 has no ORDER BY inside an aggregate; it aggregates a subquery's rows in its order.
        return f"(SELECT json_group_array(json_array(r.id, r.name, r.slug)) FROM ({rows} ORDER BY t.name, t.id) r)", []


def category_article_ids(category: Category) -> QuerySet[int] | SectionIds:
    """Ids of category_articles(), in the same order: paginate these, then load one page of rows.

    Ordering ids reads only the index; ordering whole rows would sort every article of the
    category with its body first (page 50 of a 2,500-article section: 50 ms against 1).
    """
    return section_ids(category_descendant_ids(category))


GUESTS_MERGED = 2000  # up to this many articles 同时发布到 a section are merged in Python; beyond, one OR query


class SectionIds:
    """A section list's ids in reader order: its own articles merged with those 同时发布到 it (its guests).

    One query with `category IN (…) OR id IN (…)` makes SQLite walk every public article
    (measured: 2× the CPU of a list page). Instead the section's own ids come from its
    index as without cross-listing, the guests (few: the link table's index names them)
    are read once by their primary keys, and a page is the merge of the two ordered lists.
    Paginator needs count() and slicing, and that is all this offers.
    """

    ordered = True  # Paginator's check: both parts are in reader order
    KEYS = ("pinned", "publish_at", "pk")  # reader order is these, descending: tuples compare that way

    def __init__(self, own: QuerySet[Article], guests: list[tuple]):
        self.own, self.guests = own, guests  # guests: their KEYS rows, in reader order

    def count(self) -> int:
        return self.own.count() + len(self.guests)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop is not None and index.stop < 0):
            raise ValueError("SectionIds takes forward slices only")
        start, stop = index.start or 0, index.stop
        guests = self.guests[:stop]
        # At most len(guests) guests precede the window, so the section's own ids before
        # `skip` all lie before it: a deep page reads a page of its own ids, not every one.
        skip = max(0, start - len(guests))
        own = list(self.own.values_list(*self.KEYS)[skip:stop]) if skip else []
        if own:
            first = own[0]  # at position skip + (the guests ahead of it) in the merged list
            ahead = sum(1 for row in guests if row > first)
            merged = sorted([*own, *(row for row in guests if row < first)], reverse=True)
            offset = skip + ahead
        else:  # a first page, or past the section's own ids: merge from the top
            merged = sorted([*self.own.values_list(*self.KEYS)[:stop], *guests], reverse=True)
            offset = 0
        return [pk for _pinned, _at, pk in merged[start - offset : None if stop is None else stop - offset]]


def section_ids(category_ids: list[int]) -> QuerySet[int] | SectionIds:
    """Ids of the public articles listed in these sections (a section and its sub-sections), in reader order."""
    own = Article.objects.published().filter(category_id__in=category_ids).listed()
    if not SiteSettings.current().cross_listing:
        return own.values_list("pk", flat=True)
    links = Article.also_in.through.objects.filter(category_id__in=category_ids)
    guest_ids = list(links.values_list("article_id", flat=True)[: GUESTS_MERGED + 1])
    if not guest_ids:
        return own.values_list("pk", flat=True)
    if len(guest_ids) > GUESTS_MERGED:  # a site that lists thousands elsewhere: correct, if slower
        return in_sections(Article.objects.published(), category_ids).listed().values_list("pk", flat=True)
    # Literal ids: SQLite then reads the guests by primary key instead of walking the public index.
    guests = Article.objects.published().filter(pk__in=set(guest_ids)).exclude(category_id__in=category_ids).listed()
    return SectionIds(own, list(guests.values_list(*SectionIds.KEYS)))


# A list's ids are padded (with 0, no article's id) up to one of these sizes: one compiled
# query per size and set of fields. A longer list is read through the ORM.
_ID_SIZES = (8, 16, 32, 64)


@functools.lru_cache(maxsize=2 * len(_ID_SIZES))
def _rows_by_id(fields: tuple[str, ...], size: int) -> Prepared:
    names = [f"id{n}" for n in range(size)]

    def build(*, now: datetime, **ids: int) -> QuerySet[Article]:
        return Article.objects.published(now=now).filter(pk__in=[ids[name] for name in names]).only(*fields)

    build.__name__ = f"rows_by_id_{size}"
    return Prepared(Article, build, now=datetime, **dict.fromkeys(names, int))


def articles_in_order(ids, *, fields=DESCRIBED_LIST_FIELDS) -> list[Article]:
    """The public articles with these ids, in the order given, for a list (one query).

    Compiled once per worker for a list of up to 64 (a page, the home page's blocks), with
    the categories from the worker's tree, as the article page has them.
    """
    ids = list(ids)
    if not ids:
        return []
    size = next((size for size in _ID_SIZES if size >= len(ids)), None)
    if size is None:
        rows = list(Article.objects.published().filter(pk__in=ids).only(*fields))
    else:
        padded = dict(zip((f"id{n}" for n in range(size)), [*ids, *[0] * (size - len(ids))], strict=True))
        rows = _rows_by_id(tuple(fields), size).rows(now=timezone.now(), **padded)
    found = {article.pk: article for article in _with_categories(rows, CategoryTree.current())}
    return [found[pk] for pk in ids if pk in found]


@dataclass
class HomeBlock:
    category: Category
    articles: list[Article]


def home_blocks(*, per_block: int = 6) -> dict:
    """Pinned and latest news, and one block per top-level category (or per child of a single root).

    Its queries are compiled once per process (news/prepared.py), all but those of a section
    that lists articles of other sections (同时发布到): the home page is rendered again after
    every publish, and building its dozen querysets cost more CPU than the database spent
    answering them. The articles' categories are the worker's CategoryTree nodes, as on the
    article page, not a join.
    """
    now = timezone.now()
    tree = CategoryTree.current()
    pinned = _with_categories(_PINNED.rows(now=now), tree)
    latest = _with_categories(_LATEST.rows(now=now), tree)
    # A news center usually has one root (新闻中心) whose children are the real sections.
    sections = tree.sections()
    # Each block's ids from the index, then the rows of every block in one query.
    ids_by_section = [section_head_ids(tree.descendant_ids(section.pk), per_block, now=now) for section in sections]
    rows = articles_in_order([pk for ids in ids_by_section for pk in ids], fields=LIST_FIELDS)
    by_id = {article.pk: article for article in rows}
    blocks = [
        HomeBlock(category=section, articles=[by_id[pk] for pk in ids if pk in by_id])
        for section, ids in zip(sections, ids_by_section, strict=True)
    ]
    return {"pinned": pinned, "latest": latest, "blocks": blocks, **featured_blocks(now=now, tree=tree)}


def _with_categories(articles: list[Article], tree: CategoryTree) -> list[Article]:
    """`articles` with their categories from the worker's tree, kept current by the category notices.

    A category newer than the tree is read with its parents (the breadcrumb's path), one query for all.
    """
    missing = {article.category_id for article in articles if article.category_id not in tree.nodes}
    newer = Category.objects.select_related("parent__parent").in_bulk(missing) if missing else {}
    for article in articles:
        article.category = tree.nodes.get(article.category_id) or newer[article.category_id]
    return articles


def _newest(name: str, fields: tuple[str, ...], count: int, order=("-publish_at", "-id"), without=None, **where) -> Prepared:
    """A compiled query of the newest `count` public articles with `where` and none of `without`."""

    def build(*, now: datetime) -> QuerySet[Article]:
        found = Article.objects.published(now=now).filter(**where).exclude(**(without or {}))
        return found.only(*fields).order_by(*order)[:count]

    build.__name__ = f"home_{name}"
    return Prepared(Article, build, now=datetime)


FOCUS_COUNT, HEADLINE_COUNT, RECOMMENDED_COUNT = 5, 2, 6
_PINNED = _newest("pinned", DESCRIBED_LIST_FIELDS, 5, pinned=True)  # in article_pinned's order: read from it alone
_LATEST = _newest("latest", LIST_FIELDS, 10)
_FEATURED = {
    "headlines": _newest("headlines", DESCRIBED_LIST_FIELDS, HEADLINE_COUNT, headline=True),
    "focus": _newest("focus", DESCRIBED_LIST_FIELDS, FOCUS_COUNT, without={"cover": ""}, focus=True),
    "recommended": _newest("recommended", DESCRIBED_LIST_FIELDS, RECOMMENDED_COUNT, recommended=True),
}


def featured_blocks(*, now: datetime | None = None, tree: CategoryTree | None = None) -> dict[str, list[Article]]:
    """头条, 焦点图 and 推荐 of the home page: each the newest articles an editor flagged for it.

    焦点图 needs a cover (a slide without a picture is no slide); an article may hold several
    places. Newest first by publish time, so a new flag pushes the oldest one out.
    """
    now = now or timezone.now()
    tree = tree or CategoryTree.current()
    return {place: _with_categories(query.rows(now=now), tree) for place, query in _FEATURED.items()}


@functools.lru_cache(maxsize=256)  # the sections of the tree (and of the trees before a change): a few dozen
def _section_head(category_ids: tuple[int, ...], count: int) -> Prepared:
    def build(*, now: datetime) -> QuerySet[Article]:
        return Article.objects.published(now=now).filter(category_id__in=category_ids).listed().only("pk")[:count]

    build.__name__ = "section_head"
    return Prepared(Article, build, now=datetime)


@functools.lru_cache(maxsize=256)
def _section_guests(category_ids: tuple[int, ...]) -> Prepared:
    through = Article.also_in.through

    def build() -> QuerySet:
        return through.objects.filter(category_id__in=category_ids).only("pk")[:1]

    build.__name__ = "section_guests"
    return Prepared(through, build)


def section_head_ids(category_ids: list[int], count: int, *, now: datetime | None = None) -> list[int]:
    """The first `count` of section_ids(category_ids), compiled once per section while none of it is 同时发布到 there.

    A section that lists articles of other sections goes through section_ids, which merges them.
    """
    key = tuple(category_ids)
    if SiteSettings.current().cross_listing and _section_guests(key).rows():
        return list(section_ids(category_ids)[:count])
    return [article.pk for article in _section_head(key, count).rows(now=now or timezone.now())]


def _reader_query(*, now: datetime, pk: int) -> QuerySet[Article]:
    return (
        Article.objects.published(now=now)
        .annotate(tag_rows=_TagRows(), has_attachments=Exists(Attachment.objects.filter(article=OuterRef("pk"))))
        .filter(pk=pk)
    )


_READER = Prepared(Article, _reader_query, now=datetime, pk=int)


def _shareable_query(*, now: datetime, pk: int) -> QuerySet[Article]:
    return Article.objects.published(now=now).filter(pk=pk, external_url="").only("pk")


_SHAREABLE = Prepared(Article, _shareable_query, now=datetime, pk=int)


def article_is_shareable(pk: int) -> bool:
    """Whether `pk` is a public article with a page of its own (not a 外链文章): its share QR code exists.

    One compiled query: the static build asks it for every article in every script.
    """
    return 0 < pk < 2**63 and bool(_SHAREABLE.rows(now=timezone.now(), pk=pk))


def article_for_reader(pk: int) -> Article | None:
    """The public article with its category path, its 标签 and whether it has attachments: one query.

    The category and its parents are the worker's CategoryTree nodes (kept current by the
    category notices), not a join.
    """
    if not 0 < pk < 2**63:  # no such id; the database would not take the number (the ORM answers nothing too)
        return None
    found = _READER.rows(now=timezone.now(), pk=pk)
    if not found:
        return None
    return _with_categories(found, CategoryTree.current())[0]


def article_attachments(article: Article) -> list[Attachment]:
    """The article's attachments; no query when article_for_reader found it has none."""
    if not getattr(article, "has_attachments", True):
        return []
    return list(article.attachments.all())


def _older(same: QuerySet, when: datetime, pk: int) -> QuerySet:
    return same.filter(Q(publish_at__lt=when) | Q(publish_at=when, id__lt=pk)).order_by("-publish_at", "-id")


def _newer(same: QuerySet, when: datetime, pk: int) -> QuerySet:
    return same.filter(Q(publish_at__gt=when) | Q(publish_at=when, id__gt=pk)).order_by("publish_at", "id")


def article_neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """(previous, next) in the same category by publish time: previous is older."""
    same = Article.objects.published().filter(category_id=article.category_id).only("id", "title", "publish_at", "source_script")
    when, pk = article.publish_at, article.pk
    return _older(same, when, pk).first(), _newer(same, when, pk).first()


RELATED = 5  # 相关文章 on an article page


def _nearest(newer: list, older: list, limit: int) -> list:
    """The `limit` nearest of the newer (closest last) and older (closest first) rows, newest first.

    Two newer and the rest older, or more of one side where the other runs out (the newest
    article shows the five before it). Nearest, not newest: then an article's 相关文章 change
    only when an article within five places of it in its section does, so a publish or an
    edit rewrites a few article pages, not every page of the section (news/purges.py).
    """
    take_newer = min(len(newer), max(limit // 2, limit - len(older)))
    take_older = min(len(older), limit - take_newer)
    return newer[len(newer) - take_newer :] + older[:take_older]


def related_articles(article: Article, *, limit: int = RELATED) -> list[Article]:
    """The articles of its category published nearest to it (a draft without a time: the newest)."""
    same = (
        Article.objects.published()
        .filter(category_id=article.category_id)
        .exclude(pk=article.pk)
        .only("id", "title", "publish_at", "pinned", "category_id", "source_script", "external_url", "source_name")
    )
    if article.publish_at is None:
        return list(same.order_by("-publish_at", "-id")[:limit])
    when, pk = article.publish_at, article.pk
    return _nearest(list(_newer(same, when, pk)[:limit])[::-1], list(_older(same, when, pk)[:limit]), limit)


def around_ids(*, category_id: int | None, when: datetime | str | None, pk: int, limit: int = RELATED) -> list[int]:
    """The public articles whose pages link an article at `when` in `category_id` (or would, once it is there).

    Previous, next and 相关文章 lie within `limit` places on either side (_nearest), so these
    are the `limit` nearest older and newer articles of the section: the pages to rewrite when
    the article enters, leaves or moves in that place, or changes its title.
    """
    if category_id is None or when is None:
        return []
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    rows = _around(limit, ("id", "publish_at")).rows(now=timezone.now(), category=category_id, pk=pk, when=when)
    key = (when, pk)
    return [row.pk for row in rows if (row.publish_at, row.pk) < key] + [
        row.pk for row in reversed(rows) if (row.publish_at, row.pk) > key
    ]


AROUND_FIELDS = ("id", "title", "publish_at", "pinned", "category_id", "source_script", "external_url", "source_name")


def _around_query(*, now: datetime, category: int, pk: int, when: datetime, limit: int, fields: tuple[str, ...]) -> QuerySet[Article]:
    same = Article.objects.published(now=now).filter(category_id=category)
    older = _older(same, when, pk).values("pk")[:limit]
    newer = _newer(same, when, pk).values("pk")[:limit]
    # The subqueries decide what is public; the outer query only fetches those few rows by primary key.
    return Article.objects.filter(Q(pk__in=older) | Q(pk__in=newer)).only(*fields).order_by("-publish_at", "-id")


_AROUND: dict[tuple[int, tuple[str, ...]], Prepared] = {}  # by limit and fields: both are part of the SQL


def _around(limit: int, fields: tuple[str, ...]) -> Prepared:
    """The `limit` nearest older and newer public articles of a section around a place, newest first.

    Prepared: its named parameters let SQLite read each side as one range of the section's
    index (news/prepared.py), where the ORM's own query read every newer article (1.8 ms at
    10,000 articles for the pages an edit rewrites)."""
    found = _AROUND.get((limit, fields))
    if found is None:
        found = _AROUND[limit, fields] = Prepared(
            Article, lambda **marks: _around_query(limit=limit, fields=fields, **marks),
            now=datetime, category=int, pk=int, when=datetime,
        )  # fmt: skip
    return found


def article_around(article: Article, *, limit: int = RELATED) -> tuple[Article | None, Article | None, list[Article]]:
    """(previous, next, related) as article_neighbours() and related_articles() give them, in one query.

    The rows are the `limit` nearest older and newer articles of its category, newest first:
    previous is the newest row older than the article, next the oldest row newer than it.
    """
    when, pk = article.publish_at, article.pk
    if when is None:  # a draft in preview has no place in time
        return None, None, related_articles(article, limit=limit)
    rows = _around(limit, AROUND_FIELDS).rows(now=timezone.now(), category=article.category_id, pk=pk, when=when)
    key = (when, pk)
    newer = [row for row in rows if (row.publish_at, row.pk) > key]
    older = [row for row in rows if (row.publish_at, row.pk) < key]
    return (older[0] if older else None), (newer[-1] if newer else None), _nearest(newer, older, limit)


def site_name() -> str:
    """The site's name as saved under 站点设置, or settings.SITE_NAME when none is (one query)."""
    return SiteSettings.current().name


# Rows next_time_change reads ahead: drafts and deleted articles with a time ahead are few.
AHEAD = 20


def _ahead(field: str) -> Prepared:
    def build(*, now: datetime):
        return Article.objects.filter(**{f"{field}__gt": now}).order_by(field).only(field, "status", "deleted_at")[:AHEAD]

    build.__name__ = f"{field}_ahead"
    return Prepared(Article, build, now=datetime)


# Compiled once per process (news/prepared.py): every stored page asks, and building two
# querysets cost more than the database took to answer them.
_AHEAD = {field: _ahead(field) for field in ("publish_at", "unpublish_at")}


def _next_time(field: str, now: datetime) -> datetime | None:
    """The earliest `field` after `now` among released articles, from the first rows of `field`'s index.

    The query names nothing but `field`, so the one index that can answer it is `field`'s own,
    whatever the planner's statistics say (without them SQLite preferred walking a status
    index and sorting every published article). When AHEAD rows are all drafts or deleted,
    the aggregate answers, slowly but surely.
    """
    ahead = _AHEAD[field].rows(now=now)
    for article in ahead:
        if article.is_released:
            return getattr(article, field)
    if len(ahead) < AHEAD:
        return None
    return Article.objects.released().filter(**{f"{field}__gt": now}).aggregate(first=Min(field))["first"]


def next_time_change(now: datetime) -> datetime | None:
    """When what readers see next changes by time alone: the next article going live or going offline (定时下线).

    Each is read from the start of an index (publish_at's, article_going_offline): the page
    cache asks for every page it stores. One aggregate over the released articles cost
    0.7 ms at 2,000 articles, growing with each.
    """
    times = [t for t in (_next_time("publish_at", now), _next_time("unpublish_at", now)) if t is not None]
    return min(times) if times else None
