"""繁体用词提示: before publishing, the words the zh-TW variant will replace, each with 「加入词表」.

The article form lists hanzi.phrases.phrase_changes for the article's text (title, subtitle,
summary, body) under the site's glossary. 「加入词表」 adds the word through
news.services.glossary_term_save as a 指定译法 term whose zh-TW form is the plain character
conversion, so the variant keeps the word; every page converts with it from the next request.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import strip_tags

from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.phrases import phrase_changes
from xinwen.hanzi.selectors import current_glossary
from xinwen.news import services
from xinwen.news.models import Article

__all__ = ["variant_word_context", "variant_word_urls"]

VARIANT_NAMES = {"zh-tw": "台湾", "zh-hk": "香港", "zh-hant": "繁体"}


def _changes(article: Article):
    text = "\n".join([article.title, article.subtitle, article.summary, strip_tags(article.body or "")])
    return phrase_changes(text, glossary=current_glossary()[1], source=article.source_script)


def variant_word_context(request: HttpRequest, article: Article | None) -> dict:
    if article is None or not article.pk:
        return {"variant_words": []}
    rows = [
        {"word": c.word, "plain": c.plain, "count": c.count, "forms": [(VARIANT_NAMES.get(t, t), form) for t, form in c.forms.items()]}
        for c in _changes(article)
    ]
    return {"variant_words": rows, "can_keep_terms": request.user.has_perm("hanzi.add_glossaryterm")}


def keep_term_view(model_admin, request: HttpRequest, pk: int):
    if request.method != "POST":
        return HttpResponseBadRequest("加入词表需要从文章页提交。".encode(), status=405)
    article = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not request.user.has_perm("hanzi.add_glossaryterm"):
        raise PermissionDenied
    word = request.POST.get("term", "")
    change = next((c for c in _changes(article) if c.word == word), None)
    if change is None:
        return HttpResponseBadRequest("这个词不在本文的繁体用词提示中。".encode())
    if GlossaryTerm.objects.filter(term=word).exists():
        messages.info(request, f"「{word}」已在简繁词表中。")
    else:
        term = GlossaryTerm(
            term=word,
            mode=GlossaryTerm.Mode.FORCE,
            zh_tw=change.plain,
            note=f"在文章「{article.title[:60]}」的繁体用词提示中加入",
        )
        services.glossary_term_save(term=term, user=request.user, changed_fields=["term", "mode", "zh_tw"])
        messages.success(request, f"「{word}」已加入简繁词表：台湾版本写作「{change.plain}」。")
    return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]) + "#variant-words")


def variant_word_urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<int:pk>/keep-term/",
            view(lambda request, pk: keep_term_view(model_admin, request, pk)),
            name="news_article_keep_term",
        )
    ]
