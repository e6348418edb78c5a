"""The review chain through the write path: three levels, none, inherited; audit words and e-mails."""

from __future__ import annotations

import pytest
from django.core import mail

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news.errors import NotAllowed, WorkflowError
from xinwen.news.grants import SectionGrant, chain_for
from xinwen.news.models import Article, AuditEntry
from xinwen.news.tests.test_section_permissions import make_user

S = Article.Status
R = SectionGrant.Role
A = AuditEntry.Action
pytestmark = pytest.mark.django_db


@pytest.fixture
def chain3(tree, settings):
    """公司新闻 with 初审 / 复审 / 终审 held by three people with addresses; an author with one too."""
    settings.REVIEW_NOTICE_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    company = tree["company"]
    company.review_levels = 3
    company.review_names = "部门初审/办公室复审/分管领导终审"
    services.category_save(category=company, user=None, changed_fields=["review_levels", "review_names"])
    people = {}
    for name, role, level in [("writer", R.AUTHOR, 0), ("first", R.REVIEW, 1), ("second", R.REVIEW, 2),
                              ("third", R.REVIEW, 3), ("third", R.PUBLISH, 0)]:  # fmt: skip
        if name not in people:
            people[name] = make_user(name, role=None)
            people[name].email = f"{name}@example.cn"
            people[name].save()
        services.section_grant_save(
            grant=SectionGrant(category=company, user=people[name], role=role, level=level), user=None
        )
    return {"section": company, **people}


def _sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_three_levels_in_order_with_audit_and_mail(chain3, django_capture_on_commit_callbacks):
    from xinwen.editorial.auditlog import audit_detail_text

    section = chain3["section"]
    article = make_article(category=section, status=S.DRAFT, created_by=chain3["writer"], title="三审稿件")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit(article=article, user=chain3["writer"])
    assert (article.status, article.review_level) == (S.REVIEW, 1)
    assert [m.subject for m in _sent_to("first@example.cn")] == ["【待部门初审】三审稿件"]
    assert not _sent_to("second@example.cn")

    # Out of order: the 复审 cannot act at the first level, nor can publishing skip the chain.
    with pytest.raises(NotAllowed):
        services.article_approve(article=article, user=chain3["second"])
    with pytest.raises(NotAllowed):
        services.article_publish(article=article, user=chain3["third"])

    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=article, user=chain3["first"], comment="事实无误")
    assert (article.status, article.review_level) == (S.REVIEW, 2)
    assert [m.subject for m in _sent_to("second@example.cn")] == ["【待办公室复审】三审稿件"]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=article, user=chain3["second"])
    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=article, user=chain3["third"])
    assert (article.status, article.review_level) == (S.APPROVED, 0)
    assert not [m for m in _sent_to("third@example.cn") if m.subject.startswith("【待发布】")]  # they approved it themselves
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, user=chain3["third"])
    assert article.is_public
    assert [m.subject for m in _sent_to("writer@example.cn")] == ["【已发布】三审稿件"]

    entries = AuditEntry.objects.filter(object_id=str(article.pk), content_type__model="article").order_by("at", "id")
    words = [(e.get_action_display(), audit_detail_text(e)) for e in entries]
    assert words[0] == ("提交审核", "提交到：部门初审")
    assert words[1] == ("审核通过", "审核意见：事实无误；审核环节：部门初审；下一步：办公室复审")
    assert words[3][1] == "审核环节：分管领导终审；下一步：发布"
    assert words[4][0] == "发布" and "level" not in words[4][1]


