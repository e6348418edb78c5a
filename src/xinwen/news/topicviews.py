"""专题 pages: a topic's banner, introduction and articles (hand-picked and by tag), newest first."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from xinwen.news import pagetags, selectors
from xinwen.news.ahead import prefetch_lists
from xinwen.news.views import PER_PAGE, _absolute, _page_number

__all__ = ["topic_page"]


@require_safe
def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(selectors.public_topics(), slug=slug)
    paginator = Paginator(selectors.topic_article_ids(topic), PER_PAGE)
    try:
        page = paginator.page(_page_number(request))
    except EmptyPage:
        raise Http404(f"没有第 {request.GET.get('page')} 页：本专题共 {paginator.num_pages} 页。") from None
    page.object_list = selectors.articles_in_order(page.object_list)
    prefetch_lists(request, page.object_list)
    # Hand-picked drafts are not shown yet, but their publishing must drop this page: tag every pick.
    picked = list(topic.articles.values_list("pk", flat=True))
    pagetags.tag(request, pagetags.topic(topic.pk), *(pagetags.article(pk) for pk in picked))
    if topic.tag_id:
        pagetags.tag(request, pagetags.tag_list(topic.tag_id))
    pagetags.uses_query(request, "page")
    pagetags.tag_articles(request, page.object_list)
    return render(
        request,
        "news/topic.html",
        {
            "topic": topic,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "canonical": _absolute(request, topic.get_absolute_url() + (f"?page={page.number}" if page.number > 1 else "")),
        },
    )
