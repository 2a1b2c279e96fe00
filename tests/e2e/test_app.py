"""The installed app (a PWA) in Chromium: its service worker keeps the last
diary week, which reads without a network, marked as a saved copy; other pages
say there is no connection; signing out removes the saved copy; a push becomes
a notification."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import PHONE
from tests.e2e.test_pages import sign_in
from tests.integration import servers

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


MARK_PUSH_SCRIPT = """
import json
from school.models import User
from school.push.messages import push_message
petya = User.objects.get(username="petya")
kind, payload = push_message(
    kind="mark",
    name=petya.first_name,
    pupil_id=petya.pk,
    data={"subject": "Математика", "work_type": "Контрольная работа",
          "value": 5, "scale": "five"},
)
print(json.dumps(payload, ensure_ascii=False))
"""

SHOWN = (
    "navigator.serviceWorker.ready.then((r) => r.getNotifications())"
    ".then((shown) => shown.map((n) => [n.title, n.body, n.data.url]))"
)


def test_the_installed_app_shows_a_push_for_a_new_mark(site, new_page):
    """Chromium here reaches no real push service, so the push is delivered
    to the service worker through the DevTools protocol (as the push service
    would): the app shows it as a notification that opens the child's diary."""
    page = new_page(PHONE)
    page.context.grant_permissions(["notifications"], origin=site.url(""))
    sign_in(page, site, "olga")
    page.goto(site.url("/notifications/push/"))
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    devtools = page.context.new_cdp_session(page)
    registrations = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    devtools.send("ServiceWorker.enable")
    page.wait_for_timeout(500)
    (registration,) = [r for r in registrations if not r["isDeleted"]]

    payload = servers.run_script(MARK_PUSH_SCRIPT, env=site.server.env)
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": site.url(""),
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload, ensure_ascii=False),
        },
    )
    for _attempt in range(50):
        shown = page.evaluate(SHOWN)
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [[payload["title"], payload["body"], payload["url"]]]
    assert shown[0][0] == "Новая оценка"
    assert "Петя: 5 — Математика (Контрольная работа)" == shown[0][1]


NEW_PUPIL_SCRIPT = """
import json
from school.models import ClassGroup
from tests import factories
# A class of her own: the other browser tests count 5А's pupils.
class_one = ClassGroup.objects.get(grade=5, letter="А")
new_class = factories.ClassGroupFactory(
    academic_year=class_one.academic_year, grade=1, letter="Я"
)
pupil = factories.make_pupil(new_class, username="first-day", first_name="Лиза")
print(json.dumps(pupil.username))
"""


def test_a_new_pupil_is_shown_around_once(site, new_page):
    """The first home page walks a new pupil through the menu (on a phone, the
    Menu button), in Russian; ended, it does not come back."""
    username = servers.run_script(NEW_PUPIL_SCRIPT, env=site.server.env)
    page = new_page(PHONE)
    sign_in(page, site, username)
    popover = page.locator(".driver-popover")
    expect(popover).to_be_visible()
    expect(popover.locator(".driver-popover-title")).to_have_text("Ваш дневник")
    assert page.locator(".driver-active-element").get_attribute("id") == "menu-toggle"
    # Checked once the popover has faded in (half-transparent text fails contrast).
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.driver-popover')).opacity"
        " === '1'"
    )
    page.wait_for_timeout(300)
    assert serious_violations(page) == []
    titles = ["Домашнее задание", "Викторина", "Помощь"]
    for title in titles:
        popover.get_by_role("button", name="Дальше").click()
        expect(popover.locator(".driver-popover-title")).to_have_text(title)
    done = popover.get_by_role("button", name="Готово")
    expect(done).to_be_visible()
    page.wait_for_timeout(500)  # the popover settles at its last step
    done.click()
    expect(page.locator(".driver-popover")).to_have_count(0)
    page.wait_for_timeout(300)  # the "done" request
    page.reload()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".driver-popover")).to_have_count(0)
