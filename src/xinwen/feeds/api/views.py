"""The read-only endpoints: articles (list, detail, search) and categories. Public content only.

Search is a thin adapter over the search app's one entry (search.selectors.article_search),
the same the site's search page calls, so both answer alike and count against the same
per-client budget (SEARCH_RATE_LIMIT); the API refuses what the page forgives.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone
from ninja import Path, Query, Router

from xinwen.feeds import links, media, selectors
from xinwen.feeds.api.schemas import (
    ArticleDetailOut,
    ArticlePage,
    CategoryOut,
    ErrorOut,
    IsoDate,
    SearchPage,
    VariantCode,
)
from xinwen.feeds.errors import ApiError
from xinwen.feeds.reader import Reader
from xinwen.hanzi.variants import VARIANTS
from xinwen.news.models import Article, Category, SiteSettings
from xinwen.search.params import MAX_INPUT_LENGTH, MAX_PER_PAGE, MAX_SLUG_LENGTH, SLUG_PATTERN, asks_for_search
from xinwen.search.ratelimit import rate_limited, refuse_json
from xinwen.search.selectors import article_search

__all__ = ["router", "MAX_PAGE_SIZE"]

router = Router(tags=["新闻"])

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = MAX_PER_PAGE
MAX_ID = 2**63 - 1
LIST_FIELDS = (
    "id", "title", "subtitle", "summary", "body", "author", "source_name", "source_url", "publish_at",
    "updated_at", "cover", "view_count", "pinned", "source_script", "category__slug", "category__name",
)  # fmt: skip

VARIANT_PARAM = Query("zh-hans", description="文字版本：zh-hans 简体、zh-hant 繁体、zh-tw 台湾正体、zh-hk 香港繁体")


def _reader(request, variant: str) -> Reader:
    return Reader.of(request, VARIANTS[variant])


def _page_url(request, reader: Reader, path: str) -> str:
    return links.absolute(request, links.variant_path(path, reader.variant.code))


def _category_ref(request, reader: Reader, category: Category) -> dict:
    return {
        "slug": category.slug,
        "name": reader.text(category.name),
        "url": _page_url(request, reader, links.path_of("news:category", slug=category.slug)),
    }


def _article(request, reader: Reader, article: Article) -> dict:
    source = article.source_script
    return {
        "id": article.pk,
        "url": _page_url(request, reader, links.path_of("news:article", pk=article.pk)),
        "title": reader.text(article.title, source),
        "subtitle": reader.text(article.subtitle, source),
        "summary": reader.text(article.summary or article.description(length=200), source),
        "category": _category_ref(request, reader, article.category),
        "author": reader.text(article.author, source),
        "source_name": reader.text(article.source_name, source),
        "source_url": article.source_url,
        "published_at": _local(article.publish_at),
        "updated_at": _local(max(article.updated_at, article.publish_at)),
        "cover": links.absolute(request, article.cover.url) if article.cover else None,
        "view_count": article.view_count,
        "pinned": article.pinned,
        "language": reader.variant.lang,
    }


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(microsecond=0)


def _day_start(day: date) -> datetime | None:
    """The first moment of a calendar day in the site's time zone; None where datetimes end (year 1)."""
    try:
        return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()).astimezone(UTC)
    except OverflowError:
        return None


def _check_date_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise ApiError(
            400,
            "invalid_date_range",
            f"开始日期 date_from（{date_from}）晚于结束日期 date_to（{date_to}）：请交换两个日期。",
            field="date_from",
        )


def _category_named(slug: str | None) -> Category | None:
    if slug is None:
        return None
    node = Category.objects.filter(slug=slug).first()
    if node is None:
        raise ApiError(
            404,
            "unknown_category",
            f"参数 category 指定的栏目「{slug}」不存在：可用的栏目见 categories 接口。",
            field="category",
        )
    return node


def _page_link(request, number: int) -> str:
    params = {key: value for key, value in request.GET.items() if key != "page"}
    return links.absolute(request, f"{request.path}?{urlencode({**params, 'page': number})}")


def _paginate(request, items, page: int, page_size: int):
    """(the page, the envelope fields every list answer shares); a page past the end is a 404."""
    paginator = Paginator(items, page_size)
    if page > paginator.num_pages:
        raise ApiError(404, "page_out_of_range", f"第 {page} 页不存在：共 {paginator.num_pages} 页。", field="page")
    current = paginator.page(page)
    return current, _envelope(request, current)


def _envelope(request, current) -> dict:
    return {
        "count": current.paginator.count,
        "page": current.number,
        "pages": current.paginator.num_pages,
        "page_size": current.paginator.per_page,
        "next": _page_link(request, current.next_page_number()) if current.has_next() else None,
        "previous": _page_link(request, current.previous_page_number()) if current.has_previous() else None,
    }


def _filter_dates(articles, date_from: date | None, date_to: date | None):
    _check_date_range(date_from, date_to)
    if date_from and (start := _day_start(date_from)) is not None:
        articles = articles.filter(publish_at__gte=start)
    if date_to and date_to < date.max:
        end = _day_start(date_to + timedelta(days=1))
        articles = articles.filter(publish_at__lt=end) if end is not None else articles.none()
    return articles


