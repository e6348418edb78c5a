"""Public pages: home, category and tag lists, article detail, the site map, attachments, media files and error pages.

Views only parse the request and call selectors; what a reader may see is decided
by Article.objects.published() alone. Back-office users preview what
Article.objects.previewable_by() allows them (editors all, authors their own).
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from xinwen.hanzi.render import prefetch_ahead, reader_script, variant_html
from xinwen.news import pagetags, selectors
from xinwen.news.ahead import page_texts, prefetch_lists
from xinwen.news.downloads import INLINE_EXTENSIONS, byte_range, content_disposition, download_filename
from xinwen.news.models import Article, Attachment, Category, Tag
from xinwen.news.pictures import BODY_SIZES, body_names, picture_sets, responsive_html
from xinwen.news.tree import CategoryTree
from xinwen.news.uploads import SAFE_MEDIA_TYPES

PER_PAGE = 20
# 【字号 大 中 小】: the reader's choice is applied by news/static/news/reading.js.
TEXT_SIZES = [("large", "大"), ("medium", "中"), ("small", "小")]
# 焦点图 slides are as wide as an article column (site.css .carousel).
FOCUS_SIZES = BODY_SIZES


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    blocks = selectors.home_blocks()
    pagetags.tag(request, pagetags.HOME)
    pagetags.tag_articles(request, [*blocks["pinned"], *blocks["latest"]])
    pagetags.tag_articles(request, [*blocks["headlines"], *blocks["focus"], *blocks["recommended"]])
    pagetags.tag_articles(request, (item for block in blocks["blocks"] for item in block.articles))
    pictures = picture_sets(item.cover.name for item in [*blocks["focus"], *blocks["pinned"]] if item.cover)
    prefetch_lists(request, [*blocks["pinned"], *blocks["headlines"]],  # the blocks that show a summary
                   [*blocks["latest"], *blocks["focus"], *blocks["recommended"], *(i for b in blocks["blocks"] for i in b.articles)])  # fmt: skip
    context = {
        **blocks,
        "pictures": pictures,
        "focus_sizes": FOCUS_SIZES,
        "canonical": _absolute(request, reverse("news:home")),
    }
    return render(request, "news/home.html", context)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    # isdigit() alone also accepts "²" and other digits that int() rejects.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise Http404("页码无效")
    return max(int(raw), 1)


@require_safe
def category(request: HttpRequest, slug: str) -> HttpResponse:
    node = get_object_or_404(Category.objects.select_related("parent__parent"), slug=slug)
    paginator = Paginator(selectors.category_article_ids(node), PER_PAGE)
    # Past the end is a 404: every number would otherwise be one more URL of the last page,
    # for crawlers to index and for the page cache to store. An empty section has a page 1.
    try:
        page = paginator.page(_page_number(request))
    except EmptyPage:
        raise Http404(f"没有第 {request.GET.get('page')} 页：本栏目共 {paginator.num_pages} 页。") from None
    page.object_list = selectors.articles_in_order(page.object_list)
    prefetch_lists(request, page.object_list)
    tree = CategoryTree.current()
    images = node.list_style == Category.ListStyle.IMAGE
    pictures = picture_sets(item.cover.name for item in page.object_list if item.cover) if images else {}
    pagetags.tag(request, pagetags.LISTS, pagetags.category_list(node.pk))
    pagetags.uses_query(request, "page")
    pagetags.tag_articles(request, page.object_list)
    return render(
        request,
        "news/category.html",
        {
            "category": node,
            "breadcrumb": node.ancestors(include_self=True),
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "subcategories": tree.children(node.pk),
            # The sidebar: the sections beside this one under the same parent (a root has none).
            "siblings": tree.children(node.parent_id) if node.parent_id else [],
            "parent_section": tree.nodes.get(node.parent_id),
            "images": images,
            "pictures": pictures,
            "canonical": _absolute(
                request, node.get_absolute_url() + (f"?page={page.number}" if page.number > 1 else "")
            ),
            "current_slug": node.slug,
        },
    )


@require_safe
def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A 标签's page: its published articles, newest first; a tag no published article carries is a 404."""
    node = get_object_or_404(Tag, slug=slug)
    paginator = Paginator(selectors.tag_article_ids(node), PER_PAGE)
    if paginator.count == 0:
        raise Http404(f"标签「{node.name}」下还没有已发布的文章。")
    try:
        page = paginator.page(_page_number(request))
    except EmptyPage:
        raise Http404(f"没有第 {request.GET.get('page')} 页：该标签共 {paginator.num_pages} 页。") from None
    page.object_list = selectors.articles_in_order(page.object_list)
    prefetch_lists(request, page.object_list)
    pagetags.tag(request, pagetags.TAGS, pagetags.tag_list(node.pk))
    pagetags.uses_query(request, "page")
    pagetags.tag_articles(request, page.object_list)
    return render(
        request,
        "news/tag.html",
        {
            "tag": node,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "canonical": _absolute(request, node.get_absolute_url() + (f"?page={page.number}" if page.number > 1 else "")),
        },
    )


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """网站地图: every section in tree (menu) order, for readers; /sitemap.xml is the crawlers' one."""
    pagetags.tag(request, pagetags.SITEMAP)  # a category change drops every page, this one included
    return render(
        request,
        "news/sitemap.html",
        {"roots": CategoryTree.load().roots(), "canonical": _absolute(request, reverse("news:sitemap"))},
    )


