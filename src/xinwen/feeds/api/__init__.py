"""The read-only JSON API (django-ninja) with its OpenAPI description at /api/v1/openapi.json.

Every error is JSON: {"error": {"code": "...", "message": "...", "field": "..."}} with a
4xx status. Responses carry an ETag (If-None-Match → 304) and, for the origins in
API_CORS_ORIGINS, CORS headers: see cors.py.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from xinwen.feeds.api.views import MAX_PAGE_SIZE, router
from xinwen.feeds.errors import ApiError

__all__ = ["api"]

DESCRIPTION = f"""\
新闻中心的只读开放接口：已发布的文章与栏目，可选四种文字版本（variant 参数）。

- 分页：`page` 从 1 开始，`page_size` 为 1 到 {MAX_PAGE_SIZE}；回应中的 `next` / `previous` 是相邻页的完整网址。
- 缓存：每个回应带 `ETag`，请求时带上 `If-None-Match` 即可在内容未变时得到 304。
- 错误：一律为 JSON `{{"error": {{"code", "message", "field"}}}}`，状态码 4xx。
- 搜索：`search` 与网站搜索结果相同（简繁体互通），按客户端限制频率，超出时回应 429。
"""


class OfflineSwagger(Swagger):
    """Swagger UI from django-ninja's bundled files only, never the CDN copy it falls back to.

    The bundled files are served when "ninja" is in INSTALLED_APPS; otherwise the page
    is a 404 that points to the OpenAPI document (many of these sites run offline).
    """

    def render_page(self, request, api, **kwargs):
        if "ninja" not in settings.INSTALLED_APPS:
            message = "接口文档页未启用（需要把 ninja 加入 INSTALLED_APPS）；OpenAPI 描述见 openapi.json。"
            error = {"error": {"code": "not_found", "message": message, "field": None}}
            return JsonResponse(error, status=404, json_dumps_params={"ensure_ascii": False})
        return super().render_page(request, api, **kwargs)


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes: half the size, and readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="xinwen 新闻中心开放接口",
    version="1",
    description=DESCRIPTION,
    urls_namespace="feeds:api",
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=ReadableJSON(),
)
api.add_router("", router)

# What each parameter must look like, said the way a person can fix it.
PARAMETER_HELP = {
    "category": "栏目参数 category 应为栏目的网址标识（字母、数字、连字符），见 categories 接口。",
    "date_from": "日期参数 date_from 应为 YYYY-MM-DD 格式的有效日期，例如 2024-04-24。",
    "date_to": "日期参数 date_to 应为 YYYY-MM-DD 格式的有效日期，例如 2024-04-24。",
    "page": "页码参数 page 应为大于等于 1 的整数。",
    "page_size": f"每页条数 page_size 应为 1 到 {MAX_PAGE_SIZE} 之间的整数。",
    "variant": "文字版本参数 variant 只能是 zh-hans、zh-hant、zh-tw 或 zh-hk。",
    "article_id": "文章编号 article_id 应为正整数。",
    "q": "搜索词 q 不能为空，最长 1000 个字符。",
}


def error_response(request, status: int, code: str, message: str, field: str | None = None):
    return api.create_response(request, {"error": {"code": code, "message": message, "field": field}}, status=status)


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return error_response(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("query", "path")]
    field = location[0] if location else None
    message = PARAMETER_HELP.get(field or "", f"参数无效：{first.get('msg', '')}")
    code = (
        "page_size_too_large"
        if field == "page_size" and first.get("type") == "less_than_equal"
        else "invalid_parameter"
    )
    return error_response(request, 400, code, message, field)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return error_response(request, 404, "not_found", str(exc) or "没有这个接口或资源。")
