"""Public bodies converted into every script when they change, so no reader waits for OpenCC.

A news.changes subscriber: after an article's save commits, its body is converted into
each script that differs from it (hanzi.render.convert_ahead_many) and kept as rows the
article page reads; an article that is no longer public loses its rows. A glossary
change makes new keys for every body: up to AUTO_LIMIT public articles are converted
again at once, a larger site runs `xinwen convert_ahead` (pages stay right meanwhile,
they convert on their first view as before).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils import timezone

from xinwen.hanzi.render import GlossaryState, convert_ahead_many, forget_ahead, prefetch_ahead, reader_script
from xinwen.hanzi.selectors import current_glossary
from xinwen.news.models import Article

__all__ = ["page_texts", "prefetch_lists", "articles_ahead", "article_changed", "articles_changed", "glossary_changed", "convert_all", "AUTO_LIMIT"]

log = logging.getLogger(__name__)

AUTO_LIMIT = 300  # about a second of OpenCC after a glossary edit; beyond it, the command


def _candidates() -> Iterable[Article]:
    # Published now or later (a scheduled article appears without a notice), with a page of its own.
    return (
        Article.objects.released()
        .filter(Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=timezone.now()), external_url="")
        .only("pk", "body", "source_script", *PAGE_TEXT_FIELDS)
    )


PAGE_TEXT_FIELDS = ("title", "subtitle", "summary", "source_name", "author", "editor")


def page_texts(article: Article) -> list[str]:
    """The short texts of an article that its page shows in the reader's script (head, header, JSON-LD, lists)."""
    return [article.title, article.subtitle, article.source_name, article.author, article.editor,
            article.description(), article.description(length=200)]  # fmt: skip


def prefetch_lists(request, described: Iterable[Article], plain: Iterable[Article] = ()) -> int:
    """Read in one query the converted-ahead texts that lists of articles show: title and source name,
    and for `described` (lists that show a summary; rows read with their body) the summary. A
    section or home page in a Traditional script then runs OpenCC only for what nothing was
    stored for. The rows found."""
    code, glossary = reader_script(request)
    texts = []
    for item in described:
        texts += [(item.title, item.source_script), (item.source_name, item.source_script),
                  (item.description(), item.source_script)]  # fmt: skip
    for item in plain:
        texts += [(item.title, item.source_script), (item.source_name, item.source_script)]
    return prefetch_ahead(glossary, code, texts=texts)


def owner(pk: int) -> str:
    return f"article:{pk}"


def articles_ahead(article_ids: Iterable[int], glossary: GlossaryState | None = None) -> int:
    """Convert these articles' bodies ahead (or drop their rows if not public); the rows stored."""
    ids = set(article_ids)
    glossary = glossary or GlossaryState(current_glossary)
    public = list(_candidates().filter(pk__in=ids))
    forget_ahead(owner(pk) for pk in ids - {a.pk for a in public})
    return convert_ahead_many(((owner(a.pk), a.body, a.source_script, page_texts(a)) for a in public), glossary=glossary)


def article_changed(*, article_id: int, action: str = "", **_) -> None:
    articles_ahead([article_id])


def articles_changed(*, notices: list[dict]) -> None:
    articles_ahead(n["article_id"] for n in notices)


def glossary_changed(**notice) -> None:
    ids = list(_candidates().values_list("pk", flat=True)[: AUTO_LIMIT + 1])
    if len(ids) > AUTO_LIMIT:
        log.warning("glossary changed (%s): more than %d public articles, run `xinwen convert_ahead`", notice, AUTO_LIMIT)
        return
    articles_ahead(ids)


def convert_all(progress: Callable[[int, int], None] | None = None, batch_size: int = 200) -> int:
    """Every public body in every script under the current glossary; the articles converted."""
    from xinwen.hanzi.models import ConvertedText

    ids = list(_candidates().order_by("pk").values_list("pk", flat=True))
    glossary = GlossaryState(current_glossary)  # one glossary for the whole run
    for start in range(0, len(ids), batch_size):
        articles_ahead(ids[start : start + batch_size], glossary)
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids))
    # Rows of articles that are gone or no longer public (deleted without a notice, older runs).
    keep = {owner(pk) for pk in ids}
    forget_ahead(set(ConvertedText.objects.values_list("owner", flat=True).distinct()) - keep)
    if progress and not ids:
        progress(0, 0)
    return len(ids)
