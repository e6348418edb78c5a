"""Page weight on a phone: bytes a 390 px phone (3x screen) downloads for the home page and a picture-heavy article.

Usage: .venv/bin/python bench/page_weight.py

Runs `xinwen demo --no-server` in a throw-away VAR_DIR, starts `xinwen serve`, and loads each page
in Debian's chromium with a 390 x 844 viewport at device scale 3, scrolling to the end so that every
lazy picture is fetched. "after" is the page as served. "before" is the same page with each
generated `<picture>` turned back into the `<img src="original">` that the site printed before
picture sizes existed (the stored body, as it was rendered), so both columns use the same content.
Weights are encoded body bytes (what crossed the wire, compressed) of the document and every resource.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from harness import free_port, goals_report, progress, site_env, wait_until_serving, write_results, xinwen  # noqa: E402

PICTURE_TITLE = "新厂区建设进展图片报道"
_PICTURE = re.compile(r"<picture><source [^>]*><img ([^>]*)></picture>")


def _as_before(match: re.Match) -> str:
    """The <img> the page printed before sizes existed: the original file, the editor's alt."""
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
    original = re.sub(r"\.w\d+(\.\w+)$", r"\1", attrs["src"])
    lazy = ' loading="lazy" width="240" height="150"' if attrs.get("sizes") == "15rem" else ""
    return f'<img src="{original}" alt="{attrs.get("alt", "")}"{lazy}>'


def measure(browser, url: str, *, before: bool) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True)
    page = context.new_page()
    if before:
        def route(route):
            response = route.fetch()
            route.fulfill(response=response, body=_PICTURE.sub(_as_before, response.text()))

        page.route(url, route)
    page.goto(url)
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 844, 400):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(
        "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
        ".map(e => [e.name, e.encodedBodySize])"
    )
    context.close()
    images = sum(size for name, size in entries if "/media/" in name)
    return {"total_bytes": sum(size for _, size in entries), "image_bytes": images, "requests": len(entries)}


def main() -> None:
    from playwright.sync_api import sync_playwright

    var_dir = Path(tempfile.mkdtemp(prefix="xinwen-weight-"))
    port = free_port()
    env = site_env(var_dir, ALLOWED_HOSTS="127.0.0.1")
    progress("demo content")
    xinwen(env, var_dir, "migrate", "--no-input", "--verbosity", "0")
    xinwen(env, var_dir, "demo", "--no-server")
    log = var_dir / "server.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "xinwen", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env, cwd=var_dir, stdout=log_file, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, base + "/", log)
        import urllib.request

        article = None
        for number in range(1, 6):
            page = urllib.request.urlopen(f"{base}/category/company/?page={number}").read().decode()
            found = re.search(rf'<a href="(/article/\d+/)">{PICTURE_TITLE}</a>', page)
            if found:
                article = found.group(1)
                break
        assert article, "the demo's picture report is missing"
        results = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            )
            for name, path in (("home", "/"), ("picture article", article)):
                for label in ("before", "after"):
                    progress(f"{name}: {label}")
                    results[f"{name} {label}"] = measure(browser, base + path, before=label == "before")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    for key, value in results.items():
        print(f"{key:26} {value['total_bytes'] / 1024:9.1f} KiB total, {value['image_bytes'] / 1024:9.1f} KiB pictures, {value['requests']} requests")
    after = results["picture article after"]["total_bytes"]
    goals = goals_report({"picture article under 1 MB on a phone": (after < 1_000_000, f"{after} bytes")})
    write_results("page_weight", {"results": results, "goals": goals})


if __name__ == "__main__":
    main()
