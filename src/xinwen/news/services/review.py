"""The review chain (三审): submit, approve level by level, send back with a reason, withdraw.

An article's category says how many levels it passes (news.grants.chain_for: 0 to 3, inherited
down the tree). Submitting puts it at level 1 (`Article.review_level`), or straight to 待发布 when
the chain has no levels; each approval by someone holding that level in that section moves it
one level on, and the last one makes it 待发布 for a publisher. A reviewer at any level, or a
publisher of a 待发布 article, may send it back (已退回) with the reason the author reads.
Each step writes an audit entry, sends the article notice and e-mails the people concerned.
"""

from __future__ import annotations

from django.db import transaction

from xinwen.news import changes
from xinwen.news.content_checks import content_enforce
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.grants import chain_for, scope_for
from xinwen.news.models import Article, AuditEntry
from xinwen.news.services.access import OPERATOR, audit_record, can_edit, can_publish, can_review
from xinwen.news.services.notify import review_notify

__all__ = [
    "WORKFLOW",
    "workflow_actions",
    "article_submit",
    "article_approve",
    "article_reject",
    "article_withdraw",
    "remaining_levels",
]

Status = Article.Status
Action = AuditEntry.Action

# (POST name, button label, service name, statuses it applies to, needs the publish permission)
# Whether a user sees a button is workflow_actions' question: the last two columns are for reading.
WORKFLOW = [
    ("_submit", "提交审核", "article_submit", {Status.DRAFT, Status.REJECTED}, False),
    ("_approve", "审核通过", "article_approve", {Status.REVIEW}, False),
    ("_publish", "发布", "article_publish", {Status.DRAFT, Status.REVIEW, Status.APPROVED, Status.REJECTED, Status.ARCHIVED}, True),
    ("_reject", "退回修改", "article_reject", {Status.REVIEW, Status.APPROVED}, False),
    ("_unpublish", "撤回发布", "article_unpublish", {Status.PUBLISHED}, True),
    ("_archive", "归档", "article_archive", {Status.PUBLISHED}, True),
]


def remaining_levels(article: Article) -> list[int]:
    """The levels still to pass before 发布 (all of them for a draft, none once approved or published)."""
    levels = chain_for(article.category_id).levels
    if article.status == Status.REVIEW:
        return list(range(max(article.review_level, 1), levels + 1))
    if article.status in (Status.DRAFT, Status.REJECTED):
        return list(range(1, levels + 1))
    return []


def _may_press(name: str, *, user, article: Article | None) -> bool:
    status = article.status if article is not None else Status.DRAFT
    if article is None or article.category_id is None:  # the add form: the category is not chosen yet
        scope = scope_for(user) if user is not OPERATOR else None
        if name == "_submit":
            return True
        return name == "_publish" and (scope is None or scope.whole_tree())
    if name == "_submit":
        return status in (Status.DRAFT, Status.REJECTED) and can_edit(user, article)
    if name == "_approve":
        return status == Status.REVIEW and can_review(user, article)
    if name == "_reject":
        return (status == Status.REVIEW and can_review(user, article)) or (
            status == Status.APPROVED and can_publish(user, article)
        )
    if name == "_publish":
        if status == Status.PUBLISHED or not can_publish(user, article):
            return False
        return all(can_review(user, article, level) for level in remaining_levels(article))
    return status == Status.PUBLISHED and can_publish(user, article)  # _unpublish, _archive


def workflow_actions(*, user, article: Article | None) -> list[tuple[str, str]]:
    """(POST name, label) of the workflow buttons this user may press on this article, in its section."""
    if article is not None and article.deleted_at is not None:
        return []
    actions = []
    for name, label, _service, _statuses, _publisher in WORKFLOW:
        if _may_press(name, user=user, article=article):
            if name == "_approve":
                label = f"{chain_for(article.category_id).name(article.review_level or 1)}通过"
            actions.append((name, label))
    return actions


def _level_detail(article: Article, level: int) -> dict:
    return {"level": level, "level_name": chain_for(article.category_id).name(level)}


