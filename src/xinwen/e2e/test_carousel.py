"""焦点图 on the home page: keyboard, the rotation button, reduced motion, and no script at all."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
except ImportError:  # the `browser` fixture skips (or fails in CI) with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def home(browser, xinwen_server, request):
    """The home page in a fresh context; `request.param` holds context options (reduced motion, no script)."""
    options = getattr(request, "param", {})
    context = browser.new_context(base_url=xinwen_server.url, locale="zh-CN", **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    if options.get("java_script_enabled", True):
        page.clock.install()  # the rotation's timer runs on a clock the test moves
    page.goto("/")
    yield page
    context.close()
    assert errors == []


def _visible_slide(page) -> int:
    slides = page.locator(".carousel-slide")
    return [n for n in range(slides.count()) if slides.nth(n).is_visible()]


def test_the_slides_move_with_buttons_and_arrow_keys_and_the_rotation_can_be_stopped(home, screenshots):
    page = home
    carousel = page.locator("[data-carousel]")
    expect(carousel.locator(".carousel-controls")).to_be_visible()
    assert page.locator(".carousel-slide").count() >= 2
    assert _visible_slide(page) == [0]

    next_button = carousel.get_by_role("button", name="下一张")
    next_button.focus()
    page.keyboard.press("Enter")
    assert _visible_slide(page) == [1]
    expect(carousel.locator(".carousel-slides")).to_have_attribute("aria-live", "polite")
    page.keyboard.press("ArrowLeft")
    assert _visible_slide(page) == [0]
    page.keyboard.press("ArrowLeft")  # wraps round to the last slide
    assert _visible_slide(page) == [page.locator(".carousel-slide").count() - 1]

    # Focus inside holds the rotation: a reader is not interrupted while choosing.
    expect(carousel).to_have_attribute("data-rotating", "false")
    page.screenshot(path=str(screenshots / "carousel-home.png"))
    rotate = carousel.get_by_role("button", name="暂停轮播")
    rotate.focus()
    page.keyboard.press("Enter")
    expect(carousel.get_by_role("button", name="开始轮播")).to_be_focused()
    page.keyboard.press("Tab")
    page.locator("h1").first.evaluate("h => h.blur()")
    page.mouse.move(1, 1)
    shown = _visible_slide(page)
    page.clock.fast_forward(20_000)
    assert _visible_slide(page) == shown, "after 暂停轮播 the slides stay put"


def test_the_slides_advance_by_themselves_while_nobody_is_reading_them(home):
    page = home
    carousel = page.locator("[data-carousel]")
    expect(carousel).to_have_attribute("data-rotating", "true")
    page.clock.fast_forward(7_000)
    assert _visible_slide(page) == [1]
    expect(carousel.locator(".carousel-slides")).to_have_attribute("aria-live", "off")


@pytest.mark.parametrize("home", [{"reduced_motion": "reduce"}], indirect=True)
def test_reduced_motion_means_no_rotation_until_the_reader_starts_it(home):
    page = home
    carousel = page.locator("[data-carousel]")
    expect(carousel.get_by_role("button", name="开始轮播")).to_be_visible()
    expect(carousel).to_have_attribute("data-rotating", "false")
    page.clock.fast_forward(30_000)
    assert _visible_slide(page) == [0]


@pytest.mark.parametrize("home", [{"java_script_enabled": False}], indirect=True)
def test_without_script_the_first_slide_is_shown_and_no_dead_controls(home, screenshots):
    page = home
    expect(page.locator(".carousel-controls")).to_be_hidden()
    first = page.locator(".carousel-slide").first
    expect(first).to_be_in_viewport()
    box, strip = first.bounding_box(), page.locator(".carousel-slides").bounding_box()
    assert abs(box["x"] - strip["x"]) < 1 and box["width"] == pytest.approx(strip["width"], abs=1)
    expect(page.locator(".carousel-slide").nth(1)).not_to_be_in_viewport()
    page.screenshot(path=str(screenshots / "carousel-no-script.png"))
