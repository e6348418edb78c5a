"""Baidu's link-submission API (搜索资源平台 · 普通收录 · API提交): one POST per batch of URLs.

    POST {endpoint}?site={site}&token={token}      Content-Type: text/plain, one URL a line
    200 {"success": 2, "remain": 99998, "not_same_site": [], "not_valid": []}
    4xx/5xx {"error": 401, "message": "token is not valid"}

`submit` does the HTTP call; `interpret` turns an answer into what the queue should do,
as a pure function. The token is part of the query string and is never logged or stored.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode

__all__ = ["Outcome", "submit", "interpret", "MAX_BATCH"]

MAX_BATCH = 2000  # Baidu: "only 2000 urls are allowed once"


@dataclass
class Outcome:
    """What happened to a batch: URLs accepted, URLs refused for good, or a failure worth retrying."""

    accepted: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)  # url → reason; retrying will not help
    error: str = ""  # the whole batch failed: retry later
    over_quota: bool = False  # the site's daily quota is used up: retry tomorrow
    remain: int | None = None


def interpret(status: int, body: bytes, urls: list[str]) -> Outcome:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        return Outcome(error=f"HTTP {status}: 百度返回了无法识别的内容")
    if status != 200 or "error" in data:
        message = str(data.get("message") or data.get("error") or "")[:200]
        return Outcome(error=f"HTTP {status}: {message}", over_quota="quota" in message.lower())
    rejected = {url: "百度认为不属于该站点（not_same_site）" for url in data.get("not_same_site") or [] if url in urls}
    rejected.update({url: "百度认为网址无效（not_valid）" for url in data.get("not_valid") or [] if url in urls})
    remain = data.get("remain")
    return Outcome(
        accepted=[url for url in urls if url not in rejected],
        rejected=rejected,
        remain=remain if isinstance(remain, int) else None,
    )


def submit(urls: list[str], *, endpoint: str, site: str, token: str, timeout: float) -> Outcome:
    """Send one batch; network failures come back as a retryable Outcome, never as an exception."""
    if not urls:
        return Outcome()
    if len(urls) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} URLs per request")
    request = urllib.request.Request(
        f"{endpoint}?{urlencode({'site': site, 'token': token})}",
        data="\n".join(urls).encode("utf-8"),
        headers={"Content-Type": "text/plain", "User-Agent": "xinwen-baidu-push/1"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (endpoint from settings)
            return interpret(response.status, response.read(65536), urls)
    except urllib.error.HTTPError as exc:
        return interpret(exc.code, exc.read(65536), urls)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        # str(exc) never contains the request URL (and so never the token).
        reason = getattr(exc, "reason", exc)
        return Outcome(error=f"无法连接百度推送接口：{reason}"[:300])
