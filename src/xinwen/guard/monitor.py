"""One recorded pass of the hijack guard: the command, the back office and the schedule all run this."""

from __future__ import annotations

import logging
import threading
import time

from django.db import transaction

from xinwen.guard import services
from xinwen.guard.alerts import alert_send
from xinwen.guard.browser import BROWSER
from xinwen.guard.patrol import PROFILES, PatrolError, http_fetcher, patrol

__all__ = ["guard_pass", "guard_pass_in_background"]


def guard_pass(*, base_url: str, profiles=None, trigger: str = "manual", slot: int | None = None, fetch=None, timeout: float = 10.0, run=None):
    """(run, report) after patrolling, recording and alerting; report None when the pass could not run.

    Returns (None, None) when a scheduled slot was already taken by another process.
    `run`: a run already started (网站安全's 立即检查 claims it in the request, then runs the pass in a thread).
    """
    run = run or services.guard_run_start(base_url=base_url, trigger=trigger, slot=slot)
    if run is None:
        return None, None
    last = [0.0]

    def progress(done: int, total: int) -> None:
        # At most one UPDATE a second: a 1,000-page pass should not write a thousand times.
        if done == total or time.monotonic() - last[0] >= 1.0:
            last[0] = time.monotonic()
            services.guard_run_progress(run=run, done=done, total=total)

    profiles = list(profiles or PROFILES)
    browser = None
    try:
        if fetch is None:
            fetch = http_fetcher(timeout=timeout)
            if BROWSER in profiles:
                browser = _browser(timeout)
                fetch = _with_browser(fetch, browser)
        report = patrol(base_url=base_url, profiles=profiles, fetch=fetch, progress=progress)
    except PatrolError as exc:
        _reconnect_if_closed()
        services.guard_run_finish(run=run, error=str(exc))
        raise
    except Exception as exc:
        _reconnect_if_closed()
        services.guard_run_finish(run=run, error=f"{exc.__class__.__name__}: {exc}")
        raise
    finally:
        if browser is not None:
            browser.close()
    _reconnect_if_closed()
    new = services.guard_run_finish(run=run, report=report)
    if new and alert_send(new, run):
        services.guard_findings_alerted(findings=new)
    return run, report


def _reconnect_if_closed() -> None:
    """Drop a database connection the server closed while the pass was fetching, so the results are kept.

    A pass is minutes of network with the database idle, outside any request cycle that
    would health-check the connection: a server restart, an idle timeout or a pooler can
    close it meanwhile (progress updates swallow that error). Outside a transaction, a
    closed connection is dropped here and the next query opens a new one.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.in_atomic_block and not connection.is_usable():
            connection.close()


def _browser(timeout: float):
    from xinwen.guard.browser import BrowserFetcher

    try:
        return BrowserFetcher(timeout=timeout)
    except Exception as exc:
        raise PatrolError(f"无法启动浏览器（{exc.__class__.__name__}: {str(exc)[:120]}），检查没有进行；可用 --no-browser 跳过浏览器检查。") from exc


def _with_browser(http, browser):
    def fetch(url: str, profile: str):
        return browser(url, profile) if profile == BROWSER else http(url, profile)

    return fetch


def guard_pass_in_background(*, base_url: str, profiles=None):
    """Claim the manual slot and run a pass in a daemon thread; returns the run, or None when a manual pass is already running."""
    run = services.guard_run_start(base_url=base_url, trigger="manual", slot=services.MANUAL_SLOT)
    if run is None:
        return None

    def work() -> None:
        from django.db import connection

        try:
            guard_pass(base_url=base_url, profiles=profiles, run=run)
        except PatrolError:
            pass  # recorded on the run by guard_pass
        except Exception:  # recorded on the run too; a thread has no one else to tell
            logging.getLogger("xinwen.guard").exception("manual guard pass failed")
        finally:
            connection.close()

    thread = threading.Thread(target=work, name="xinwen-guard-manual", daemon=True)
    transaction.on_commit(thread.start)  # the thread's own connection must see the run row
    return run
