"""The hijack guard's pass over a running site: fetch every public page as several visitors, compare with what was published.

Targets come from the database, not from the site's own sitemap: a hijacked site may
serve a sitemap that lies. Each target (home, every section, every published article,
in every script) is fetched without following redirects as each profile (a desktop
browser, a phone, Baiduspider, Googlebot, Sogou and 360Spider, and browsers arriving
from a Baidu, Sogou or 360 search);
`inspect.cloaking` compares the profiles, `inspect.page_problems` compares each fetch
with the published article. Same-site links the pages carry to paths xinwen would never
answer with a page (dropped spam pages) are fetched too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from xinwen.guard.checks import current_matcher
from xinwen.guard.inspect import Fetched, Problem, Shape, cloaking, page_problems, page_shape
from xinwen.guard.statics import BytesFetcher, published_problems, static_problems
from xinwen.hanzi.render import variant_text
from xinwen.hanzi.variants import VARIANTS
from xinwen.news.models import Article, Category, SiteSettings

__all__ = ["PROFILES", "BASELINE", "PatrolError", "Target", "Report", "patrol_targets", "patrol", "http_fetcher", "http_bytes"]

_DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
_PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
# profile → (User-Agent, Referer)
PROFILES: dict[str, tuple[str, str]] = {
    "desktop": (_DESKTOP, ""),
    "phone": (_PHONE, ""),
    "baiduspider": ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", ""),
    "googlebot": ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ""),
    "sogou": ("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)", ""),
    "360spider": ("Mozilla/5.0 (compatible; 360Spider; HaosouSpider; +http://www.so.com/help/help_3_2.html)", ""),
    "from-baidu": (_DESKTOP, "https://www.baidu.com/link?url=xinwen-guard"),
    "phone-from-baidu": (_PHONE, "https://m.baidu.com/from=844b/s?word=xinwen"),
    "from-sogou": (_DESKTOP, "https://www.sogou.com/link?url=xinwen-guard"),
    "from-360": (_DESKTOP, "https://www.so.com/link?m=xinwen-guard"),
}
BASELINE = "desktop"
MAX_BYTES = 5 * 1024 * 1024
_SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/api/", "/stats/")


class PatrolError(Exception):
    """The check itself could not run (the site does not answer at all, or a bad argument)."""


@dataclass(frozen=True)
class Target:
    url: str
    expected_title: str | None


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    requests: int = 0
    seconds: float = 0.0


Fetcher = Callable[[str, str], Fetched]


def http_fetcher(*, timeout: float = 10.0) -> Fetcher:
    """A fetch per (url, profile) over one connection pool; redirects are reported, never followed."""
    import urllib3  # the patrol's HTTP client: the admin imports this module in every worker

    pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=timeout))

    def fetch(url: str, profile: str) -> Fetched:
        agent, referer = PROFILES[profile]
        headers = {"User-Agent": agent, "Accept": "text/html,*/*", "Accept-Encoding": "identity"}
        if referer:
            headers["Referer"] = referer
        response = pool.request("GET", url, headers=headers, redirect=False, preload_content=False)
        try:
            data = response.read(MAX_BYTES)
        finally:
            response.release_conn()
        charset = "utf-8"
        kind = response.headers.get("Content-Type", "")
        if "charset=" in kind:
            charset = kind.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
        try:
            text = data.decode(charset, "replace")
        except LookupError:
            text = data.decode("utf-8", "replace")
        return Fetched(url, profile, response.status, response.headers.get("Location", ""), text)

    return fetch


def http_bytes(*, timeout: float = 10.0) -> BytesFetcher:
    """The bytes served at a URL as a desktop browser gets them, uncompressed, for comparing static files."""
    import urllib3  # the patrol's HTTP client: the admin imports this module in every worker

    pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=timeout))
    headers = {"User-Agent": PROFILES[BASELINE][0], "Accept": "*/*", "Accept-Encoding": "identity"}

    def fetch(url: str) -> tuple[int, bytes]:
        response = pool.request("GET", url, headers=headers, redirect=False, preload_content=False)
        try:
            return response.status, response.read(MAX_BYTES)
        finally:
            response.release_conn()

    return fetch


def patrol_targets(base_url: str) -> list[Target]:
    """Home, every section and every published article, in every script, with the title each should have."""
    base = base_url.rstrip("/")
    targets = []
    articles = list(Article.objects.published().only("pk", "title", "source_script").order_by("pk"))
    categories = list(Category.objects.order_by("pk"))
    for variant in VARIANTS.values():
        prefix = f"/{variant.prefix}" if variant.prefix else ""
        targets.append(Target(f"{base}{prefix}{reverse('news:home')}", None))
        for category in categories:
            targets.append(Target(f"{base}{prefix}{reverse('news:category', args=[category.slug])}", variant_text(category.name, variant.code)))
        for article in articles:
            title = variant_text(article.title, variant.code, source=article.source_script)
            targets.append(Target(f"{base}{prefix}{reverse('news:article', args=[article.pk])}", title))
    return targets


def allowed_link_hosts() -> frozenset[str]:
    """Hosts the published content itself links to: article bodies, sources and the footer of 站点设置."""
    from xinwen.guard.inspect import page_shape as shape_of

    hosts = set()
    for body, source in Article.objects.published().values_list("body", "source_url"):
        for link in shape_of(f"<html><body>{body}</body></html>", "http://x/").links:
            hosts.add((urlsplit(link).hostname or "").lower().removeprefix("www."))
        if source:
            hosts.add((urlsplit(source).hostname or "").lower().removeprefix("www."))
    # The footer the site itself prints: 友情链接 and the ICP / public-security record links (站点设置).
    footer = SiteSettings.load()
    for link in footer.links:
        hosts.add((urlsplit(link.url).hostname or "").lower().removeprefix("www."))
    if footer.icp_number:
        hosts.add("beian.miit.gov.cn")
    if footer.police_number:
        hosts.add("beian.mps.gov.cn")
    site = getattr(settings, "SITE_URL", "")
    if site:
        hosts.add((urlsplit(site).hostname or "").lower().removeprefix("www."))
    hosts.discard("")
    hosts.discard("x")
    return frozenset(hosts)


def _ours(path: str) -> bool:
    """Whether xinwen itself would answer `path` with a page (not a legacy redirect, not a 404)."""
    parts = path.lstrip("/").split("/", 1)
    if parts[0] in {v.prefix for v in VARIANTS.values() if v.prefix}:
        path = "/" + (parts[1] if len(parts) > 1 else "")
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return not (match.namespace == "importer")


def patrol(
    *,
    base_url: str,
    profiles: Iterable[str] = tuple(PROFILES),
    fetch: Fetcher | None = None,
    fetch_bytes: BytesFetcher | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Check every public page of the site at `base_url`; raises PatrolError when the site cannot be checked.

    Besides the pages: every static file they load (guard/statics.py), and the published
    tree against its signed manifest when PUBLISH_DIR is set. `progress(done, total)` is
    called after each page.
    """
    import urllib3

    profiles = list(dict.fromkeys([BASELINE, *profiles]))
    unknown = [p for p in profiles if p not in PROFILES and p != "browser"]
    if unknown:
        raise PatrolError(f"未知的访问方式：{', '.join(unknown)}；可用：{', '.join(PROFILES)} browser")
    fetch = fetch or http_fetcher()
    site_host = (urlsplit(base_url).hostname or "").lower().removeprefix("www.")
    matcher = current_matcher()
    allowed = allowed_link_hosts()
    report = Report()
    started = time.perf_counter()
    known_paths: set[str] = set()
    targets = patrol_targets(base_url)
    for target in targets:
        known_paths.add(urlsplit(target.url).path)
    linked: set[str] = set()
    assets: set[str] = set()

    def get(url: str, profile: str) -> Fetched | None:
        report.requests += 1
        try:
            return fetch(url, profile)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            report.problems.append(Problem(url, profile, "unreachable", str(exc)[:120]))
            return None

    first = True
    for done, target in enumerate(targets, 1):
        if progress is not None:
            progress(done - 1, len(targets))
        fetched = {p: page for p in profiles if (page := get(target.url, p)) is not None}
        if first and BASELINE not in fetched:
            raise PatrolError(f"无法访问 {target.url}，检查没有进行。")
        first = False
        if BASELINE not in fetched:
            continue
        report.pages += 1
        shapes: dict[str, Shape] = {p: page_shape(f.html, target.url) for p, f in fetched.items() if f.status == 200}
        report.problems += cloaking(target.url, fetched, shapes, baseline=BASELINE)
        base = fetched[BASELINE]
        if base.status != 200:
            report.problems.append(Problem(target.url, BASELINE, "unexpected-redirect", f"{base.status} {base.location}".strip()))
        seen: dict[tuple[str, str], list[str]] = {}
        for profile, page in fetched.items():
            if profile not in shapes:
                continue
            for problem in page_problems(
                page, shapes[profile], site_host=site_host, expected_title=target.expected_title, allowed_hosts=allowed, matcher=matcher
            ):
                seen.setdefault((problem.kind, problem.evidence), []).append(profile)
            linked.update(
                link for link in shapes[profile].links if (urlsplit(link).hostname or "").lower().removeprefix("www.") == site_host
            )
            assets.update(shapes[profile].assets, (s for s in shapes[profile].scripts if not s.startswith("inline:")))
        for (kind, evidence), who in seen.items():
            label = "全部" if len(who) == len(fetched) and len(fetched) > 1 else ",".join(who)
            report.problems.append(Problem(target.url, label, kind, evidence))
    for link in sorted(linked):
        path = urlsplit(link).path or "/"
        if path in known_paths or path.startswith(_SKIP_PREFIXES) or _ours(path):
            continue
        known_paths.add(path)
        for profile in profiles:
            page = get(link.split("#", 1)[0], profile)
            if page is not None and page.status == 200:
                report.problems.append(Problem(link, profile, "unpublished-page", f"「{page_shape(page.html, link).title[:80]}」"))
                break
    fetch_bytes = fetch_bytes or http_bytes()
    try:
        report.problems += static_problems(assets, site_host=site_host, fetch_bytes=fetch_bytes)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        report.problems.append(Problem(base_url, BASELINE, "unreachable", f"静态文件：{str(exc)[:120]}"))
    report.problems += published_problems(base_url=base_url)
    if progress is not None:
        progress(len(targets), len(targets))
    report.seconds = time.perf_counter() - started
    return report
