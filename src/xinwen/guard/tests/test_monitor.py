"""网站安全: every pass is kept, each finding is alerted once until it changes, the schedule runs one pass per slot."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from xinwen.guard import worker
from xinwen.guard.models import GuardFinding, GuardRun
from xinwen.guard.monitor import guard_pass
from xinwen.guard.patrol import http_fetcher
from xinwen.guard.tests.helpers import Tamper, serving

pytestmark = pytest.mark.django_db(transaction=True)
PROFILES = ["desktop", "baiduspider"]


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(settings):
    _Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GUARD_ALERT_WEBHOOK = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings.GUARD_ALERT_EMAILS = ["security@example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield _Hook.received
    server.shutdown()
    server.server_close()


class Switchable:
    """The site, tampered with or not, without restarting the server."""

    def __init__(self, crawled):
        self.clean, self.tampered = WSGIHandler(), Tamper(WSGIHandler(), crawler_title=crawled)
        self.on = True

    def __call__(self, environ, start_response):
        return (self.tampered if self.on else self.clean)(environ, start_response)


def test_a_finding_is_alerted_once_until_it_goes_away_and_comes_back(site, webhook, mailoutbox):
    crawled = site[0]
    app = Switchable(crawled)
    with serving(app) as base:
        first, report = guard_pass(base_url=base, profiles=PROFILES)
        assert report.problems and first.outcome == GuardRun.Outcome.FOUND and first.new_problems == first.problems > 0
        assert len(mailoutbox) == 1 and len(webhook) == 1
        mail = mailoutbox[0]
        assert mail.to == ["security@example.org"] and "思思99re66" in mail.body and "baiduspider" in mail.body and crawled in mail.body
        kinds = {f["kind"] for f in webhook[0]["findings"]}
        assert {"cloaking-title", "foreign-title"} <= kinds and webhook[0]["site"] == base

        second, _ = guard_pass(base_url=base, profiles=PROFILES)
        assert second.problems == first.problems and second.new_problems == 0
        assert len(mailoutbox) == 1 and len(webhook) == 1  # no alert storm
        assert GuardFinding.objects.count() == first.problems and not GuardFinding.objects.filter(alerted_at=None).exists()

        app.on = False
        third, _ = guard_pass(base_url=base, profiles=PROFILES)
        assert third.outcome == GuardRun.Outcome.CLEAN and not GuardFinding.objects.filter(resolved_at=None).exists()

        app.on = True
        guard_pass(base_url=base, profiles=PROFILES)
        assert len(mailoutbox) == 2 and len(webhook) == 2  # back again: alerted again
    assert list(GuardRun.objects.values_list("outcome", flat=True)) == ["found", "clean", "found", "found"]


def test_an_undelivered_alert_is_retried_by_the_next_pass(site, settings, mailoutbox):
    settings.GUARD_ALERT_EMAILS = []
    settings.GUARD_ALERT_WEBHOOK = "http://127.0.0.1:9/nobody-listens"
    with serving(Tamper(WSGIHandler(), crawler_title=site[0])) as base:
        guard_pass(base_url=base, profiles=PROFILES)
        assert GuardFinding.objects.exists() and not GuardFinding.objects.exclude(alerted_at=None).exists()
        settings.GUARD_ALERT_WEBHOOK = ""
        settings.GUARD_ALERT_EMAILS = ["security@example.org"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        guard_pass(base_url=base, profiles=PROFILES)
    assert len(mailoutbox) == 1 and not GuardFinding.objects.filter(alerted_at=None).exists()


def test_the_command_records_a_run_that_could_not_run():
    with pytest.raises(SystemExit) as not_run:
        call_command("guard", "--base-url", "http://127.0.0.1:9", "--no-browser", stdout=io.StringIO(), stderr=io.StringIO())
    assert not_run.value.code == 2
    run = GuardRun.objects.get()
    assert run.outcome == GuardRun.Outcome.FAILED and "无法访问" in run.error


def test_a_pass_whose_database_connection_was_closed_meanwhile_is_still_recorded(site):
    """A server restart or an idle timeout during the minutes of fetching must not lose the pass's findings."""
    if connection.vendor != "postgresql":
        pytest.skip("terminating a backend is PostgreSQL's; SQLite has no connection to lose")
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    http, killed = http_fetcher(), []

    def fetch(url, profile):
        if not killed:  # as the server would, while the pass is out fetching pages
            with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
                killed.append(other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0])
        return http(url, profile)

    with serving(Tamper(WSGIHandler(), crawler_title=site[0])) as base:
        run, report = guard_pass(base_url=base, profiles=PROFILES, fetch=fetch)
    assert killed == [True]
    run = GuardRun.objects.get(pk=run.pk)
    assert run.outcome == GuardRun.Outcome.FOUND and run.pages == report.pages > 0
    assert GuardFinding.objects.filter(kind="cloaking-title", resolved_at__isnull=True).exists()


def test_one_scheduled_pass_per_slot_however_many_processes_ask(site, settings):
    settings.GUARD_SCHEDULE_MINUTES = 60
    with serving(WSGIHandler()) as base:
        settings.SITE_URL = base
        now = 1_800_000_000.0
        assert worker.scheduled_pass(now) is not None
        assert worker.scheduled_pass(now + 120) is None  # same hour: another process already ran it
        assert worker.scheduled_pass(now + 3600) is not None
    runs = GuardRun.objects.all()
    assert [r.trigger for r in runs] == ["schedule", "schedule"] and {r.outcome for r in runs} == {"clean"}


def test_the_schedule_is_off_without_minutes_or_a_site_url(settings, monkeypatch):
    settings.GUARD_SCHEDULE_MINUTES = 0
    started = []
    monkeypatch.setattr(worker.threading, "Thread", lambda *a, **k: started.append(k) or pytest.fail("no thread"))
    monkeypatch.setattr(worker, "_started_in", None)
    worker.schedule_start()
    assert started == []


def test_the_dashboard_and_the_security_pages_show_findings(site, admin_user, client):
    with serving(Tamper(WSGIHandler(), crawler_title=site[0])) as base:
        guard_pass(base_url=base, profiles=PROFILES)
    client.force_login(admin_user)
    home = client.get(reverse("admin:index")).content.decode()
    open_count = GuardFinding.objects.filter(resolved_at=None).count()
    assert "网站安全" in home and f"发现 {open_count} 个未解决的安全问题" in home
    findings = client.get(reverse("admin:guard_guardfinding_changelist")).content.decode()
    assert "对不同访问者标题不同（伪装）" in findings and "思思99re66" in findings
    runs = client.get(reverse("admin:guard_guardrun_changelist")).content.decode()
    assert "检查记录" in runs and "发现问题" in runs
