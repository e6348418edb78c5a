"""E-mail notices of the review chain: who must act next, and the author when a decision falls.

Sent after commit through Django's e-mail backend, only when settings.REVIEW_NOTICE_EMAIL is on
(it is when an e-mail backend or host is configured). A failing mail server is logged and never
undoes a decision. Recipients are active accounts with an address, never the person acting:

- submit / approve to a level: who holds that level in the article's section (grants, or 编辑 globally);
- approve past the last level (待发布): the section's publishers;
- reject, publish: the author (the article's creator).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinwen.news.grants import ADMIN_GROUP, SectionGrant, chain_for
from xinwen.news.models import Article

__all__ = ["review_notify", "holders"]

log = logging.getLogger(__name__)
Status = Article.Status


def holders(*, category_id: int, role: str, level: int = 0):
    """Active accounts holding `role` (at `level`) in this category: section grants up the tree, or the global role."""
    from xinwen.news.tree import CategoryTree

    up = CategoryTree.load().chain_ids(category_id)
    grants = SectionGrant.objects.filter(category__in=up, role=role)
    if role == SectionGrant.Role.REVIEW:
        grants = grants.filter(level=level)
    users = set(grants.exclude(user=None).values_list("user", flat=True))
    groups = set(grants.exclude(group=None).values_list("group", flat=True))
    # 编辑 hold every level and 发布 in the whole tree (a 管理员 is not mailed for every article).
    global_perm = Q(groups__permissions__codename="publish_article") | Q(user_permissions__codename="publish_article")
    if role == SectionGrant.Role.AUTHOR:
        global_perm = Q(pk__in=[])
    found = get_user_model().objects.filter(Q(pk__in=users) | Q(groups__in=groups) | global_perm, is_active=True)
    return found.exclude(groups__name=ADMIN_GROUP).exclude(is_superuser=True).distinct()


def _message(article: Article, event: str, actor_name: str) -> tuple[str, str, list[str]]:
    chain = chain_for(article.category_id)
    path = f"{settings.SITE_URL.rstrip('/')}/admin/news/article/{article.pk}/change/" if settings.SITE_URL else ""
    link = f"\n\n打开稿件：{path}" if path else ""
    section = article.category.name
    if event in ("submit", "approve") and article.status == Status.REVIEW:
        stage = chain.name(article.review_level)
        recipients = holders(category_id=article.category_id, role=SectionGrant.Role.REVIEW, level=article.review_level)
        return f"【待{stage}】{article.title}", f"栏目「{section}」的稿件「{article.title}」等待您{stage}（{actor_name}提交）。{link}", _emails(recipients)
    if event in ("submit", "approve") and article.status == Status.APPROVED:
        recipients = holders(category_id=article.category_id, role=SectionGrant.Role.PUBLISH)
        return f"【待发布】{article.title}", f"栏目「{section}」的稿件「{article.title}」已通过审核，等待发布。{link}", _emails(recipients)
    author = [article.created_by] if article.created_by_id and article.created_by.is_active else []
    if event == "reject":
        return (
            f"【已退回】{article.title}",
            f"您的稿件「{article.title}」被{actor_name}退回。\n退回原因：{article.review_note}{link}",
            _emails(author),
        )
    if event == "publish":
        when = timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M") if article.publish_at else ""
        return f"【已发布】{article.title}", f"您的稿件「{article.title}」已由{actor_name}发布（{when}）。{link}", _emails(author)
    return "", "", []


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def review_notify(*, article: Article, event: str, user) -> None:
    """Mail the people concerned by `event` (submit, approve, reject, publish) once the transaction commits."""
    if not getattr(settings, "REVIEW_NOTICE_EMAIL", False):
        return
    actor_name = getattr(user, "username", "") or "系统"
    subject, body, recipients = _message(article, event, actor_name)
    actor_email = getattr(user, "email", "")
    recipients = [address for address in recipients if address != actor_email]
    if not recipients:
        return

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # noqa: BLE001 - a mail server's trouble must not undo a decision
            log.exception("review notice %s for article %s not sent", event, article.pk)

    transaction.on_commit(send)
