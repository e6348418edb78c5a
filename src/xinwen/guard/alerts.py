"""Telling someone the guard found something: mail to GUARD_ALERT_EMAILS, a JSON POST to GUARD_ALERT_WEBHOOK.

One message per pass, listing only the findings `services.guard_run_finish` says are new
(or back after going away): a hijack that stays for a week is one alert, not one an hour.
A failed delivery is logged and retried with the next new finding, never raised.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.mail import send_mail

from xinwen.guard.inspect import KINDS

log = logging.getLogger("xinwen.guard")

__all__ = ["alert_text", "alert_payload", "alert_send"]


def alert_text(findings, run) -> str:
    lines = [f"xinwen 网站安全检查（{run.base_url}，{run.started_at:%Y-%m-%d %H:%M}）发现 {len(findings)} 个新问题：", ""]
    for finding in findings:
        lines += [
            f"· {KINDS.get(finding.kind, finding.kind)}",
            f"  页面：{finding.url}",
            f"  访问方式：{finding.profile}",
            f"  证据：{finding.evidence}",
            "",
        ]
    lines.append("详情见后台「网站安全」。同一问题在变化或消失之前不再重复告警。")
    return "\n".join(lines)


def alert_payload(findings, run) -> dict:
    return {
        "site": run.base_url,
        "run": run.pk,
        "started_at": run.started_at.isoformat(),
        "findings": [
            {"url": f.url, "profile": f.profile, "kind": f.kind, "kind_label": KINDS.get(f.kind, f.kind), "evidence": f.evidence, "fingerprint": f.fingerprint}
            for f in findings
        ],
    }


def alert_send(findings, run) -> bool:
    """Deliver one alert for these findings; True when every configured channel took it."""
    if not findings:
        return True
    delivered = True
    recipients = list(getattr(settings, "GUARD_ALERT_EMAILS", []))
    if recipients:
        try:
            send_mail(f"【网站安全】发现 {len(findings)} 个新问题", alert_text(findings, run), None, recipients)
        except Exception:  # mail down must not stop the guard
            log.exception("guard alert mail failed")
            delivered = False
    webhook = getattr(settings, "GUARD_ALERT_WEBHOOK", "")
    if webhook:
        try:
            import urllib3  # the guard's webhook: serving workers import this module and never post

            response = urllib3.request(
                "POST", webhook, body=json.dumps(alert_payload(findings, run), ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json; charset=utf-8"}, timeout=10, retries=False,
            )  # fmt: skip
            if response.status >= 400:
                raise OSError(f"webhook answered {response.status}")
        except Exception:
            log.exception("guard alert webhook failed")
            delivered = False
    return delivered
