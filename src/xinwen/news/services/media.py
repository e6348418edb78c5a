"""Files of articles (body images, attachments) and the importer's article writes."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction

from xinwen.news import changes
from xinwen.news.content_checks import BLOCK, CONFIRM, MISSING_ALT, article_findings, checks_pinned
from xinwen.news.models import Article, Attachment, AuditEntry, BodyImage
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.services.access import audit_record, can_edit, require_perm, require_publisher
from xinwen.news.services.articles import save_with_revision
from xinwen.news.services.gallery import gallery_publish_check
from xinwen.news.services.images import image_sizes_ensure

__all__ = ["body_image_create", "attachment_save", "attachment_delete", "article_import_save", "article_import_batch"]

Action = AuditEntry.Action


@transaction.atomic
def body_image_create(*, upload, user) -> BodyImage:
    """Store an image uploaded into an article body (already checked and re-encoded by news.uploads)."""
    require_perm(user, "news.add_bodyimage", "您没有上传图片的权限。")
    image = BodyImage.objects.create(file=upload, uploaded_by=user if getattr(user, "pk", None) else None)
    image_sizes_ensure(name=image.file.name)  # readers get the copies, never this file
    return image


@transaction.atomic
def attachment_save(*, attachment: Attachment, user) -> Attachment:
    if not can_edit(user, attachment.article):
        raise NotAllowed("您不能修改这篇文章的附件。")
    attachment.save()
    changes.article_changed(article_id=attachment.article_id, action=Action.CHANGE)
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user) -> None:
    if not can_edit(user, attachment.article):
        raise NotAllowed("您不能修改这篇文章的附件。")
    article_id = attachment.article_id
    attachment.delete()
    changes.article_changed(article_id=article_id, action=Action.CHANGE)


@contextmanager
def article_import_batch():
    """Many `article_import_save` calls in a row (an import): each keeps its own transaction, revision and checks.

    What the batch shares: the content checks read their lexicons' state once
    (content_checks.checks_pinned), and the change notices of the committed articles
    reach the search index, the page cache and the static publisher together when the
    block ends (changes.batched), not one article at a time. Keep a block to a few
    hundred articles: readers see the new articles when it ends.
    """
    with changes.batched(), checks_pinned():
        yield


@transaction.atomic(savepoint=False)  # inside the importer's transaction a failure rolls the whole page back
def article_import_save(
    *,
    article: Article,
    user,
    ref: str,
    files: dict,
    body_for: Callable[[dict[str, str]], str],
    hold: bool,
    publish: bool,
    detail: dict,
) -> tuple[Article, dict[str, str]]:
    """Write one imported article with its files: `files` maps an old URL to (kind, upload, title).

    The new URLs of the stored files are passed to `body_for`, which returns the body that
    links to them. A new article is published, or waits for review when it is held (or as a
    draft when the import publishes nothing); an updated one keeps its status.
    Returns the article and {old URL: new URL}.
    """
    require_publisher(user)
    created = article.pk is None
    if created:
        Status = Article.Status
        article.status = Status.REVIEW if hold else (Status.PUBLISHED if publish else Status.DRAFT)
    if created and any(kind == "attachment" for kind, _, _ in files.values()):
        article.save()  # attachments need the article's key
    stored: dict[str, str] = {}
    for src, (kind, upload, title) in files.items():
        if kind == "image":
            image = BodyImage(uploaded_by=None)
            image.file.save(upload.name, upload, save=False)
            image.save()
            image_sizes_ensure(name=image.file.name)
            stored[src] = image.file.url
        else:
            attachment = Attachment(article=article, title=(title or upload.name)[:200])
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
            stored[src] = attachment.file.url
    article.body = body_for(stored)
    if created and article.status == Article.Status.PUBLISHED:
        # The content checks hold an import back as publishing would: an editor looks first.
        _texts, findings = article_findings(article)
        stopping = [f for f in findings if f.action in (BLOCK, CONFIRM) and f.source != MISSING_ALT]
        if stopping:
            article.status = Article.Status.REVIEW
            detail = {**detail, "content_check": [f"{f.field}：{f.text}（{f.category}：{f.word}）" for f in stopping[:20]]}
    if created and article.status == Article.Status.PUBLISHED:
        try:  # an imported 图集 without its pictures (or their alt text) waits for an editor
            gallery_publish_check(article, images=[] if article.pk is None else None)
        except WorkflowError as exc:
            article.status = Article.Status.REVIEW
            detail = {**detail, "gallery_check": str(exc)}
    save_with_revision(article, user=user, comment=f"导入：{ref}")
    action = Action.CREATE if created else Action.CHANGE
    audit_record(user=user, action=action, obj=article, detail=detail)
    changes.article_changed(article_id=article.pk, action=action)
    return article, stored
