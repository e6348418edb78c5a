"""Factories and fixtures shared by every app's tests (one place, as the style guide asks)."""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone

from xinwen import stamps
from xinwen.hanzi import render as hanzi_render
from xinwen.hanzi import selectors as glossary_selectors

from xinwen.news.models import Article, Category, SiteSettings
from xinwen.news.tree import CategoryTree

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads of a test go to its own folder and disappear with it."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_worker_memory():
    """Each test's database starts empty: what a worker keeps from an earlier test's rows is stale.

    The stamps are bumped where they live now, and the kept values dropped too: a test that
    moves the stamps (the page-cache fixture switches REDIS_URL off) reads another store.
    """
    stamps.forget()
    CategoryTree.changed()
    SiteSettings.changed()
    stamps.bump(glossary_selectors.STAMP)


@pytest.fixture(autouse=True)
def _planner_statistics_of_this_test_only(request, django_db_blocker):
    """Each test's database starts without planner statistics, as a freshly migrated site does.

    A publish or an import ANALYZEs the article table (news/statistics.py). Under a transactional
    test that commits, and the rows of sqlite_stat1 outlive the flush; under any other test they
    roll back, but SQLite's connection keeps planning with what it loaded. Either way a later
    test's plans would follow another test's table (an article's neighbours were read by
    scanning the table with the statistics of another size).
    """
    yield
    if not {"db", "transactional_db"} & set(request.fixturenames) and not request.node.get_closest_marker("django_db"):
        return
    from django.db import connection

    if connection.vendor != "sqlite":
        return  # PostgreSQL's rows of a rolled-back test are gone, and it plans from pg_class afresh
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")  # reload: the planner uses what it loaded


@contextmanager
def rolled_back_after(django_db_blocker):
    """A transaction for rows a module's tests share, rolled back when the block ends.

    For a module-scoped fixture: each test (the `db` fixture) then runs in a savepoint
    inside it, so what a test changes is undone after that test and the next one finds
    the shared rows as they were made.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class StaffClient(Client):
    """The test client; `force_login` of a staff account also passes the second factor.

    It gives the account a real authenticator device and records it in the session, as the
    code page does. `force_login(user, second_factor=False)` stops after the password.
    """

    def force_login(self, user, backend=None, *, second_factor: bool = True):
        super().force_login(user, backend)
        if second_factor and user.is_staff:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return StaffClient()


def make_user(username: str, *, role: str | None = None, superuser: bool = False, password: str = "correct-horse-battery-42"):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username=username, password=password, email="")
    user = User.objects.create_user(username=username, password=password, is_staff=role is not None)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_category(name: str = "公司新闻", *, slug: str | None = None, parent: Category | None = None, order: int = 0) -> Category:
    category = Category.objects.create(name=name, slug=slug or f"cat-{next(_seq)}", parent=parent, order=order)
    CategoryTree.changed()  # as the category notice would: the factory bypasses the service
    return category


def make_article(
    *,
    category: Category,
    title: str | None = None,
    status: str = Article.Status.PUBLISHED,
    publish_at=None,
    days_ago: float | None = None,
    **fields,
) -> Article:
    if publish_at is None and status == Article.Status.PUBLISHED:
        publish_at = timezone.now() - timedelta(days=1 if days_ago is None else days_ago)
    return Article.objects.create(
        category=category,
        title=title or f"测试文章{next(_seq)}",
        status=status,
        publish_at=publish_at,
        body=fields.pop("body", "<p>正文内容。</p>"),
        **fields,
    )


@pytest.fixture
def tree(db):
    """新闻中心 > 公司新闻 / 行业动态 / 通知公告."""
    root = make_category("新闻中心", slug="news")
    return {
        "root": root,
        "company": make_category("公司新闻", slug="company", parent=root, order=10),
        "industry": make_category("行业动态", slug="industry", parent=root, order=20),
        "notices": make_category("通知公告", slug="notices", parent=root, order=30),
    }


@pytest.fixture
def author(db):
    return make_user("author", role="作者")


@pytest.fixture
def editor(db):
    return make_user("editor", role="编辑")


@pytest.fixture
def admin_user(db):
    return make_user("boss", superuser=True)


def form_data(category, **overrides):
    """The article add form as the admin posts it (no attachments, no gallery), `overrides` on top."""
    data = {
        "title": "集团召开安全生产专题会议",
        "subtitle": "",
        "category": category.pk,
        "summary": "会议部署了下一阶段安全生产重点工作。",
        "body": "<p>会议要求各单位压实安全责任。</p>",
        "source_name": "本站",
        "source_url": "",
        "author": "王晓明",
        "editor": "李娜",
        "publish_at_0": "",
        "publish_at_1": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "gallery_images-TOTAL_FORMS": "0",
        "gallery_images-INITIAL_FORMS": "0",
        "gallery_images-MIN_NUM_FORMS": "0",
        "gallery_images-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    data.update(overrides)
    return data


class CallCounter:
    """Wraps a function and counts its calls (conversions that reach OpenCC, for instance)."""

    def __init__(self, function):
        self.function = function
        self.calls = 0
        self.texts: list = []  # each call's first argument: the text converted

    def __call__(self, *args, **kwargs):
        self.calls += 1
        self.texts.append(args[0] if args else None)
        return self.function(*args, **kwargs)


@pytest.fixture
def html_conversions(monkeypatch):
    """Counts the body conversions a page or a save runs (hanzi.render.convert_html)."""
    counter = CallCounter(hanzi_render.convert_html)
    monkeypatch.setattr(hanzi_render, "convert_html", counter)
    return counter


@pytest.fixture
def text_conversions(monkeypatch):
    """Counts the plain-text conversions (titles, names) that reach OpenCC."""
    counter = CallCounter(hanzi_render.convert)
    monkeypatch.setattr(hanzi_render, "convert", counter)
    return counter
