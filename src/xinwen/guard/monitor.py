"""One recorded pass of the hijack guard: the command, the back office and the schedule all run this."""

from __future__ import annotations

from xinwen.guard import services
from xinwen.guard.alerts import alert_send
from xinwen.guard.patrol import PROFILES, PatrolError, http_fetcher, patrol

__all__ = ["guard_pass"]


def guard_pass(*, base_url: str, profiles=None, trigger: str = "manual", slot: int | None = None, fetch=None, timeout: float = 10.0):
    """(run, report) after patrolling, recording and alerting; report None when the pass could not run.

    Returns (None, None) when a scheduled slot was already taken by another process.
    """
    run = services.guard_run_start(base_url=base_url, trigger=trigger, slot=slot)
    if run is None:
        return None, None
    try:
        report = patrol(base_url=base_url, profiles=list(profiles or PROFILES), fetch=fetch or http_fetcher(timeout=timeout))
    except PatrolError as exc:
        services.guard_run_finish(run=run, error=str(exc))
        raise
    except Exception as exc:
        services.guard_run_finish(run=run, error=f"{exc.__class__.__name__}: {exc}")
        raise
    new = services.guard_run_finish(run=run, report=report)
    if new and alert_send(new, run):
        services.guard_findings_alerted(findings=new)
    return run, report
