"""The installed app (a PWA) in Chromium: its service worker keeps the last
diary week, which reads without a network, marked as a saved copy; other pages
say there is no connection; signing out removes the saved copy."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_pages import sign_in

pytestmark = pytest.mark.e2e

SAVED_PAGES = "caches.open('diary-pages').then((cache) => cache.keys())"


def test_the_last_diary_week_reads_offline_and_says_it_is_a_copy(site, new_page):
    page = new_page(PHONE)
    sign_in(page, site, "petya")
    page.goto(site.url("/diary/"))
    week = page.url
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(week)  # now through the service worker, which keeps it
    page.wait_for_function(f"() => {SAVED_PAGES}.then((keys) => keys.length === 1)")
    expect(page.locator("#offline-notice")).to_be_hidden()

    page.context.set_offline(True)
    page.reload()
    notice = page.locator("#offline-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Нет соединения: это копия, сохранённая")
    assert "%" not in notice.inner_text()
    expect(page.locator("h1")).to_contain_text("Дневник")

    page.goto(site.url("/timetable/"))
    expect(page.locator("h1")).to_have_text("Нет соединения")

    page.context.set_offline(False)
    page.goto(week)
    page.locator("#menu-toggle").click()
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_function(f"() => {SAVED_PAGES}.then((keys) => keys.length === 0)")
