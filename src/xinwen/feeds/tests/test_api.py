"""The read-only JSON API: public content only, every script, pagination, ETags, CORS and JSON errors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from xinwen.conftest import make_article
from xinwen.feeds.tests.conftest import HIDDEN, ORIGIN, public
from xinwen.hanzi.models import GlossaryTerm
from xinwen.hanzi.tests.conftest import HOSTILE_FORM, event_handlers

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(client, url: str, status: int = 200, **headers):
    response = client.get(API + url, headers=headers)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response


def test_articles_are_the_public_ones_newest_first(client, newsroom):
    page = get(client, "/articles").json()

    assert [item["id"] for item in page["results"]] == [article.pk for article in public(newsroom)]
    assert (page["count"], page["page"], page["pages"], page["page_size"]) == (3, 1, 1, 20)
    assert page["next"] is None and page["previous"] is None


def test_an_article_in_the_list(client, newsroom):
    story = newsroom["story"]
    story.refresh_from_db()

    item = get(client, "/articles").json()["results"][0]

    assert item == {
        "id": story.pk,
        "url": f"{ORIGIN}/article/{story.pk}/",
        "title": "软件与鼠标的信息",
        "subtitle": "",
        "summary": story.summary,
        "category": {"slug": "company", "name": "公司新闻", "url": f"{ORIGIN}/category/company/"},
        "author": "张三、李四",
        "source_name": "国资委网站",
        "source_url": "",
        "published_at": timezone.localtime(story.publish_at).replace(microsecond=0).isoformat(),
        "updated_at": timezone.localtime(story.updated_at).replace(microsecond=0).isoformat(),
        "cover": ORIGIN + story.cover.url,
        "view_count": 0,
        "pinned": False,
        "language": "zh-Hans",
    }


def test_the_article_detail_has_the_whole_article(client, newsroom):
    story = newsroom["story"]

    item = get(client, f"/articles/{story.pk}?variant=zh-tw").json()

    assert item["title"] == "軟體與滑鼠的資訊"
    assert item["url"] == f"{ORIGIN}/zh-tw/article/{story.pk}/"
    assert item["category"]["name"] == "公司新聞"
    assert item["language"] == "zh-TW"
    assert "會議要點" in item["body"]
    assert f'src="{ORIGIN}/media/images/chart.png"' in item["body"]
    (attachment,) = item["attachments"]
    assert attachment["title"] == "會議紀要"
    assert attachment["url"].startswith(ORIGIN + "/media/attachments/")
    assert (attachment["size"], attachment["type"]) == (2048, "PDF")
    assert item["alternates"] == {
        "zh-Hans": f"{ORIGIN}/article/{story.pk}/",
        "zh-Hant": f"{ORIGIN}/zh-hant/article/{story.pk}/",
        "zh-TW": f"{ORIGIN}/zh-tw/article/{story.pk}/",
        "zh-HK": f"{ORIGIN}/zh-hk/article/{story.pk}/",
    }


@pytest.mark.parametrize(
    "variant, title, lang",
    [
        ("zh-hans", "软件与鼠标的信息", "zh-Hans"),
        ("zh-hant", "軟件與鼠標的信息", "zh-Hant"),
        ("zh-tw", "軟體與滑鼠的資訊", "zh-TW"),
        ("zh-hk", "軟件與鼠標的信息", "zh-HK"),
    ],
)
def test_the_variant_parameter_picks_the_script(client, newsroom, variant, title, lang):
    response = get(client, f"/articles?variant={variant}")

    assert response.json()["results"][0]["title"] == title
    assert response["Content-Language"] == lang
    assert title.encode() in response.content  # UTF-8 characters, not \\u escapes


def test_filter_by_category_includes_its_subcategories(client, newsroom):
    ids = [item["id"] for item in get(client, "/articles?category=company").json()["results"]]

    assert ids == [newsroom["story"].pk, newsroom["event"].pk]
    assert get(client, "/articles?category=notices").json() == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "page_size": 20,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_filter_by_publish_date_in_the_sites_time_zone(client, tree, site):
    def at(text):
        return timezone.make_aware(datetime.fromisoformat(text))  # Asia/Shanghai

    early = make_article(category=tree["company"], publish_at=at("2024-04-24 00:10"))
    late = make_article(category=tree["company"], publish_at=at("2024-04-24 23:50"))
    make_article(category=tree["company"], publish_at=at("2024-04-23 23:59"))
    make_article(category=tree["company"], publish_at=at("2024-04-25 00:00"))

    def ids(query):
        return [item["id"] for item in get(client, "/articles?" + query).json()["results"]]

    assert ids("date_from=2024-04-24&date_to=2024-04-24") == [late.pk, early.pk]
    assert len(ids("date_from=2024-04-24")) == 3
    assert len(ids("date_to=2024-04-24")) == 3
    assert ids("date_from=0001-01-01&date_to=9999-12-31") == ids("")


def test_pages_link_to_each_other(client, tree, site):
    for day in range(5):
        make_article(category=tree["company"], days_ago=day + 1)

    first = get(client, "/articles?page_size=2&variant=zh-tw").json()
    second = get(client, first["next"].removeprefix(ORIGIN + API)).json()
    last = get(client, second["next"].removeprefix(ORIGIN + API)).json()

    assert (first["count"], first["pages"]) == (5, 3)
    assert first["next"] == f"{ORIGIN}{API}/articles?page_size=2&variant=zh-tw&page=2"
    assert second["previous"] == f"{ORIGIN}{API}/articles?page_size=2&variant=zh-tw&page=1"
    assert len(last["results"]) == 1 and last["next"] is None
    assert len({item["id"] for page in (first, second, last) for item in page["results"]}) == 5


def test_categories_come_as_a_tree_with_counts_and_feeds(client, newsroom):
    categories = get(client, "/categories?variant=zh-hant").json()

    assert [(c["slug"], c["parent"], c["article_count"]) for c in categories] == [
        ("news", None, 3),
        ("events", "company", 1),
        ("company", "news", 2),
        ("industry", "news", 1),
        ("notices", "news", 0),
    ]
    company = categories[2]
    assert company["name"] == "公司新聞"
    assert company["url"] == f"{ORIGIN}/zh-hant/category/company/"
    assert company["feeds"] == {
        "rss": f"{ORIGIN}/zh-hant/feeds/company/rss.xml",
        "atom": f"{ORIGIN}/zh-hant/feeds/company/atom.xml",
    }


@pytest.mark.parametrize("name", HIDDEN)
def test_articles_readers_may_not_see_do_not_exist(client, newsroom, name):
    article = newsroom[name]

    error = get(client, f"/articles/{article.pk}", status=404).json()["error"]

    assert error["code"] == "unknown_article"
    assert article.pk not in [item["id"] for item in get(client, "/articles?page_size=100").json()["results"]]
    assert all(c["article_count"] <= 3 for c in get(client, "/categories").json())


# --- bad input: always a 4xx with a JSON error that says what to fix ------------------------------

BAD_INPUT = [
    ("/articles?category=no-such-section", 404, "unknown_category", "category"),
    ("/articles?category=公司新闻", 400, "invalid_parameter", "category"),
    ("/articles?category=" + "x" * 61, 400, "invalid_parameter", "category"),
    ("/articles?date_from=2024-13-01", 400, "invalid_parameter", "date_from"),
    ("/articles?date_from=2024-02-30", 400, "invalid_parameter", "date_from"),
    ("/articles?date_to=yesterday", 400, "invalid_parameter", "date_to"),
    ("/articles?date_to=24-4-2024", 400, "invalid_parameter", "date_to"),
    ("/articles?date_from=2024-05-02&date_to=2024-05-01", 400, "invalid_date_range", "date_from"),
    ("/articles?page=0", 400, "invalid_parameter", "page"),
    ("/articles?page=-1", 400, "invalid_parameter", "page"),
    ("/articles?page=two", 400, "invalid_parameter", "page"),
    ("/articles?page=99", 404, "page_out_of_range", "page"),
    ("/articles?page=99999999999999999999999", 404, "page_out_of_range", "page"),
    ("/articles?page_size=101", 400, "page_size_too_large", "page_size"),
    ("/articles?page_size=100000", 400, "page_size_too_large", "page_size"),
    ("/articles?page_size=0", 400, "invalid_parameter", "page_size"),
    ("/articles?page_size=1.5", 400, "invalid_parameter", "page_size"),
    ("/articles?variant=zh-cn", 400, "invalid_parameter", "variant"),
    ("/articles/0", 400, "invalid_parameter", "article_id"),
    ("/articles/99999999999999999999", 400, "invalid_parameter", "article_id"),
    ("/articles/123456789", 404, "unknown_article", "article_id"),
    ("/articles/abc", 400, "invalid_parameter", "article_id"),
    ("/categories?variant=traditional", 400, "invalid_parameter", "variant"),
    ("/no-such-endpoint", 404, "not_found", None),
]


@pytest.mark.parametrize("url, status, code, field", BAD_INPUT)
def test_bad_input_gets_a_json_error(client, newsroom, url, status, code, field):
    body = get(client, url, status=status).json()

    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["field"] == field
    message = body["error"]["message"]
    assert message and "Traceback" not in message
    if field:
        assert field in message or code in ("unknown_article", "page_out_of_range")


def test_the_api_is_read_only(client, newsroom):
    response = client.post(API + "/articles", data={})

    assert response.status_code == 405
    assert "GET" in response["Allow"]


# --- HTTP: ETag, HEAD, CORS ---------------------------------------------------------------


def test_an_unchanged_answer_is_a_304(client, newsroom):
    first = get(client, "/articles?variant=zh-tw")
    etag = first["ETag"]

    again = client.get(API + "/articles?variant=zh-tw", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Another script is another representation; an edit is a new one.
    assert get(client, "/articles?variant=zh-hk")["ETag"] != etag
    story = newsroom["story"]
    story.title = "新标题"
    story.save()
    assert client.get(API + "/articles?variant=zh-tw", headers={"If-None-Match": etag}).status_code == 200


def test_head_answers_like_get_without_a_body(client, newsroom):
    response = client.head(API + "/articles")

    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == get(client, "/articles")["ETag"]


def test_cors_is_off_unless_configured(client, newsroom):
    response = get(client, "/articles", HTTP_ORIGIN="https://portal.example.org", Origin="https://portal.example.org")

    assert "Access-Control-Allow-Origin" not in response


def test_configured_origins_may_read_the_api(client, newsroom, settings):
    settings.API_CORS_ORIGINS = ["https://portal.example.org"]

    allowed = get(client, "/articles", Origin="https://portal.example.org")
    other = get(client, "/articles", Origin="https://evil.example.com")

    assert allowed["Access-Control-Allow-Origin"] == "https://portal.example.org"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Origin" in allowed["Vary"]
    assert "Access-Control-Allow-Origin" not in other
    assert "Origin" in other["Vary"]


def test_a_preflight_for_if_none_match_is_answered(client, newsroom, settings):
    settings.API_CORS_ORIGINS = ["https://portal.example.org"]

    response = client.options(
        API + "/articles",
        headers={
            "Origin": "https://portal.example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://portal.example.org"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_every_origin_when_configured_so(client, newsroom, settings):
    settings.API_CORS_ORIGINS = ["*"]

    response = get(client, "/categories", Origin="https://anyone.example.net")

    assert response["Access-Control-Allow-Origin"] == "*"


# --- the description --------------------------------------------------------------------


def test_the_openapi_description_lists_the_operations(client, db):
    schema = get(client, "/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        f"{API}/articles", f"{API}/articles/{{article_id}}", f"{API}/categories", f"{API}/search",
    }  # fmt: skip
    parameters = {p["name"]: p for p in schema["paths"][f"{API}/articles"]["get"]["parameters"]}
    assert set(parameters) == {"category", "date_from", "date_to", "page", "page_size", "variant"}
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert parameters["variant"]["schema"]["enum"] == ["zh-hans", "zh-hant", "zh-tw", "zh-hk"]


def test_the_docs_page_uses_the_bundled_swagger_ui_never_a_cdn(client, db):
    response = client.get(API + "/docs")

    assert response.status_code == 200
    bundle = re.search(rb'src="(/static/ninja/swagger-ui-bundle\.[0-9a-f]{12}\.js)"', response.content)
    assert bundle, "the bundled Swagger UI, under its fingerprinted name"
    assert b"cdn" not in response.content.lower()
    assert client.get(bundle.group(1).decode()).status_code == 200


def test_scheduled_articles_enter_the_api_when_their_time_comes(client, newsroom):
    scheduled = newsroom["scheduled"]
    get(client, f"/articles/{scheduled.pk}", status=404)

    scheduled.publish_at = timezone.now() - timedelta(seconds=1)
    scheduled.save()

    assert get(client, f"/articles/{scheduled.pk}").json()["id"] == scheduled.pk


def test_a_hostile_glossary_form_reaches_the_body_as_text_only(client, newsroom):
    """A glossary row saved before entries were checked: `body` is HTML for API clients, and stays clean."""
    GlossaryTerm.objects.create(term="座谈会", mode=GlossaryTerm.Mode.FORCE, zh_tw=HOSTILE_FORM)

    item = get(client, f"/articles/{newsroom['story'].pk}?variant=zh-tw").json()

    assert "&lt;img src=x onerror=" in item["body"]
    assert event_handlers(item["body"]) == []