@router.get(
    "/articles",
    response={200: ArticlePage, 400: ErrorOut, 404: ErrorOut},
    summary="文章列表",
    description="已发布的文章，新的在前。可按栏目（含下级栏目）和发布日期（网站时区，含首尾两天）筛选。",
    operation_id="listArticles",
)
def list_articles(
    request,
    category: str | None = Query(None, max_length=MAX_SLUG_LENGTH, pattern=SLUG_PATTERN, description="栏目的 slug，见 /categories"),
    date_from: IsoDate | None = Query(None, description="发布日期不早于这一天，格式 YYYY-MM-DD"),
    date_to: IsoDate | None = Query(None, description="发布日期不晚于这一天，格式 YYYY-MM-DD"),
    page: int = Query(1, ge=1, description="页码，从 1 开始"),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1 到 {MAX_PAGE_SIZE}"),
    variant: VariantCode = VARIANT_PARAM,
):
    reader = _reader(request, variant)
    node = _category_named(category)
    articles = selectors.feed_articles(category=node).select_related("category").only(*LIST_FIELDS)
    articles = _filter_dates(articles, date_from, date_to)
    current, envelope = _paginate(request, articles, page, page_size)
    return {**envelope, "results": [_article(request, reader, article) for article in current.object_list]}


@router.get(
    "/search",
    response={200: SearchPage, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="全文搜索",
    description=(
        "与网站搜索相同：分词搜索，简繁体互通，最相关的在前；引号内的文字按原样连续匹配，词前加减号排除。"
        "可按栏目（含下级栏目）和发布日期筛选。每个客户端的搜索次数有限，超出时回应 429。"
    ),
    operation_id="searchArticles",
)
@rate_limited("search", refuse=refuse_json, counts=asks_for_search)
def search_articles(
    request,
    q: str = Query(
        ..., min_length=1, max_length=MAX_INPUT_LENGTH, description="搜索词：词语、人名、数字，可用引号和减号"
    ),
    category: str | None = Query(None, max_length=MAX_SLUG_LENGTH, pattern=SLUG_PATTERN, description="栏目的 slug，见 /categories"),
    date_from: IsoDate | None = Query(None, description="发布日期不早于这一天，格式 YYYY-MM-DD"),
    date_to: IsoDate | None = Query(None, description="发布日期不晚于这一天，格式 YYYY-MM-DD"),
    page: int = Query(1, ge=1, description="页码，从 1 开始"),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1 到 {MAX_PAGE_SIZE}"),
    variant: VariantCode = VARIANT_PARAM,
):
    # The declared types and bounds above are the OpenAPI statement of search.params' rules
    # (same constants): what passes them is read and checked there, as for the site's page.
    reader = _reader(request, variant)
    result = article_search(
        text=q, category=category, date_from=date_from, date_to=date_to, page=page, per_page=page_size,
        default_per_page=DEFAULT_PAGE_SIZE, variant=variant, glossary=reader.glossary, strict=True,
    )  # fmt: skip
    if result.problems:
        problem = result.problems[0]
        raise ApiError(problem.status, problem.code, problem.message, field=problem.field)
    results = [{**_article(request, reader, hit.article), "snippet": str(hit.snippet)} for hit in result.hits]
    return {"query": result.query.text, "more": result.more, **_envelope(request, result.page), "results": results}


@router.get(
    "/articles/{article_id}",
    response={200: ArticleDetailOut, 400: ErrorOut, 404: ErrorOut},
    summary="文章详情",
    description="一篇已发布文章的全文、附件和各字体版本的网址。未发布或定时未到的文章不存在（404）。",
    operation_id="getArticle",
)
def get_article(request, article_id: int = Path(..., ge=1, le=MAX_ID), variant: VariantCode = VARIANT_PARAM):
    reader = _reader(request, variant)
    article = (
        Article.objects.published()
        .select_related("category")
        .prefetch_related("attachments", "gallery_images")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise ApiError(404, "unknown_article", f"编号为 {article_id} 的文章不存在或尚未发布。", field="article_id")
    path = links.path_of("news:article", pk=article.pk)
    body = reader.html(article.body, article.source_script, ahead=True)
    also_in = article.also_in.order_by("order", "pk") if SiteSettings.current().cross_listing else []
    return {
        **_article(request, reader, article),
        "editor": reader.text(article.editor, article.source_script),
        "kind": article.kind,
        "body": links.absolute_html(body, links.origin(request)),
        "video": media.article_video(request, article),
        "gallery": media.article_gallery(request, reader, article),
        "attachments": [
            {
                "title": reader.text(str(attachment)),
                "url": links.absolute(request, attachment.file.url),
                "size": attachment.size,
                "type": attachment.extension,
            }
            for attachment in article.attachments.all()
        ],
        "also_in": [_category_ref(request, reader, category) for category in also_in],
        "alternates": {
            variant_.lang: links.absolute(request, links.variant_path(path, code))
            for code, variant_ in VARIANTS.items()
        },
    }


@router.get(
    "/categories",
    response={200: list[CategoryOut], 400: ErrorOut},
    summary="栏目",
    description="全部栏目，按栏目树的顺序；每个栏目带已发布文章数和订阅地址。",
    operation_id="listCategories",
)
def list_categories(request, variant: VariantCode = VARIANT_PARAM):
    reader = _reader(request, variant)
    counts = selectors.category_public_counts()
    slugs = dict(Category.objects.values_list("pk", "slug"))
    result = []
    for category in Category.objects.order_by("order", "id"):
        feeds = {
            kind: _page_url(request, reader, links.path_of(f"feeds:category-{kind}", slug=category.slug))
            for kind in ("rss", "atom")
        }
        result.append(
            {
                **_category_ref(request, reader, category),
                "parent": slugs.get(category.parent_id),
                "description": reader.text(category.description),
                "order": category.order,
                "article_count": counts.get(category.pk, 0),
                "feeds": feeds,
            }
        )
    return result
