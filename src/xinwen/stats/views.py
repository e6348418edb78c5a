"""The beacon that counts a view, and its <noscript> image fallback.

These views only check the request's shape and call services.view_record. A browser's
beacon is a small same-origin POST (fetch with keepalive) carrying `article=<id>`; what
does not look like one is answered but not counted, and what is malformed gets a 4xx.
The answer carries the live count, so a page served from a cache shows the right number.
"""

from __future__ import annotations

import base64
import logging
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from xinwen.stats import conf, services
from xinwen.stats.errors import ArticleNotFound, RateLimited
from xinwen.stats.identity import client_address

log = logging.getLogger(__name__)

MAX_BODY = 256  # bytes; a real beacon is about 20
MAX_ID = 2**63 - 1  # the largest primary key a database accepts (bigint)
BEACON_TYPES = {"application/x-www-form-urlencoded", "text/plain"}
BEACON_FIELDS = {"article", "webdriver"}
FETCH_MODES = {"cors", "no-cors", "same-origin"}
# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _json(status: int, payload: dict, **headers) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"  # also on the fast path, which has no SecurityMiddleware
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(status: int, message: str, **headers) -> JsonResponse:
    return _json(status, {"error": message}, **headers)


def _cross_site(request: HttpRequest) -> bool:
    """A beacon or counting image comes from our own pages: another site's page may not count views here.

    Sec-Fetch-Site, then Origin (beacons), then Referer (images send no Origin) must name this
    site. A browser that sends none of them (privacy settings) is believed.
    """
    meta = request.META
    host = request.get_host()  # also refuses hosts not in ALLOWED_HOSTS (400), as on every page
    if meta.get("HTTP_SEC_FETCH_SITE", "same-origin") not in {"same-origin", "same-site", "none"}:
        return True
    source = meta.get("HTTP_ORIGIN")
    if source is None:
        source = meta.get("HTTP_REFERER") or None
    if source is None:
        return False
    allowed = {host}
    for trusted in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]:
        if trusted:
            allowed.add(urlsplit(trusted).netloc)
    try:
        netloc = urlsplit(source).netloc
    except ValueError:  # an unparseable header ("http://[")
        return True
    return netloc not in allowed


def _looks_automated(request: HttpRequest) -> bool:
    """Headers every browser sends with a fetch; scripts that only fake a user agent lack them."""
    meta = request.META
    return (
        not meta.get("HTTP_ACCEPT_LANGUAGE")
        or meta.get("HTTP_SEC_FETCH_MODE", "cors") not in FETCH_MODES
        or meta.get("HTTP_SEC_FETCH_DEST", "empty") != "empty"
    )


def _parse(body: bytes) -> tuple[int, bool] | None:
    """(article id, sent by an automated browser) from `article=<id>[&webdriver=1]`, or None if malformed."""
    try:
        fields = parse_qsl(body.decode("ascii"), strict_parsing=True, max_num_fields=len(BEACON_FIELDS))
    except ValueError:  # also UnicodeDecodeError
        return None
    values = dict(fields)
    if len(values) != len(fields) or not set(values) <= BEACON_FIELDS:
        return None
    raw = values.get("article", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:  # isdigit() alone accepts "²" and "１"
        return None
    article_id = int(raw)
    if not 0 < article_id <= MAX_ID:
        return None
    return article_id, bool(values.get("webdriver"))


def _count(request: HttpRequest, article_id: int, *, automated: bool):
    """Call the service; map its refusals to answers. Returns an outcome or a response."""
    try:
        return services.view_record(
            article_id=article_id,
            address=client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), conf.proxy_count()
            ),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            automated=automated,
        )
    except ArticleNotFound:
        return _error(404, "文章不存在或尚未发布。")
    except RateLimited as exc:
        return _error(429, "请求过于频繁，请稍后再试。", Retry_After=str(exc.retry_after))
    except DatabaseError:
        # An overloaded or unreachable database is not the reader's fault, and not a bug.
        log.exception("view of article %s not recorded", article_id)
        return _error(503, "统计服务暂时不可用。", Retry_After="5")


@csrf_exempt  # no cookie, no session, nothing but a count: the shape checks below stand in for CSRF
def beacon(request: HttpRequest) -> HttpResponse:
    """POST article=<id> → {"views": n, "counted": bool}."""
    if request.method != "POST":
        return _error(405, "请使用 POST 发送统计信标。", Allow="POST")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, "Content-Length 无效。")
    if length > MAX_BODY:
        return _error(413, f"统计信标不能超过 {MAX_BODY} 字节。")
    if request.content_type not in BEACON_TYPES:
        return _error(415, "统计信标的内容类型应为 application/x-www-form-urlencoded。")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return _error(413, f"统计信标不能超过 {MAX_BODY} 字节。")
    if _cross_site(request):
        return _error(403, "只统计本站页面发出的信标。")
    parsed = _parse(body)
    if parsed is None:
        return _error(400, "统计信标格式错误：应为 article=<文章编号>。")
    article_id, webdriver = parsed
    outcome = _count(request, article_id, automated=webdriver or _looks_automated(request))
    if isinstance(outcome, HttpResponse):
        return outcome
    return _json(200, {"views": outcome.views, "counted": outcome.counted})


def pixel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /stats/view/<id>.gif: the count for readers without JavaScript (a <noscript> image)."""
    if request.method not in ("GET", "HEAD"):
        return _error(405, "统计图片只支持 GET。", Allow="GET, HEAD")
    if not 0 < pk <= MAX_ID:
        return _error(404, "文章不存在或尚未发布。")
    if _cross_site(request):  # another site embedding the image would inflate the count
        return _error(403, "只统计本站页面发出的信标。")
    meta = request.META
    automated = (
        request.method == "HEAD"
        or "image/" not in meta.get("HTTP_ACCEPT", "")
        or meta.get("HTTP_SEC_FETCH_DEST", "image") != "image"
        or not meta.get("HTTP_ACCEPT_LANGUAGE")
    )
    outcome = _count(request, pk, automated=automated)
    if isinstance(outcome, HttpResponse):
        return outcome
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["X-Content-Type-Options"] = "nosniff"
    return response
