"""The shapes of the JSON API's answers (pydantic models through django-ninja); they are the OpenAPI schemas."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field

__all__ = [
    "IsoDate",
    "VariantCode",
    "CategoryRef",
    "CategoryOut",
    "AttachmentOut",
    "VideoOut",
    "PictureOut",
    "ArticleOut",
    "ArticleDetailOut",
    "ArticlePage",
    "ErrorOut",
    "SearchResultOut",
    "SearchPage",
]

VariantCode = Literal["zh-hans", "zh-hant", "zh-tw", "zh-hk"]


def _calendar_date_only(value):
    # pydantic would also take 0 or 1713916800 as a date (a Unix time): the API promises YYYY-MM-DD only.
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_calendar_date_only)]


class CategoryRef(Schema):
    slug: str = Field(description="栏目的网址标识，用作 articles 的 category 参数")
    name: str
    url: str = Field(description="栏目页的网址（所选字体版本）")


class CategoryOut(CategoryRef):
    parent: str | None = Field(description="上级栏目的 slug；顶级栏目为 null")
    description: str
    order: int
    article_count: int = Field(description="本栏目及其下级栏目中已发布的文章数")
    feeds: dict[str, str] = Field(description="本栏目的 RSS 与 Atom 订阅地址")


class AttachmentOut(Schema):
    title: str
    url: str
    size: int = Field(description="字节数")
    type: str = Field(description="文件扩展名，例如 PDF")


class ArticleOut(Schema):
    id: int
    url: str = Field(description="文章页的网址（所选字体版本），即其规范网址")
    title: str
    subtitle: str
    summary: str = Field(description="完整摘要；没有摘要时取正文开头")
    category: CategoryRef
    author: str
    source_name: str
    source_url: str
    published_at: datetime
    updated_at: datetime = Field(description="最后修改时间（定时发布的文章为其发布时间之后）")
    cover: str | None = Field(description="封面图网址")
    view_count: int
    pinned: bool = Field(description="是否置顶（列表仍按发布时间排序）")
    language: str = Field(description="BCP 47 语言标记，例如 zh-TW")


class VideoOut(Schema):
    url: str = Field(description="视频文件（MP4）的网址")
    type: str = Field(description="媒体类型，例如 video/mp4")
    size: int = Field(description="字节数")
    poster: str | None = Field(description="播放前显示的图片网址")
    captions: str | None = Field(description="WebVTT 字幕文件网址")


class PictureOut(Schema):
    url: str = Field(description="图片网址（网站生成的最大尺寸）")
    alt: str = Field(description="替代文字")
    caption: str = Field(description="图注")
    width: int | None
    height: int | None


class ArticleDetailOut(ArticleOut):
    editor: str
    kind: Literal["article", "gallery"] = Field(description="article：普通文章；gallery：图集")
    body: str = Field(description="正文 HTML（已净化，链接与图片为绝对网址）")
    video: VideoOut | None = Field(description="文章的视频；没有时为 null")
    gallery: list[PictureOut] = Field(description="图集的图片，按编辑给定的顺序；不是图集时为空")
    attachments: list[AttachmentOut]
    also_in: list[CategoryRef] = Field(description="文章还列入的其他栏目（同时发布到）；面包屑导航仍按 category")
    alternates: dict[str, str] = Field(description="同一篇文章各字体版本的网址，键为 BCP 47 语言标记")


class ArticlePage(Schema):
    count: int = Field(description="符合条件的文章总数")
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[ArticleOut]


class SearchResultOut(ArticleOut):
    snippet: str = Field(description="正文中最能体现匹配的一段（HTML：已转义的文字，匹配的词在 <mark> 中）")


class SearchPage(Schema):
    query: str = Field(description="实际搜索的文字（过长的搜索词只取开头）")
    more: bool = Field(description="匹配的文章多于参与排序的数量时为 true：排序只覆盖较新的匹配，可加词缩小范围")
    count: int = Field(description="参与排序的匹配文章数")
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[SearchResultOut]


class ErrorBody(Schema):
    code: str = Field(description="机器可读的错误代码，例如 unknown_category")
    message: str = Field(description="说明错误及改正方法")
    field: str | None = Field(None, description="出错的参数名")


class ErrorOut(Schema):
    error: ErrorBody
