"""A parent's open diary shows the mark a teacher enters, without a reload.

The teacher enters it through the gradebook's JSON endpoint of the running
server, so the event travels the real way: service → commit → family group →
the parent's websocket → the page fetches the fresh day and swaps it in.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_pages import horizontal_overflow, sign_in
from tests.integration import servers

pytestmark = pytest.mark.e2e

LESSON_SCRIPT = """
import json
from school.models import Subject, User
from tests import factories
petya = User.objects.get(username="petya")
alice = User.objects.get(username="alice")
class_one = petya.enrolments.get().class_group
maths = Subject.objects.get(code="mathematics")
lesson = factories.make_lesson(class_one, maths, alice, number=8)
print(json.dumps({
    "lesson": lesson.pk, "pupil": petya.pk, "date": lesson.date.isoformat(),
    "grid": f"/gradebook/{class_one.pk}/{maths.pk}/{lesson.term_id}/",
}))
"""


def teacher_enters_mark(site, lesson: dict, value: int) -> None:
    session = servers.sign_in(site.server.base_url, "alice", servers.PASSWORD)
    response = session.post(
        site.url(f"{lesson['grid']}marks/"),
        json={
            "lesson": lesson["lesson"],
            "pupil": lesson["pupil"],
            "work_type": "classwork",
            "value": value,
            "comment": "Устный счёт",
        },
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_parents_open_diary_shows_a_new_mark_live(site, new_page):
    lesson = servers.run_script(LESSON_SCRIPT, env=site.server.env)
    parent = new_page()
    sign_in(parent, site, "olga")
    parent.goto(site.url(f"/diary/{lesson['pupil']}/"))
    expect(parent.locator("#diary-live")).to_have_attribute("data-live", "connected")
    cell = parent.locator(f'[data-lesson="{lesson["lesson"]}"]')
    expect(cell).to_be_visible()
    expect(cell.locator(".mark")).to_have_count(0)
    parent.evaluate("window.stillTheSamePage = true")

    teacher_enters_mark(site, lesson, 5)

    expect(cell.locator(".mark-value")).to_have_text("5")
    expect(cell.locator(".mark-comment")).to_have_text("Устный счёт")
    expect(parent.locator("#toasts .toast", has_text="5")).to_be_visible()
    assert parent.evaluate("window.stillTheSamePage") is True
    assert horizontal_overflow(parent) == 0