@transaction.atomic
def article_submit(*, article: Article, user, confirmed: bool = False) -> Article:
    """Draft (or sent back) → the chain's first level, or 待发布 when the section has no review levels."""
    if not can_edit(user, article):
        raise NotAllowed("您不能提交这篇文章：只能提交自己在负责栏目中的草稿。")
    if article.status not in (Status.DRAFT, Status.REJECTED):
        raise WorkflowError(f"「{article.get_status_display()}」状态的文章不能提交审核。")
    content_enforce(article=article, confirmed=confirmed, verb="提交审核")
    chain = chain_for(article.category_id)
    if chain.levels:
        article.status, article.review_level = Status.REVIEW, 1
        detail = _level_detail(article, 1)
    else:
        article.status, article.review_level = Status.APPROVED, 0
        detail = {"level_name": "发布"}
    article.save(update_fields=["status", "review_level", "updated_at"])
    audit_record(user=user, action=Action.SUBMIT, obj=article, detail=detail)
    changes.article_changed(article_id=article.pk, action=Action.SUBMIT)
    review_notify(article=article, event="submit", user=user)
    return article


@transaction.atomic
def article_approve(*, article: Article, user, comment: str = "") -> Article:
    """Approve at the level the article waits at: on to the next level, or 待发布 after the last one."""
    if article.status != Status.REVIEW:
        raise WorkflowError(f"「{article.get_status_display()}」状态的文章不在审核中。")
    level = article.review_level or 1
    chain = chain_for(article.category_id)
    if not can_review(user, article, level):
        raise NotAllowed(f"您没有在栏目「{article.category.name}」进行{chain.name(level)}的权限。")
    comment = " ".join((comment or "").split())[:1000]
    detail = _level_detail(article, level)
    if level < chain.levels:
        article.review_level = level + 1
        detail["next"] = chain.name(level + 1)
    else:
        article.status, article.review_level = Status.APPROVED, 0
        detail["next"] = "发布"
    if comment:
        detail["comment"] = comment
    article.review_note = comment
    article.save(update_fields=["status", "review_level", "review_note", "updated_at"])
    audit_record(user=user, action=Action.APPROVE, obj=article, detail=detail)
    changes.article_changed(article_id=article.pk, action=Action.APPROVE)
    review_notify(article=article, event="approve", user=user)
    return article


@transaction.atomic
def article_reject(*, article: Article, user, reason: str = "") -> Article:
    """In review (or 待发布) → 已退回, back to the author with the reason they will read."""
    if article.status == Status.REVIEW:
        allowed = can_review(user, article)
        stage = chain_for(article.category_id).name(article.review_level or 1)
    elif article.status == Status.APPROVED:
        allowed, stage = can_publish(user, article), "发布"
    elif not (can_publish(user, article) or can_review(user, article, 1)):
        raise NotAllowed(f"您没有在栏目「{article.category.name}」退回稿件的权限。")
    else:
        raise WorkflowError(f"「{article.get_status_display()}」状态的文章不能退回。")
    if not allowed:
        raise NotAllowed(f"您没有在栏目「{article.category.name}」{stage}环节退回稿件的权限。")
    reason = " ".join((reason or "").split())
    if not reason:
        raise WorkflowError("退回时必须填写退回原因，作者会看到它。")
    article.status, article.review_level = Status.REJECTED, 0
    article.review_note = reason[:1000]
    article.save(update_fields=["status", "review_level", "review_note", "updated_at"])
    audit_record(user=user, action=Action.REJECT, obj=article, detail={"reason": article.review_note, "level_name": stage})
    changes.article_changed(article_id=article.pk, action=Action.REJECT)
    review_notify(article=article, event="reject", user=user)
    return article


@transaction.atomic
def article_withdraw(*, article: Article, user) -> Article:
    """In review → draft, by its author before anyone has approved it (publishers of the section may too)."""
    own = user is not None and article.created_by_id == getattr(user, "pk", None) and user.is_active
    if not (own or can_publish(user, article)):
        raise NotAllowed("只有作者本人可以撤回自己提交的稿件。")
    if article.status != Status.REVIEW:
        raise WorkflowError(f"「{article.get_status_display()}」状态的文章不能撤回提交。")
    if article.review_level > 1 and not can_publish(user, article):
        raise WorkflowError("稿件已通过审核，不能再撤回；请联系审核人退回。")
    article.status, article.review_level = Status.DRAFT, 0
    article.save(update_fields=["status", "review_level", "updated_at"])
    audit_record(user=user, action=Action.WITHDRAW, obj=article)
    changes.article_changed(article_id=article.pk, action=Action.WITHDRAW)
    return article
