"""The sign-in and home pages in a real Chromium, at phone width.

The parent (olga) has two children: petya in 5А of school one and masha in 7Б of
school two; admin1 runs school one, so its announcements reach olga.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.integration.servers import PASSWORD

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/phone-home.png"  # noqa: S108 looked at by hand, not by the test


def horizontal_overflow(page: Page) -> int:
    """How far the page is wider than the screen (0 when nothing scrolls sideways)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - page.viewport_size["width"])


# The colour a button's text is drawn on: its own background, or the first
# non-transparent one behind it.
BUTTONS_DRAWN_IN_THEIR_BACKGROUND = """
() => [...document.querySelectorAll("button, .button")].filter(button => {
  let node = button, background = "rgba(0, 0, 0, 0)";
  while (node && background === "rgba(0, 0, 0, 0)") {
    background = getComputedStyle(node).backgroundColor;
    node = node.parentElement;
  }
  return getComputedStyle(button).color === background;
}).map(button => button.outerHTML)
"""


def invisible_buttons(page: Page) -> list[str]:
    return page.evaluate(BUTTONS_DRAWN_IN_THEIR_BACKGROUND)


def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}.")


def sign_in(page: Page, site, username: str) -> None:
    page.goto(site.url("/login/"))
    page.locator("details.local-login summary").click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("details.local-login button[type=submit]").click()
    expect(page).to_have_url(site.url("/"))


def test_login_page_fits_a_phone(site, new_page):
    page = new_page()
    page.goto(site.url("/login/"))
    assert horizontal_overflow(page) == 0
    page.locator("details.local-login summary").click()
    expect(page.locator("#id_username")).to_be_visible()
    assert horizontal_overflow(page) == 0


def test_parent_signs_in_with_the_keyboard_and_sees_both_children(site, new_page):
    page = new_page()
    page.goto(site.url("/login/"))
    tab_to(page, "details.local-login summary")
    page.keyboard.press("Enter")
    tab_to(page, "#id_username")
    page.keyboard.type("olga")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url("/"))

    children = page.locator("[data-role=parent] .children li")
    expect(children).to_have_count(2)
    city = site.city
    expect(children.filter(has_text=city["petya"])).to_contain_text(
        f"5А, {city['school_one_name']}"
    )
    expect(children.filter(has_text=city["masha"])).to_contain_text(
        f"7Б, {city['school_two_name']}"
    )
    assert horizontal_overflow(page) == 0
    page.screenshot(path=SCREENSHOT, full_page=True)


@pytest.mark.parametrize(
    ("username", "section"),
    [
        ("alice", "teacher"),
        ("petya", "pupil"),
        ("olga", "parent"),
        ("admin1", "school_admin"),
    ],
)
def test_every_home_page_fits_a_phone(site, new_page, username, section):
    page = new_page()
    sign_in(page, site, username)
    expect(page.locator(f"[data-role={section}]")).to_be_visible()
    assert horizontal_overflow(page) == 0
    assert invisible_buttons(page) == []


def test_announcement_appears_live_on_the_parents_open_page(site, new_page):
    parent = new_page()
    sign_in(parent, site, "olga")
    # The socket is open once the page says so; only then can it miss nothing.
    expect(parent.locator("body")).to_have_attribute("data-live", "connected")

    admin = new_page(viewport={"width": 1280, "height": 800})
    sign_in(admin, site, "admin1")
    admin.goto(site.url(f"/schools/{site.city['school_one']}/announce/"))
    admin.locator("textarea[name=text]").fill("Завтра уроки до 12:00")
    admin.locator("main button[type=submit]").click()
    expect(admin).to_have_url(site.url("/"))
    expect(admin.locator(".messages")).to_contain_text(re.compile(r"\d"))

    toast = parent.locator("#toasts .toast", has_text="Завтра уроки до 12:00")
    expect(toast).to_be_visible()
    assert horizontal_overflow(parent) == 0
