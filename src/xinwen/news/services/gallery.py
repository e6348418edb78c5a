"""图集 (gallery articles): their pictures, and the rule that a published 图集 shows pictures with alt text.

The rule is checked here, in the write path, so the back office, the importer and any future
API all meet it: `article_publish` calls `gallery_publish_check`, and a published 图集 cannot
lose its last picture or gain one without alt text.
"""

from __future__ import annotations

from django.db import transaction

from xinwen.news import changes
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.models import Article, AuditEntry, GalleryImage
from xinwen.news.services.access import can_edit
from xinwen.news.services.images import image_sizes_ensure

__all__ = ["gallery_publish_check", "gallery_is_live", "gallery_image_save", "gallery_image_delete"]

Action = AuditEntry.Action


def gallery_publish_check(article: Article, *, images: list[GalleryImage] | None = None) -> None:
    """Raise WorkflowError when `article` is a 图集 that may not be shown as it is (no pictures, or one without alt)."""
    if article.kind != Article.Kind.GALLERY:
        return
    images = list(article.gallery_images.all()) if images is None else images
    if not images:
        raise WorkflowError("图集至少需要一张图片才能发布：请在「图集图片」中添加图片。")
    missing = [str(number) for number, image in enumerate(images, 1) if not image.alt.strip()]
    if missing:
        raise WorkflowError(f"图集第 {'、'.join(missing)} 张图片缺少替代文字，请为每张图片填写替代文字后再发布。")


def gallery_is_live(article: Article) -> bool:
    """A published 图集: it must keep at least one picture, each with alt text."""
    return article.kind == Article.Kind.GALLERY and article.status == Article.Status.PUBLISHED


@transaction.atomic
def gallery_image_save(*, image: GalleryImage, user) -> GalleryImage:
    """Add or change one picture of a 图集 (the upload already checked and re-encoded by news.uploads)."""
    if not can_edit(user, image.article):
        raise NotAllowed("您不能修改这篇文章的图集图片。")
    image.alt = " ".join((image.alt or "").split())
    if gallery_is_live(image.article) and not image.alt:
        raise WorkflowError("已发布图集的图片必须填写替代文字。")
    image.save()
    image_sizes_ensure(name=image.image.name)  # readers get the generated widths, never the upload
    changes.article_changed(article_id=image.article_id, action=Action.CHANGE)
    return image


@transaction.atomic
def gallery_image_delete(*, image: GalleryImage, user) -> None:
    """Remove one picture of a 图集; a published 图集 keeps at least one."""
    article = image.article
    if not can_edit(user, article):
        raise NotAllowed("您不能修改这篇文章的图集图片。")
    if gallery_is_live(article) and not article.gallery_images.exclude(pk=image.pk).exists():
        raise WorkflowError("已发布的图集至少要保留一张图片；如需删除全部图片，请先撤回文章。")
    image.delete()
    changes.article_changed(article_id=article.pk, action=Action.CHANGE)
