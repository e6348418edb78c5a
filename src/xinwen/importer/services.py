"""Every write of the importer: one article per transaction, keyed by its import reference.

`legacy_page_import` creates or updates the article of a prepared page (its source
URL is the import reference, so importing twice never duplicates), stores its images
and attachments through news.uploads, keeps a revision, writes the audit entry and
records why it needs review. `import_record_accept` is the editor's answer to the flags.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xinwen.importer import confidence
from xinwen.importer.errors import ImportFailed, NotAllowed
from xinwen.importer.models import ImportFlag, ImportRecord
from xinwen.importer.pipeline import Flag, Page
from xinwen.news import services as content
from xinwen.news.content_checks import article_findings
from xinwen.news.errors import WorkflowError
from xinwen.news.models import Article, AuditEntry, Category, Tag
from xinwen.news.prepared import Prepared
from xinwen.news.uploads import clean_attachment, clean_image

__all__ = ["ImportOptions", "ImportResult", "ref_hash", "category_find", "category_pick", "category_resolve", "legacy_page_import",
           "import_record_accept", "DEFAULT_SECTION"]  # fmt: skip

log = logging.getLogger(__name__)
Status = Article.Status
_TAG_NAME_MAX = Tag._meta.get_field("name").max_length
DEFAULT_SECTION = "导入文章"  # where --create-categories puts pages that name no category (--default-section)
MEDIA_CACHE_BYTES = 64 * 1024 * 1024  # attachments kept in memory for other articles of the same run


@dataclass
class ImportOptions:
    default_category: Category | None = None
    create_categories: bool = False
    publish: bool = True  # publish what needs no review; False: everything waits as a draft
    download_media: bool = True
    force: bool = False
    user: object = None
    fetch_media: Callable[..., bytes] | None = None
    default_section: str = DEFAULT_SECTION
    _categories: dict = field(default_factory=dict)
    _created: set = field(default_factory=set)  # categories this run created from breadcrumbs
    # One fetch per file URL per run: a template icon on every page is downloaded and stored once.
    _images: dict = field(default_factory=dict)  # source URL -> stored image URL
    _files: dict = field(default_factory=dict)  # source URL -> bytes (attachments belong to one article each)
    _failed: dict = field(default_factory=dict)  # source URL -> why it could not be imported


@dataclass
class ImportResult:
    action: str  # "created", "updated", "unchanged", or "kept" (edited since the import; --force overwrites)
    article: Article
    record: ImportRecord


def _recorded(*, digest: str):
    return ImportRecord.objects.filter(ref_hash=digest).order_by().only("pk")


# Whether a page has a record, compiled once per process: for a new page, building the ORM's
# query cost more than the database's answer.
_RECORDED = Prepared(ImportRecord, _recorded, digest=str)


def ref_hash(ref: str) -> str:
    return hashlib.sha256(ref.strip().encode("utf-8")).hexdigest()


def category_find(*, path: list[str]) -> Category | None:
    """The existing category a breadcrumb names (the innermost one; its parent's name breaks ties)."""
    if not path:
        return None
    candidates = list(Category.objects.filter(name=path[-1]).select_related("parent"))
    if len(candidates) > 1 and len(path) > 1:
        candidates = [c for c in candidates if c.parent and c.parent.name == path[-2]] or candidates
    return candidates[0] if candidates else None


def category_pick(page: Page) -> list[str]:
    """The page's category path; for a feed item, its first category that already exists (tags are no categories)."""
    for name in page.category_choices:
        if category_find(path=[name]) is not None:
            return [name]
    return page.category_path


def category_resolve(*, path: list[str], options: ImportOptions, create: bool = True, default: bool = True) -> Category | None:
    """The category a breadcrumb names, found by name, created on request (unless `create` is off), or the default.

    A page without a breadcrumb goes to --category; with --create-categories and no
    --category, into the default section (`options.default_section`), created once.
    Without `default`, a path that names no category gives None instead.
    """
    if not default and not path:
        return None
    if not path and options.default_category is None and options.create_categories and options.default_section:
        path = [options.default_section]
    key = tuple(path)
    if key in options._categories:
        return options._categories[key]
    category = category_find(path=path)
    if path:
        if category is None and options.create_categories and not create:
            return Category(name=path[-1])  # what a real run would create
        if category is None and options.create_categories:
            category = content.category_path_ensure(path=path, user=options.user)
            options._created.add(category.pk)
    if category is None and not default:
        return None
    if category is None:
        category = options.default_category
    if category is None:
        named = f"「{' > '.join(path)}」" if path else "（页面没有面包屑）"
        raise ImportFailed(f"栏目{named}不存在：用 --create-categories 自动创建，或用 --category 指定默认栏目。")
    options._categories[key] = category
    return category


def category_certainty(*, path: list[str], category: Category, options: ImportOptions, created: bool) -> confidence.Confidence:
    """How sure the import is of the article's category (see `confidence`)."""
    named = bool(path) and category.name == path[-1]
    explicit = not named and options.default_category is not None and category == options.default_category
    return confidence.category_confidence(path=path, found=named and not created, created=named and created,
                                          default_name=category.name, explicit=explicit)  # fmt: skip


def _listing_carry(*, article: Article, page: Page, options: ImportOptions) -> list[Flag]:
    """The old post's further categories (同时发布到) and its 标签, as far as the site and the run allow.

    What cannot come over is said in a flag and never fails the article: a category that does
    not exist (without --create-categories), a site that lists an article in one section only.
    """
    flags: list[Flag] = []
    sections, missing = [], []
    for path in page.also_in:
        section = category_resolve(path=path, options=options, default=False)
        if section is None:
            missing.append(" > ".join(path))
        elif section.pk != article.category_id and section not in sections:
            sections.append(section)
    if missing:
        flags.append(Flag("listing", f"原文章还属于栏目「{'」「'.join(missing)}」，这里没有：用 --create-categories 自动创建", repaired=False))
    if len(sections) > content.MAX_ALSO_IN:
        dropped = "」「".join(s.name for s in sections[content.MAX_ALSO_IN :])
        flags.append(Flag("listing", f"一篇文章最多同时发布到 {content.MAX_ALSO_IN} 个其他栏目，未列入「{dropped}」", repaired=False))
    if sections:
        try:  # the service's own rules decide (the site setting, 栏目权限): its refusal is the flag
            content.article_also_in_set(article=article, category_ids=[s.pk for s in sections[: content.MAX_ALSO_IN]], user=options.user)
        except (WorkflowError, PermissionDenied) as exc:
            names = "」「".join(s.name for s in sections)
            flags.append(Flag("listing", f"原文章还属于栏目「{names}」，未能同时发布：{exc}只导入到「{article.category.name}」。",
                              repaired=False))  # fmt: skip
    if page.tags:
        names = [name[:_TAG_NAME_MAX] for name in page.tags][: content.MAX_TAGS]
        if len(page.tags) > content.MAX_TAGS:
            flags.append(Flag("listing", f"一篇文章最多 {content.MAX_TAGS} 个标签，未导入「{'」「'.join(page.tags[content.MAX_TAGS:])}」", repaired=False))
        try:
            content.article_tags_set(article=article, names=names, user=options.user)
        except (WorkflowError, PermissionDenied) as exc:
            flags.append(Flag("listing", f"标签未能导入：{exc}", repaired=False))
    return flags


def _filename(src: str, fallback: str) -> str:
    name = os.path.basename(unquote(urlsplit(src).path)) or fallback
    return name[-100:]


def _fetch_once(src: str, *, page: Page, options: ImportOptions) -> bytes:
    """The bytes of a file, fetched at most once per run (a failure is remembered too)."""
    if src in options._failed:
        raise ImportFailed(options._failed[src])
    if src in options._files:
        return options._files[src]
    try:
        data = options.fetch_media(src, local_dir=page.local_dir)
    except ImportFailed as exc:
        options._failed[src] = str(exc)
        raise
    if sum(len(d) for d in options._files.values()) + len(data) <= MEDIA_CACHE_BYTES:
        options._files[src] = data
    return data


def _collect_media(page: Page, options: ImportOptions, known: dict) -> tuple[dict, list[str]]:
    """Download and check the page's files before the transaction: {src: (kind, upload, title)}, problems.

    An image already stored in this run is linked again, not fetched again; each file that
    fails is named in the problems and the article is imported without it.
    """
    files: dict = {}
    problems: list[str] = []
    if not options.download_media or options.fetch_media is None:
        return files, problems
    wanted = [(src, "image", "") for src in page.images] + [(src, "attachment", title) for src, title in page.attachments]
    for src, kind, title in wanted:
        if src in known or src in files:
            continue
        if kind == "image" and src in options._images:
            known[src] = options._images[src]
            continue
        try:
            upload = SimpleUploadedFile(_filename(src, "file"), _fetch_once(src, page=page, options=options))
            upload = clean_image(upload) if kind == "image" else clean_attachment(upload)
        except (ImportFailed, ValidationError) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            options._failed.setdefault(src, message)
            problems.append(f"{_filename(src, src)}：{message}")
            continue
        files[src] = (kind, upload, title)
    return files, problems


def _replace_src(body: str, attribute: str, old: str, new: str | None) -> str:
    pattern = re.compile(rf"""(<(?:img|a)\b[^>]*\b{attribute}=)(["']){re.escape(old)}\2""")
    if new is None:  # drop an image that could not be imported rather than hot-link the old site
        return re.sub(rf"""<img\b[^>]*\bsrc=(["']){re.escape(old)}\1[^>]*>""", "", body)
    return pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{new}{m.group(2)}", body)


def _body_with_media(page: Page, known: dict) -> str:
    """The page's body linking to the stored copies of its images and attachments."""
    body = page.body_html
    for src in page.images:
        body = _replace_src(body, "src", src, known.get(src))
        if src in known:  # a gallery links each thumbnail to its full-size file
            body = _replace_src(body, "href", src, known[src])
    host = urlsplit(page.ref).netloc
    if host:
        # A picture linked to its old attachment page (WordPress's default gallery link): that page goes with the old host.
        old_link = re.compile(rf"""<a\b[^>]*\bhref=(["'])https?://{re.escape(host)}/[^"']*\1[^>]*>\s*(<img\b[^>]*>)\s*</a>""", re.I)
        body = old_link.sub(lambda m: m.group(2), body)
    for src, _ in page.attachments:
        if src in known:
            body = _replace_src(body, "href", src, known[src])
    return body


def legacy_page_import(*, page: Page, options: ImportOptions) -> ImportResult:
    """Create or update the article of one prepared page, in one transaction; its flags say what to review."""
    user = options.user
    if user is not None and not content.can_publish(user):
        raise NotAllowed("导入需要编辑权限（可以发布文章）。")
    digest = ref_hash(page.ref)
    content_hash = page.content_hash
    # A narrow first look: most pages of a first import are new, and unchanged ones need nothing more.
    existing = None
    if _RECORDED.rows(digest=digest):
        existing = (
            ImportRecord.objects.filter(ref_hash=digest)
            .order_by()
            .values("pk", "content_hash", "updated_at", "media", "article__updated_at")
            .first()
        )
    if existing and not options.force and (
        existing["content_hash"] == content_hash
        # An editor has worked on the article since it was imported: their work wins over the old site.
        or existing["article__updated_at"] > existing["updated_at"]
    ):
        record = ImportRecord.objects.select_related("article").get(pk=existing["pk"])
        action = "unchanged" if existing["content_hash"] == content_hash else "kept"
        return ImportResult(action, record.article, record)
    path = category_pick(page)
    category = category_resolve(path=path, options=options)
    sure = category_certainty(path=path, category=category, options=options, created=category.pk in options._created)
    page.confidence["category"] = {"score": sure.score, "evidence": sure.evidence}
    known = dict(existing["media"]) if existing else {}
    files, problems = _collect_media(page, options, known)
    flags = list(page.flags)
    if not sure.certain:
        flags.append(Flag("extraction", f"栏目不确定：{sure.evidence}", repaired=False, hold=True))
    if problems:
        flags.append(Flag("media", f"{len(problems)} 个文件未能导入：" + "；".join(problems[:5]), repaired=False))

    with transaction.atomic():
        record = None
        if existing is not None:  # lock it: two imports of one page must not interleave their updates
            record = ImportRecord.objects.select_for_update().select_related("article").get(pk=existing["pk"])
        created = record is None
        article = Article(created_by=user if getattr(user, "pk", None) else None) if created else record.article
        article.title = page.title
        article.category = category
        article.summary = page.summary
        article.source_name = page.source_name
        # source_url stays the editor's: readers are never sent to the old (perhaps hijacked) site.
        article.author = page.author
        article.editor = page.editor
        # The legacy count is the base the live counter adds to: never lower it on a re-import.
        article.view_count = max(article.view_count or 0, page.view_count)
        if page.publish_at:  # without one the article is held (no invented date); the editor supplies it
            article.publish_at = page.publish_at
        article, stored = content.article_import_save(
            article=article,
            user=user,
            ref=page.ref,
            files=files,
            body_for=lambda stored: _body_with_media(page, {**known, **stored}),
            hold=any(f.hold for f in flags),
            publish=options.publish,
            detail={"import": page.ref, "flags": [f.kind for f in flags]},
        )
        flags += _listing_carry(article=article, page=page, options=options)
        known.update(stored)
        stored_images = {src: url for src, url in stored.items() if files[src][0] == "image"}
        if created and article.status == Status.REVIEW:
            # Held back, by the page's own doubts or by the content checks: the record says what the checks found.
            _texts, found = article_findings(article)
            words = [f"「{f.field}」中的「{f.text}」（{f.category}：{f.word}）" for f in found if f.action in ("block", "confirm")]
            if words:
                flags.append(Flag("content_check", "内容检查：" + "；".join(words[:10]), repaired=False, hold=True))
        values = {
            "article": article,
            "ref": page.ref,
            "old_path": page.old_path,
            "alt_path": page.alt_path,
            "kind": page.kind,
            "encoding": page.encoding,
            "content_hash": content_hash,
            "rejected_title": page.rejected_title,
            "report": page.report(),
            "media": known,
            "review": ImportRecord.Review.PENDING if flags else ImportRecord.Review.NONE,
            "reviewed_by": None,
            "reviewed_at": None,
        }
        if created:
            record = ImportRecord.objects.create(ref_hash=digest, **values)
        else:
            for name, value in values.items():
                setattr(record, name, value)
            record.save()
            record.flags.all().delete()
        if flags:
            ImportFlag.objects.bulk_create(
                ImportFlag(record=record, kind=f.kind, message=f.message, repaired=f.repaired, hold=f.hold, detail=f.detail)
                for f in flags
            )
    options._images.update(stored_images)  # committed: other articles of this run may link the same files
    return ImportResult("created" if created else "updated", article, record)


@transaction.atomic
def import_record_accept(*, record: ImportRecord, user) -> ImportRecord:
    """An editor has checked an imported article: its flags are settled; one held back is published."""
    if not content.can_publish(user):
        raise NotAllowed("只有编辑可以审核导入的文章。")
    record = ImportRecord.objects.select_for_update().select_related("article").get(pk=record.pk)
    if record.flags.filter(hold=True).exists() and record.article.status == Status.REVIEW:
        # Accepting a held import is the editor's confirmation of its 需要确认 words; 禁止发布 still stops it.
        content.article_publish(article=record.article, user=user, confirmed=True)
    content.audit_record(
        user=user, action=AuditEntry.Action.CHANGE, obj=record.article, detail={"import_review": "accepted"}
    )
    record.review = ImportRecord.Review.ACCEPTED
    record.reviewed_by = user
    record.reviewed_at = timezone.now()
    # Saved last: its updated_at stays after the article's, so a re-import still counts as unedited.
    record.save(update_fields=["review", "reviewed_by", "reviewed_at", "updated_at"])
    return record