def test_reject_at_any_level_returns_to_the_author_and_resubmission_starts_over(chain3, django_capture_on_commit_callbacks):
    section = chain3["section"]
    article = make_article(category=section, status=S.DRAFT, created_by=chain3["writer"], title="需修改稿件")
    services.article_submit(article=article, user=chain3["writer"])
    services.article_approve(article=article, user=chain3["first"])
    with pytest.raises(WorkflowError):  # an approved level cannot be undone by the author
        services.article_withdraw(article=article, user=chain3["writer"])
    with pytest.raises(WorkflowError):
        services.article_reject(article=article, user=chain3["second"], reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_reject(article=article, user=chain3["second"], reason="第三段数据与通报不一致")
    assert (article.status, article.review_level, article.review_note) == (S.REJECTED, 0, "第三段数据与通报不一致")
    [notice] = _sent_to("writer@example.cn")
    assert notice.subject == "【已退回】需修改稿件" and "第三段数据与通报不一致" in notice.body
    services.article_submit(article=article, user=chain3["writer"])
    assert (article.status, article.review_level) == (S.REVIEW, 1)


def test_no_levels_goes_straight_to_the_publishers(tree, django_capture_on_commit_callbacks):
    notices = tree["notices"]
    notices.review_levels = 0
    services.category_save(category=notices, user=None, changed_fields=["review_levels"])
    writer = make_user("notice-writer", role="作者")
    article = make_article(category=notices, status=S.DRAFT, created_by=writer)
    services.article_submit(article=article, user=writer)
    assert (article.status, article.review_level) == (S.APPROVED, 0)
    editor = make_user("notice-editor", role="编辑")
    services.article_publish(article=article, user=editor)
    assert article.is_public


def test_chain_is_inherited_until_a_section_sets_its_own(tree):
    root, company, industry = tree["root"], tree["company"], tree["industry"]
    assert chain_for(company.pk).levels == 1  # nothing set anywhere: the root default, one level
    root.review_levels, root.review_names = 2, "初审/终审"
    services.category_save(category=root, user=None)
    sub = services.category_save(category=type(company)(name="党建", slug="dangjian", parent=company), user=None)
    assert chain_for(sub.pk).levels == 2 and chain_for(sub.pk).names[:2] == ("初审", "终审")
    industry.review_levels = 0
    services.category_save(category=industry, user=None)
    assert chain_for(industry.pk).levels == 0 and chain_for(company.pk).levels == 2
    assert chain_for(company.pk).describe() == "初审 → 终审 → 发布"


def test_grant_on_a_parent_reaches_the_sub_sections(tree):
    company = tree["company"]
    sub = services.category_save(category=type(company)(name="党建", slug="dangjian", parent=company), user=None)
    reviewer = make_user("parent-reviewer", role=None)
    services.section_grant_save(grant=SectionGrant(category=tree["root"], user=reviewer, role=R.REVIEW, level=1), user=None)
    article = make_article(category=sub, status=S.REVIEW, review_level=1)
    services.article_approve(article=article, user=reviewer)
    assert article.status == S.APPROVED  # the root default chain has one level


def test_grants_are_managed_by_admins_only_and_logged_in_words(tree):
    from xinwen.editorial.auditlog import audit_detail_text

    editor = make_user("grant-editor", role="编辑")
    admin = make_user("grant-admin", role="管理员")
    target = make_user("grant-target", role=None)
    grant = SectionGrant(category=tree["company"], user=target, role=R.REVIEW, level=2)
    with pytest.raises(NotAllowed):
        services.section_grant_save(grant=grant, user=editor)
    with pytest.raises(WorkflowError):
        services.section_grant_save(grant=SectionGrant(category=tree["company"], user=target, role=R.REVIEW), user=admin)
    services.section_grant_save(grant=grant, user=admin)
    with pytest.raises(WorkflowError):  # the same grant twice
        services.section_grant_save(grant=SectionGrant(category=tree["company"], user=target, role=R.REVIEW, level=2), user=admin)
    entry = AuditEntry.objects.get(action=A.GRANT)
    assert audit_detail_text(entry) == "对象：用户 grant-target；栏目：新闻中心 > 公司新闻；角色：审核（第 2 级）"
    services.section_grant_delete(grant=grant, user=admin)
    assert AuditEntry.objects.filter(action=A.REVOKE).exists() and not SectionGrant.objects.exists()
