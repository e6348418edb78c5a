"""Getting bytes: HTTP with timeouts, size caps, robots.txt and a per-host delay; local files with a size cap.

A crawl must never hammer an organisation's old server (often a small VM), so every
request to a host waits `delay` seconds after the previous one, and robots.txt is
honoured for the crawler's user agent.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from urllib import robotparser
from urllib.parse import unquote, urljoin, urlsplit

import urllib3

from xinwen.importer.errors import FetchFailed, TooLarge

__all__ = ["Fetched", "Fetcher", "read_local", "USER_AGENT", "DEFAULT_MAX_BYTES"]

log = logging.getLogger(__name__)
USER_AGENT = "xinwen-importer/0.1 (+news-center migration)"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str = ""
    charset: str = ""


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"文件超过 {limit // (1024 * 1024)} MB 的上限，已跳过（可用 --max-mb 调整）。")


def read_local(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a local file, refusing files over the limit before reading them."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(max_bytes)
        return path.read_bytes()
    except OSError as exc:
        raise FetchFailed(f"无法读取文件 {path}：{exc.strerror or exc}") from exc


class Fetcher:
    """HTTP GETs for the importer: one connection pool, polite, bounded in time and size."""

    def __init__(self, *, timeout: float = 15.0, delay: float = 1.0, max_bytes: int = DEFAULT_MAX_BYTES,
                 respect_robots: bool = True, local_roots: dict[str, Path] | None = None) -> None:  # fmt: skip
        self.timeout = timeout
        self.delay = delay
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self.local_roots = local_roots or {}  # URL prefix -> folder holding a mirror of it
        self._pool = urllib3.PoolManager(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            retries=urllib3.Retry(total=2, connect=2, read=1, redirect=5, backoff_factor=0.2, status_forcelist=()),
            timeout=urllib3.Timeout(connect=min(timeout, 10.0), read=timeout),
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, robotparser.RobotFileParser] = {}

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _raw_get(self, url: str) -> Fetched:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchFailed(f"只能抓取 http(s) 网址：{url}")
        self._wait(parts.netloc)
        try:
            response = self._pool.request("GET", url, preload_content=False, redirect=True)
        except urllib3.exceptions.MaxRetryError as exc:
            reason = exc.reason
            if isinstance(reason, (urllib3.exceptions.TimeoutError, urllib3.exceptions.ReadTimeoutError)):
                raise FetchFailed(f"超时（{self.timeout:g} 秒内没有响应）：{url}") from exc
            raise FetchFailed(f"无法连接：{url}（{reason}）") from exc
        except (urllib3.exceptions.TimeoutError, urllib3.exceptions.ReadTimeoutError) as exc:
            raise FetchFailed(f"超时（{self.timeout:g} 秒内没有响应）：{url}") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchFailed(f"抓取失败：{url}（{exc}）") from exc
        try:
            if response.status >= 400:
                raise FetchFailed(f"服务器返回 HTTP {response.status}：{url}")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise _too_large(self.max_bytes)
            chunks, size = [], 0
            for chunk in response.stream(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > self.max_bytes:
                    raise _too_large(self.max_bytes)
                chunks.append(chunk)
        except (urllib3.exceptions.TimeoutError, urllib3.exceptions.ReadTimeoutError) as exc:
            raise FetchFailed(f"超时（{self.timeout:g} 秒内没有读完）：{url}") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchFailed(f"读取失败：{url}（{exc}）") from exc
        finally:
            response.release_conn()
        content_type = response.headers.get("Content-Type", "")
        charset = ""
        for part in content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset":
                charset = value.strip("\"' ")
        final = response.geturl() or url
        return Fetched(urljoin(url, final), b"".join(chunks), content_type.split(";")[0].strip().lower(), charset)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets the importer fetch it (no robots.txt: yes)."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(base)
        if parser is None:
            parser = robotparser.RobotFileParser(base + "/robots.txt")
            try:
                fetched = self._raw_get(base + "/robots.txt")
                parser.parse(fetched.data.decode("utf-8", "replace").splitlines())
            except FetchFailed:
                parser.parse([])  # unreachable or missing: everything allowed, as crawlers agree
            self._robots[base] = parser
        return parser.can_fetch(USER_AGENT, url)

    def sitemaps(self, url: str) -> list[str]:
        """Sitemap URLs announced in robots.txt."""
        parts = urlsplit(url)
        self.allowed(url)
        parser = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        return list(parser.site_maps() or []) if parser else []

    def get(self, url: str) -> Fetched:
        """GET a URL, honouring robots.txt; raise FetchFailed or TooLarge."""
        if not self.allowed(url):
            raise FetchFailed(f"robots.txt 不允许抓取：{url}")
        return self._raw_get(url)

    def media(self, src: str, *, local_dir: str = "") -> bytes:
        """An image or attachment: from a local mirror or folder when there is one, else over HTTP."""
        for prefix, folder in self.local_roots.items():
            if src.startswith(prefix):
                candidate = (folder / unquote(src[len(prefix) :].split("?")[0])).resolve()
                if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
                    return read_local(candidate, max_bytes=self.max_bytes)
        if urlsplit(src).scheme in ("http", "https"):
            return self._raw_get(src).data
        if local_dir:
            folder = Path(local_dir).resolve()
            relative = unquote(urlsplit(src).path).lstrip("/") if src.startswith("/") else unquote(urlsplit(src).path)
            candidate = (folder / relative).resolve()
            if candidate.is_relative_to(folder.parent) and candidate.is_file():
                return read_local(candidate, max_bytes=self.max_bytes)
        raise FetchFailed(f"找不到文件：{src}")
