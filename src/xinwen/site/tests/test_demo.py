"""`xinwen demo`: realistic content, the seed article, accounts printed once, safe to run again."""

import io
import re

import pytest
from django.utils import timezone
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from xinwen.conftest import rolled_back_after
from xinwen.hanzi.convert import detect_script
from xinwen.news.models import Article, Category

pytestmark = pytest.mark.django_db
SEED_TITLE = "深化国资央企与上海市合作 推动制造业发展座谈会在沪举行"


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", no_server=True, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker, tmp_path_factory):
    """One `xinwen demo` for the module (about 12 s), its commit callbacks run as a real run's commit runs them.

    A test that runs the demo again or changes a row leaves the next test the first run's site.
    """
    media = tmp_path_factory.mktemp("media")
    with rolled_back_after(django_db_blocker):
        with override_settings(MEDIA_ROOT=media), TestCase.captureOnCommitCallbacks(execute=True):
            output = run_demo()
        yield media, output


@pytest.fixture
def demo(first_run, db, settings) -> str:
    """The first run's site (what it printed), with its uploads where the tests read them."""
    media, output = first_run
    settings.MEDIA_ROOT = media
    return output


def test_demo_loads_a_news_center_and_the_seed_article(demo, client):
    assert Article.objects.published().count() >= 31
    sections = set(Category.objects.filter(parent__slug="news").values_list("name", flat=True))
    assert sections == {"公司新闻", "行业动态", "通知公告", "媒体报道"}
    dates = Article.objects.dates("publish_at", "month")
    assert len(dates) >= 10  # spread over a year

    seed = Article.objects.get(title=SEED_TITLE)
    assert seed.view_count == 275 and timezone.localdate(seed.publish_at).isoformat() == "2023-04-24"
    assert detect_script(seed.body) == "zh-hans"
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü]+\)", seed.body)

    page = client.get(seed.get_absolute_url()).content.decode()
    assert f"<title>{SEED_TITLE} - " in page
    assert "当前位置" in page and "新闻中心" in page
    assert "2023-04-24" in page and "浏览次数：<span class=\"view-count\">275</span>" in page


def test_the_demo_can_be_searched_at_once(demo, client):
    page = client.get("/search/", {"q": "安全生产月"}).content.decode()
    assert "集团全面启动2024年" in page  # a demo article, not only the imported seed page


def test_accounts_are_printed_once_and_work(demo, client):
    first = demo
    passwords = dict(re.findall(r"账号 (\w+) / 密码 (\S+)", first))
    assert set(passwords) == {"admin", "editor", "author", "reporter", "chushen", "fushen", "zhongshen"}
    User = get_user_model()
    assert User.objects.get(username="editor").check_password(passwords["editor"])
    assert User.objects.get(username="admin").is_superuser

    second = run_demo()
    assert "密码" not in re.sub(r"密码未改变", "", second)  # never printed again
    assert Article.objects.filter(title=SEED_TITLE).count() == 1
    assert Article.objects.count() == 37  # 36 published, one waiting at 初审


def test_the_demo_has_a_gallery_whose_pictures_are_described_and_shown_in_every_script(demo, client):
    from xinwen.site.demo_pictures import GALLERY, GALLERY_TITLE

    gallery = Article.objects.published().get(title=GALLERY_TITLE)
    assert gallery.kind == Article.Kind.GALLERY
    assert [(g.alt, g.caption) for g in gallery.gallery_images.all()] == [(alt, caption) for alt, caption, _ in GALLERY]
    for prefix, alt in (("", "百米短跑决赛"), ("/zh-tw", "百米短跑決賽")):
        page = client.get(prefix + gallery.get_absolute_url()).content.decode()
        items = re.findall(r'<li class="gallery-item">.*?</li>', page, re.S)
        assert len(items) == len(GALLERY) and f'alt="{alt}"' in items[1]
        assert all("srcset=" in item for item in items)  # generated sizes, never the upload alone


