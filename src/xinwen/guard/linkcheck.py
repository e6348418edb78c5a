"""External links of published articles: do they still answer? Polite by construction.

Each URL is asked once however many articles carry it, HEAD first (GET when a server
refuses HEAD), redirects followed. Requests to one host are spaced by at least the
interval (or the host's robots.txt Crawl-delay, up to a cap), and a URL robots.txt
disallows for our user agent is not fetched at all: it is recorded as skipped, never as
broken. A link is broken when it answers 4xx/5xx, cannot be reached or times out.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

import urllib3

from xinwen.guard.links import body_links, is_external
from xinwen.news.models import Article

__all__ = ["USER_AGENT", "LinkResult", "external_links", "check_links"]

USER_AGENT = "xinwen-linkcheck/1.0 (+dead link check of the site's own articles)"
MAX_CRAWL_DELAY = 30.0


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None
    error: str
    broken: bool
    skipped: bool = False


def external_links(articles: Iterable[Article] | None = None) -> "OrderedDict[str, list[int]]":
    """URL → ids of the published articles that link to it."""
    found: OrderedDict[str, list[int]] = OrderedDict()
    rows = articles if articles is not None else Article.objects.published().only("id", "body").order_by("id")
    for article in rows:
        for url in body_links(article.body):
            if is_external(url):
                found.setdefault(url.split("#", 1)[0], []).append(article.pk)
    return found


class _Hosts:
    """robots.txt and the time of the last request, per scheme://host."""

    def __init__(self, http: urllib3.PoolManager, interval: float, timeout: float, clock, sleep):
        self.http, self.interval, self.timeout, self.clock, self.sleep = http, interval, timeout, clock, sleep
        self.robots: dict[str, robotparser.RobotFileParser] = {}
        self.last: dict[str, float] = {}
        self.requests = 0

    def origin(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def wait(self, origin: str) -> None:
        delay = self.interval
        rules = self.robots.get(origin)
        if rules is not None and rules.crawl_delay(USER_AGENT):
            delay = max(delay, min(float(rules.crawl_delay(USER_AGENT)), MAX_CRAWL_DELAY))
        if origin in self.last:
            remaining = self.last[origin] + delay - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self.last[origin] = self.clock()
        self.requests += 1

    def allowed(self, url: str) -> bool:
        origin = self.origin(url)
        if origin not in self.robots:
            rules = robotparser.RobotFileParser()
            self.wait(origin)
            try:
                response = self.http.request("GET", origin + "/robots.txt", timeout=self.timeout, redirect=True, preload_content=True)
            except urllib3.exceptions.HTTPError:
                rules.allow_all = True  # no robots.txt to read: nothing forbids a single check
            else:
                if response.status in (401, 403):
                    rules.disallow_all = True
                elif response.status >= 400:
                    rules.allow_all = True
                else:
                    rules.parse(response.data.decode("utf-8", "replace").splitlines())
            self.robots[origin] = rules
        return self.robots[origin].can_fetch(USER_AGENT, url)


def check_links(
    urls: Iterable[str],
    *,
    interval: float = 1.0,
    timeout: float = 10.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[list[LinkResult], int]:
    """Each URL's result, and the number of requests made."""
    http = urllib3.PoolManager(headers={"User-Agent": USER_AGENT}, retries=False)
    hosts = _Hosts(http, interval, timeout, clock, sleep)
    results = []
    for url in _interleaved(urls):
        if not hosts.allowed(url):
            results.append(LinkResult(url, None, "robots.txt 不允许检查", broken=False, skipped=True))
            continue
        results.append(_check(http, hosts, url, timeout))
    return results, hosts.requests


def _interleaved(urls: Iterable[str]) -> list[str]:
    """One URL of each host in turn: the wait for one host is spent on the others."""
    queues: OrderedDict[str, list[str]] = OrderedDict()
    for url in urls:
        queues.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    ordered = []
    while queues:
        for host in list(queues):
            ordered.append(queues[host].pop(0))
            if not queues[host]:
                del queues[host]
    return ordered


MAX_REDIRECTS = 5


def _check(http: urllib3.PoolManager, hosts: _Hosts, url: str, timeout: float) -> LinkResult:
    """Follow redirects hop by hop, so each hop waits its host's turn and asks its robots.txt."""
    target = url
    for _hop in range(MAX_REDIRECTS + 1):
        status, location = None, ""
        for method in ("HEAD", "GET"):
            hosts.wait(hosts.origin(target))
            try:
                response = http.request(
                    method, target, timeout=urllib3.Timeout(connect=timeout, read=timeout), redirect=False, preload_content=False
                )
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                return LinkResult(url, None, _reason(exc), broken=True)
            status, location = response.status, response.headers.get("Location", "")
            response.release_conn()
            if method == "HEAD" and status in (403, 405, 501):
                continue  # some servers refuse HEAD but serve GET
            break
        if status in (301, 302, 303, 307, 308) and location:
            target = urljoin(target, location)
            if not target.startswith(("http://", "https://")):
                return LinkResult(url, status, "重定向到无效地址", broken=True)
            if not hosts.allowed(target):
                return LinkResult(url, status, "", broken=False)  # the redirect answered; its target is not ours to ask
            continue
        return LinkResult(url, status, "" if status < 400 else f"HTTP {status}", broken=status >= 400)
    return LinkResult(url, None, "重定向过多", broken=True)


def _reason(exc) -> str:
    if isinstance(exc, (urllib3.exceptions.TimeoutError, urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ConnectTimeoutError)):
        return "超时"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "无法连接"
    if isinstance(exc, urllib3.exceptions.MaxRetryError):
        return _reason(exc.reason)
    return str(exc)[:190] or exc.__class__.__name__
