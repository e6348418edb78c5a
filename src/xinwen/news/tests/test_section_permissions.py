"""栏目权限, the table: role × section × action → allowed or 403, decided by the write path.

Sections A (公司新闻) and B (行业动态) sit under 新闻中心, whose chain has three levels (初审 / 复审
/ 终审); both inherit it. The roles are held through section grants (a user's own or a group's,
on a section or on the root above it) or through the global roles of news/roles.py. 403 is
NotAllowed, a PermissionDenied, which every view answers with 403 (editorial/tests/test_sections.py
checks that through the back office).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from xinwen.conftest import make_article
from xinwen.news import services
from xinwen.news.grants import SectionGrant
from xinwen.news.models import Article

S = Article.Status
R = SectionGrant.Role
pytestmark = pytest.mark.django_db
OK, NO = "ok", 403


@pytest.fixture
def newsroom(tree):
    """Three-level chain on the root; the accounts of the table, by name."""
    root, a, b = tree["root"], tree["company"], tree["industry"]
    root.review_levels = 3
    services.category_save(category=root, user=None, changed_fields=["review_levels"])
    first_readers = Group.objects.create(name="初审组")
    people = {
        "author_A": make_user("author_A", role=None),
        "first_all": make_user("first_all", role=None),  # 初审 through a group granted on the root
        "second_A": make_user("second_A", role=None),
        "final_A": make_user("final_A", role=None),  # 终审 and 发布 in A
        "global_author": make_user("global_author", role="作者"),
        "global_editor": make_user("global_editor", role="编辑"),
        "admin": make_user("admin", role="管理员"),
    }
    people["first_all"].groups.add(first_readers)
    grants = [
        SectionGrant(category=a, user=people["author_A"], role=R.AUTHOR),
        SectionGrant(category=root, group=first_readers, role=R.REVIEW, level=1),
        SectionGrant(category=a, user=people["second_A"], role=R.REVIEW, level=2),
        SectionGrant(category=a, user=people["final_A"], role=R.REVIEW, level=3),
        SectionGrant(category=a, user=people["final_A"], role=R.PUBLISH),
    ]
    for grant in grants:
        services.section_grant_save(grant=grant, user=None)
    return {"sections": {"A": a, "B": b}, "people": people}


def make_user(username: str, *, role: str | None):
    """A staff account without a password (hashing one per row would make the table slow)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password=None, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _in_review(category, level, by):
    return make_article(category=category, status=S.REVIEW, review_level=level, created_by=by)


def _do(action: str, *, actor, section, writer):
    """Prepare an article in `section` for `action` and let `actor` try it."""
    if action == "write":
        article = Article(category=section, title="新稿件", body="<p>正文。</p>")
        return services.article_save(article=article, user=actor)
    if action == "submit_own":
        article = make_article(category=section, status=S.DRAFT, created_by=actor)
        return services.article_submit(article=article, user=actor)
    if action.startswith("approve"):
        article = _in_review(section, int(action[-1]), writer)
        return services.article_approve(article=article, user=actor, comment="同意")
    if action == "reject_at_1":
        article = _in_review(section, 1, writer)
        return services.article_reject(article=article, user=actor, reason="数据需要核实")
    if action == "reject_approved":
        article = make_article(category=section, status=S.APPROVED, created_by=writer)
        return services.article_reject(article=article, user=actor, reason="标题不妥")
    if action == "publish_approved":
        article = make_article(category=section, status=S.APPROVED, created_by=writer)
        return services.article_publish(article=article, user=actor)
    if action == "publish_draft":  # skipping the chain: only for whoever holds every level too
        article = make_article(category=section, status=S.DRAFT, created_by=writer)
        return services.article_publish(article=article, user=actor)
    if action == "unpublish":
        article = make_article(category=section, status=S.PUBLISHED, created_by=writer)
        return services.article_unpublish(article=article, user=actor)
    raise AssertionError(action)


ACTIONS = ["write", "submit_own", "approve_1", "approve_2", "approve_3", "reject_at_1", "reject_approved",
           "publish_approved", "publish_draft", "unpublish"]  # fmt: skip

# role → action → (answer in A, answer in B)
RULES = {
    "author_A": {"write": (OK, NO), "submit_own": (OK, NO)},
    "first_all": {"approve_1": (OK, OK), "reject_at_1": (OK, OK)},
    "second_A": {"approve_2": (OK, NO)},
    "final_A": {
        "write": (OK, NO), "submit_own": (OK, NO), "approve_3": (OK, NO), "reject_approved": (OK, NO),
        "publish_approved": (OK, NO), "unpublish": (OK, NO),
    },
    "global_author": {"write": (OK, OK), "submit_own": (OK, OK)},
    "global_editor": {action: (OK, OK) for action in ACTIONS},
    "admin": {action: (OK, OK) for action in ACTIONS},
}  # fmt: skip

TABLE = [
    (role, section, action, RULES[role].get(action, (NO, NO))[0 if section == "A" else 1])
    for role in RULES
    for section in ("A", "B")
    for action in ACTIONS
]


@pytest.mark.parametrize("role, section, action, expected", TABLE)
def test_permission_table(newsroom, role, section, action, expected):
    actor = newsroom["people"][role]
    category = newsroom["sections"][section]
    writer = newsroom["people"]["author_A"]
    if expected == OK:
        article = _do(action, actor=actor, section=category, writer=writer)
        assert isinstance(article, Article) and article.pk
    else:
        with pytest.raises(PermissionDenied):
            _do(action, actor=actor, section=category, writer=writer)