def test_the_demo_fills_every_footer_field_with_example_values(demo, client):
    from xinwen.news.models import SiteSettings

    settings_row = SiteSettings.objects.get()
    empty = [field.name for field in SiteSettings._meta.concrete_fields if getattr(settings_row, field.name) in ("", None)]
    # The watermark is optional and off in the demo: its pictures show the site as it comes.
    assert empty == ["watermark_text", "watermark_logo"]
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    for value in ("京ICP备00000000号-1（示例）", "京公网安备00000000000000号（示例）", "主办单位：东方智联装备集团（示例单位）", "示例友情链接一"):
        assert value in footer
    # Running the demo again keeps what the operator has changed since.
    settings_row.organizer = "本单位"
    from xinwen.news import services

    services.site_settings_save(site_settings=settings_row, user=services.OPERATOR)
    run_demo()
    assert SiteSettings.objects.get().organizer == "本单位"


def test_the_demo_attachment_is_a_pdf_a_browser_can_open(demo, client):
    from xinwen.news.models import Attachment

    attachment = Attachment.objects.get()
    response = client.get(attachment.get_absolute_url())
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-1.4\n1 0 obj")  # the header first: without it viewers refuse the file
    assert response["Content-Disposition"].startswith("inline; ")


def test_the_demo_has_a_three_level_chain_and_section_accounts(demo):
    from xinwen.news.grants import chain_for, scope_for

    company = Category.objects.get(slug="company")
    assert chain_for(company.pk).describe() == "初审 → 复审 → 终审 → 发布"
    assert chain_for(Category.objects.get(slug="notices").pk).levels == 1  # the root default
    User = get_user_model()
    reporter = scope_for(User.objects.get(username="reporter"))
    assert reporter.may_write(company.pk) and not reporter.may_write(Category.objects.get(slug="industry").pk)
    waiting = Article.objects.get(status=Article.Status.REVIEW)
    assert waiting.review_level == 1 and waiting.category.slug == "industry"
    assert scope_for(User.objects.get(username="chushen")).may_review(waiting.category_id, 1)
    run_demo()  # again: nothing doubles
    assert Article.objects.filter(status=Article.Status.REVIEW).count() == 1


def test_the_demo_lists_one_company_story_under_industry_too(demo, client):
    story = Article.objects.get(title="集团首个5G全连接工厂建成投用")
    assert story.category.slug == "company" and list(story.also_in.values_list("slug", flat=True)) == ["industry"]
    assert f'href="/zh-tw/article/{story.pk}/"' in client.get("/zh-tw/category/industry/").content.decode()
    run_demo()  # again: nothing doubled, nothing refused
    assert story.also_in.count() == 1


def test_the_demo_has_a_video_with_its_poster_and_chinese_captions(demo, client):
    from xinwen.news.mp4 import mp4_probe
    from xinwen.site.demo_video import VIDEO_TITLE

    story = Article.objects.get(title=VIDEO_TITLE)
    with story.video.open("rb") as handle:
        info = mp4_probe(handle, story.video.size)
    assert info.tracks == [(b"vide", b"avc1")] and info.has_media_data
    assert story.video_captions.read().decode().startswith("WEBVTT")
    page = client.get(f"/zh-tw/article/{story.pk}/").content.decode()
    assert f'poster="{story.video_poster.url}"' in page and 'srclang="zh' in page
    assert f'src="{story.video.url}"' in page


def test_the_demo_has_a_logo_and_a_header_banner_in_their_generated_sizes(demo, client):
    from xinwen.news.models import ImageSizes, SiteSettings

    look = SiteSettings.objects.get()
    assert look.logo and look.header_banner and look.palette == "red"
    assert ImageSizes.objects.filter(name=look.header_banner.name).exclude(widths=[]).exists()
    page = client.get("/zh-hk/").content.decode()
    assert '<div class="header-banner"><picture>' in page and '<span class="site-logo"><picture>' in page