def _second_factor_passed(request: HttpRequest) -> bool:
    # A password alone shows no drafts: the session must have passed the back office's second factor.
    passed = getattr(request, "second_factor_passed", None)
    return passed is not None and passed()


@require_safe
def article(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.article_for_reader(pk)
    preview = False
    if item is None and _second_factor_passed(request):
        # Someone else's draft answers exactly like a missing article: the id tells nothing.
        item = (
            Article.objects.previewable_by(request.user)
            .select_related("category__parent__parent")
            .prefetch_related("attachments")
            .filter(pk=pk)
            .first()
        )
        preview = item is not None
    if item is None:
        raise Http404("文章不存在或尚未发布")
    if item.external_url and not preview:
        # 外链文章: its page is the other site's. Tagged like the page, so a change of address drops the stored 301.
        pagetags.tag_articles(request, [item])
        return HttpResponsePermanentRedirect(item.external_url)
    previous, following, related = selectors.article_around(item)
    # Pinyin reading aid: a separate, non-indexed rendering; the canonical page has none.
    ruby = request.GET.get("ruby") == "1"
    pagetags.uses_query(request, "ruby")
    # One query for the sizes of every picture the page shows; only the first one loads at once.
    gallery = list(item.gallery_images.all()) if item.kind == Article.Kind.GALLERY else []
    pictures = picture_sets(
        [item.cover.name if item.cover else "", *(g.image.name for g in gallery), *body_names(item.body)]
    )
    # The body in the reader's script (converted ahead when saved: news/ahead.py), then its own pictures as <picture>.
    code, glossary = reader_script(request)
    # One read of what was converted ahead for this page: its body and its own texts, and the titles it links.
    texts = [(text, item.source_script) for text in page_texts(item)]
    prefetch_ahead(glossary, code, texts=[*texts, *((a.title, a.source_script) for a in (previous, following, *related) if a)],
                   bodies=[] if ruby else [(item.body, item.source_script)])  # fmt: skip
    converted = variant_html(item.body, code, source=item.source_script, ruby=ruby, glossary=glossary, ahead=True)
    body = mark_safe(responsive_html(converted, pictures, eager=0 if item.cover else 1))  # sanitised with nh3 when saved
    canonical = _absolute(request, item.get_absolute_url())
    tags = selectors.article_tags(item)
    if not preview:
        # Its own text, the titles it links to, and its place among its category's articles (prev/next, related).
        pagetags.tag(request, pagetags.article_page(item.pk))
        pagetags.tag_articles(request, [item, previous, following, *related])
    response = render(
        request,
        "news/article.html",
        {
            "article": item,
            "body": body,
            "pictures": pictures,
            "body_sizes": BODY_SIZES,
            "breadcrumb": item.category.ancestors(include_self=True),
            "previous": previous,
            "next": following,
            "related": related,
            "tags": tags,
            "attachments": selectors.article_attachments(item),
            "gallery": gallery,
            "preview": preview,
            "ruby": ruby,
            "canonical": canonical,
            "current_slug": item.category.slug,
            "text_sizes": TEXT_SIZES,
        },
    )
    if preview or ruby:
        response["X-Robots-Tag"] = "noindex"
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def article_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The share panel's QR code of a public article's canonical address in this script (news/share.py)."""
    from xinwen.news.share import share_qr_svg  # segno: loaded by the first code a reader opens

    # Only whether it is public: the code is of its address, never of its text (no body read).
    if not selectors.article_is_shareable(pk):
        raise Http404("文章不存在或尚未发布")
    pagetags.tag(request, pagetags.article(pk))  # unpublished or deleted: the stored code goes with the page
    # nosniff comes from SecurityMiddleware, as for every answer.
    return HttpResponse(share_qr_svg(_absolute(request, reverse("news:article", args=[pk]))), content_type="image/svg+xml")


def _absolute(request: HttpRequest, path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse:
    """Serve an uploaded file so that it can never run or render as a page.

    Only known types get their own Content-Type; anything else is a download. Every
    response carries nosniff and a sandboxing CSP, so even a disguised HTML file is inert.
    """
    clean = posixpath.normpath(path).lstrip("/")
    if clean.startswith("..") or "\x00" in clean:
        raise Http404("文件不存在")
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = (root / clean).resolve()
        if root not in full.parents or not full.is_file():
            raise Http404("文件不存在")
    except OSError:  # a name longer than the file system allows (ENAMETOOLONG), and the like
        raise Http404("文件不存在") from None
    ext = full.suffix.lower()
    content_type = SAFE_MEDIA_TYPES.get(ext, "application/octet-stream")
    if content_type.startswith("video/"):
        ranged = _media_range(request, full, content_type)
        if ranged is not None:
            return ranged
    response = FileResponse(full.open("rb"), content_type=content_type)
    if content_type.startswith("video/"):
        response["Accept-Ranges"] = "bytes"
    if not content_type.startswith(("image/", "video/", "text/vtt")):
        response["Content-Disposition"] = "attachment"  # pictures, videos and captions are loaded by the page
    _inert(response)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _media_range(request: HttpRequest, full: Path, content_type: str) -> HttpResponse | None:
    """A 206 answer with the bytes a video player asked for (to seek), a 416 for a range past the end, else None."""
    size = full.stat().st_size
    try:
        wanted = byte_range(request.headers.get("Range", ""), size)
    except ValueError:
        response = HttpResponse("请求的范围超出文件大小。", status=416, content_type="text/plain; charset=utf-8")
        response["Content-Range"] = f"bytes */{size}"
        _inert(response)
        return response
    if wanted is None:
        return None
    first, last = wanted
    with full.open("rb") as handle:
        handle.seek(first)
        data = handle.read(min(last - first + 1, MAX_RANGE_BYTES))
    response = HttpResponse(data, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {first}-{first + len(data) - 1}/{size}"
    response["Accept-Ranges"] = "bytes"
    _inert(response)
    response["Cache-Control"] = "public, max-age=86400"
    return response


MAX_RANGE_BYTES = 8 * 1024 * 1024  # one answer's share of a long video; the player asks for the rest


def _inert(response: HttpResponse) -> None:
    """An uploaded file never runs or renders as a page: no sniffing, nothing loads, no script.

    Browsers' PDF viewers still show a PDF under this policy (checked in e2e/test_attachments.py).
    """
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"


@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment under the name the editor gave it (title + the file's extension); PDFs and images open in the browser.

    Served for articles the reader may see (and, after the second factor, those the editor may preview).
    """
    viewer = request.user if _second_factor_passed(request) else None
    item = Attachment.objects.filter(pk=pk, article__in=Article.objects.visible_to(viewer)).first()
    if item is None or not item.file:
        raise Http404("附件不存在或所属文章尚未发布")
    try:
        handle = item.file.storage.open(item.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件已不存在，请联系网站管理员。") from None
    ext = posixpath.splitext(item.file.name)[1].lower()
    filename = download_filename(str(item), item.file.name)
    response = FileResponse(handle, content_type=SAFE_MEDIA_TYPES.get(ext, "application/octet-stream"))
    response["Content-Disposition"] = content_disposition(filename, inline=ext in INLINE_EXTENSIONS)
    _inert(response)
    public = item.article.is_public
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


mimetypes.add_type("image/webp", ".webp")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    message = ""
    if exception is not None and isinstance(getattr(exception, "args", None), tuple) and exception.args:
        arg = exception.args[0]
        message = arg if isinstance(arg, str) and not arg.startswith("No ") else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({"site_name": settings.SITE_NAME}), status=500)
