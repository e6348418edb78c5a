"""网站安全's 立即检查: a POST that runs a pass in the background, for the people allowed to, one at a time."""

from __future__ import annotations

import re
import threading

import pytest
from django.contrib.auth.models import Permission
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from xinwen.conftest import StaffClient, make_user
from xinwen.guard import services
from xinwen.guard.models import GuardRun
from xinwen.guard.tests.helpers import Tamper, serving

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = "admin:guard_guardrun_changelist"
RUN_NOW = "admin:guard_guardrun_run_now"


def staff_with(*codenames: str):
    user = make_user(f"staff-{'-'.join(codenames) or 'none'}", role="编辑")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="guard", codename__in=codenames))
    return user


def wait_for(run_id: int, timeout: float = 180) -> GuardRun:
    """The run once its thread ended (joined, not polled: polling the in-memory test database would lock its table)."""
    for thread in [t for t in threading.enumerate() if t.name == "xinwen-guard-manual"]:
        thread.join(timeout)
        assert not thread.is_alive(), f"the pass did not finish in {timeout} s"
    return GuardRun.objects.get(pk=run_id)


def test_a_superuser_runs_a_pass_and_its_findings_appear_on_the_page(site, admin_user, client, settings):
    with serving(Tamper(WSGIHandler(), crawler_title=site[0])) as base:
        settings.SITE_URL = base
        client.force_login(admin_user)
        page = client.get(reverse(PAGE)).content.decode()
        assert "立即检查" in page and "没有未解决的安全问题" in page
        response = client.post(reverse(RUN_NOW), follow=True)
        assert "已开始检查" in " ".join(str(m) for m in response.context["messages"])
        run = wait_for(GuardRun.objects.get().pk)
    assert run.trigger == "manual" and run.outcome == GuardRun.Outcome.FOUND and run.slot is None
    assert run.pages == run.pages_total == 4 * 8
    page = client.get(reverse(PAGE)).content.decode()
    assert "对不同访问者标题不同（伪装）" in page and "思思99re66" in page and "sogou" in page
    assert 'http-equiv="refresh"' not in page  # nothing runs: no refreshing


def test_the_page_shows_progress_and_refuses_a_second_pass_while_one_runs(admin_user, client):
    running = services.guard_run_start(base_url="https://www.example.org", slot=services.MANUAL_SLOT)
    services.guard_run_progress(run=running, done=12, total=32)
    client.force_login(admin_user)
    page = client.get(reverse(PAGE)).content.decode()
    assert "已检查 12 / 32 个页面" in page and '<meta http-equiv="refresh" content="3">' in page
    assert re.search(r"<button[^>]*disabled[^>]*>立即检查</button>", page)
    response = client.post(reverse(RUN_NOW), follow=True)
    assert "已有一次检查正在进行" in " ".join(str(m) for m in response.context["messages"])
    assert GuardRun.objects.count() == 1


def test_a_pass_whose_process_died_does_not_block_the_button_for_ever(admin_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    stale = services.guard_run_start(base_url="https://www.example.org", slot=services.MANUAL_SLOT, now=timezone.now() - timedelta(hours=3))
    fresh = services.guard_run_start(base_url="https://www.example.org", slot=services.MANUAL_SLOT)
    assert fresh is not None
    stale.refresh_from_db()
    assert stale.outcome == GuardRun.Outcome.FAILED and stale.slot is None


def test_only_superusers_and_holders_of_the_permission_may_run_it(client):
    viewer = staff_with("view_guardrun", "view_guardfinding")
    client.force_login(viewer)
    page = client.get(reverse(PAGE)).content.decode()
    assert "网站安全" in page and "立即检查" not in page
    assert client.post(reverse(RUN_NOW)).status_code == 403
    assert GuardRun.objects.count() == 0
    runner = staff_with("view_guardrun", "run_guardrun")
    other = StaffClient()
    other.force_login(runner)
    assert "立即检查" in other.get(reverse(PAGE)).content.decode()
    # A GET never runs anything.
    assert other.get(reverse(RUN_NOW)).status_code == 405


def test_the_button_needs_the_csrf_token(admin_user):
    strict = StaffClient(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert strict.post(reverse(RUN_NOW)).status_code == 403
    assert GuardRun.objects.count() == 0
