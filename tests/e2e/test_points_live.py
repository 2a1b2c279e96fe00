"""Points appear live: a toast on the pupil's open page, a line in the parent's
diary, the parent's view of the child's progress page and the teacher's
live-lesson console, without a reload.

The points come the real way: Petya marks homework done on time through the
running server (school's service → gamification's hook → the ledger → commit →
the websocket groups), so the award happens in the server's process whatever
channel layer it runs.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_pages import horizontal_overflow, sign_in
from tests.integration import servers

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}

# A lesson number the other browser tests leave free, so the lessons never clash.
HOMEWORK_SCRIPT = """
import json
from gamification.models import PointsAccount, PointsEntry
from school.homework.services import homework_assign
from school.models import Subject, User
from tests import factories
from whiteboard import live
petya = User.objects.get(username="petya")
alice = User.objects.get(username="alice")
class_one = petya.enrolments.get().class_group
maths = Subject.objects.get(code="mathematics")
lesson = factories.make_lesson(class_one, maths, alice, number=15)
# The browser tests share one database and earlier ones may have earned Petya
# points: his ledger starts afresh here, so the feed shows only this award.
PointsEntry.objects.filter(pupil=petya, reverses__isnull=False).delete()
PointsEntry.objects.filter(pupil=petya).delete()
PointsAccount.objects.filter(pupil=petya).delete()
homework = homework_assign(
    teacher=alice, lesson=lesson, due_date=lesson.date, text="Задачи 1-5", files=[]
)
session = live.live_session_start(teacher=alice, lesson=lesson)
print(json.dumps({
    "homework": homework.pk, "pupil": petya.pk, "session": session.pk,
    "other_child": User.objects.get(username="masha").pk,
}))
"""


def collect_problems(page: Page, problems: list) -> None:
    page.on("pageerror", lambda error: problems.append(str(error)))
    # What the page's CSP refuses shows up as console errors.
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type == "error" else None
        ),
    )


def pupil_marks_homework_done(site, homework_id: int) -> None:
    session = servers.sign_in(site.server.base_url, "petya", servers.PASSWORD)
    response = session.post(
        site.url(f"/homework/{homework_id}/done/"),
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text


def test_an_award_shows_live_to_the_pupil_the_parent_and_the_teacher(site, new_page):
    ids = servers.run_script(HOMEWORK_SCRIPT, env=site.server.env)
    problems: list = []

    pupil = new_page()
    collect_problems(pupil, problems)
    sign_in(pupil, site, "petya")
    expect(pupil.locator("body")).to_have_attribute("data-live", "connected")

    parent = new_page()
    collect_problems(parent, problems)
    sign_in(parent, site, "olga")
    parent.goto(site.url(f"/diary/{ids['pupil']}/"))
    expect(parent.locator("#diary-live")).to_have_attribute("data-live", "connected")
    expect(parent.locator("#points-feed-list [data-entry]")).to_have_count(0)
    parent.evaluate("window.stillTheSamePage = true")

    # The parent's view of Petya's progress page follows too.
    progress = new_page()
    collect_problems(progress, problems)
    sign_in(progress, site, "olga")
    progress.goto(site.url(f"/points/child/{ids['pupil']}/"))
    expect(progress.locator("#progress-live")).to_have_attribute(
        "data-live", "connected"
    )
    expect(progress.locator("#balance")).to_have_text("0")

    # The same parent's other child: her diary must not hear Petya's points.
    sibling = new_page()
    sign_in(sibling, site, "olga")
    sibling.goto(site.url(f"/diary/{ids['other_child']}/"))
    expect(sibling.locator("#diary-live")).to_have_attribute("data-live", "connected")

    teacher = new_page(DESKTOP)
    collect_problems(teacher, problems)
    sign_in(teacher, site, "alice")
    teacher.goto(site.url(f"/live/{ids['session']}/console/"))
    expect(teacher.locator("#class-points")).to_have_attribute("data-live", "connected")

    pupil_marks_homework_done(site, ids["homework"])

    toast = pupil.locator("#toasts .points-toast")
    expect(toast).to_be_visible()
    expect(toast.locator(".points-toast-amount")).to_contain_text("+5")
    assert horizontal_overflow(pupil) == 0
    # Dismissible from the keyboard.
    toast.locator(".points-toast-close").focus()
    pupil.keyboard.press("Enter")
    expect(toast).to_have_count(0)

    line = parent.locator("#points-feed-list [data-entry]")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Петя")
    expect(line).to_contain_text("+5")
    assert parent.evaluate("window.stillTheSamePage") is True
    assert horizontal_overflow(parent) == 0
    # The award is not a diary change: the only toast is the homework's own.
    expect(parent.locator("#toasts .toast")).to_have_count(1)

    console_line = teacher.locator(f'#class-points-list [data-pupil="{ids["pupil"]}"]')
    expect(console_line).to_contain_text("+5")

    expect(progress.locator("#balance")).to_have_text("5")
    expect(progress.locator("#entries [data-entry]")).to_have_count(1)

    expect(sibling.locator("#points-feed-list [data-entry]")).to_have_count(0)
    assert problems == []
