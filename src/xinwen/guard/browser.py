"""The browser fetch profile: each page opened in real Chromium, read after its scripts ran.

A hijack injected by script (a rewritten document.title, links added to the DOM, a
redirect by `location`) is invisible to a plain HTTP fetch. Chromium (Playwright driving
GUARD_CHROMIUM, Debian's /usr/bin/chromium by default) loads the page as a desktop
visitor, waits for the load event and a short settle time for timers, and hands the
serialised DOM to the same comparison as every other profile. A page that ends up at
another URL is reported as a redirect to it. The view-count beacon is blocked (the guard
is no reader), and so are images, fonts and style sheets, which change no title or link. About a tenth of a second per page or more (see bench/guard.py), so the
schedule leaves it out and `xinwen guard --no-browser` skips it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from xinwen.guard.inspect import Fetched

__all__ = ["BROWSER", "BrowserFetcher"]

BROWSER = "browser"
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


def _abort(route):
    route.abort()


class BrowserFetcher:
    """A Chromium kept open for one pass; call it like any fetcher, close it when the pass ends.

    Playwright's sync API runs an event loop in the thread that drives it, and Django
    refuses database calls in such a thread: the browser gets a thread of its own.
    """

    def __init__(self, *, timeout: float = 10.0, settle_ms: int = 250):
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xinwen-guard-browser")
        try:
            self._thread.submit(self._start, timeout, settle_ms).result()
        except Exception:
            self._thread.shutdown(wait=True)
            raise

    def _start(self, timeout: float, settle_ms: int) -> None:
        from playwright.sync_api import sync_playwright

        from xinwen.guard.patrol import PROFILES

        self.timeout_ms, self.settle_ms = int(timeout * 1000), settle_ms
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=getattr(settings, "GUARD_CHROMIUM", "/usr/bin/chromium"), args=_ARGS)
            self._context = self._browser.new_context(user_agent=PROFILES["desktop"][0], service_workers="block")
            # Matched by the driver, so only these requests cross into Python.
            self._context.route("**/stats/view/**", _abort)
            self._context.route("**/*.{png,jpg,jpeg,gif,webp,svg,ico,woff,woff2,ttf,css,mp4,mp3}", _abort)
        except Exception:
            self._playwright.stop()
            raise

    def __call__(self, url: str, profile: str = BROWSER) -> Fetched:
        return self._thread.submit(self._fetch, url, profile).result()

    def _fetch(self, url: str, profile: str) -> Fetched:
        page = self._context.new_page()
        try:
            response = page.goto(url, wait_until="load", timeout=self.timeout_ms)
            page.wait_for_timeout(self.settle_ms)
            final = page.url.split("#", 1)[0]
            status = response.status if response is not None else 0
            if final != url.split("#", 1)[0]:
                return Fetched(url, profile, 302, final, "")
            return Fetched(url, profile, status, "", page.content())
        finally:
            page.close()

    def close(self) -> None:
        try:
            self._thread.submit(self._stop).result()
        finally:
            self._thread.shutdown(wait=True)

    def _stop(self) -> None:
        try:
            self._context.close()
            self._browser.close()
        finally:
            self._playwright.stop()
