"""A teacher fills the gradebook with the keyboard only; the marks survive a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_pages import horizontal_overflow, sign_in, tab_to
from tests.integration import servers

pytestmark = pytest.mark.e2e

LESSONS_SCRIPT = """
import datetime, json
from django.utils import timezone
from school.models import ClassGroup, Subject, User
from tests import factories
class_group = ClassGroup.objects.get(grade=5, letter="А")
maths = Subject.objects.get(code="mathematics")
alice = User.objects.get(username="alice")
kolya = factories.make_pupil(class_group, username="kolya-e2e", last_name="Яковлев")
today = timezone.localdate()
lessons = [
    factories.make_lesson(class_group, maths, alice,
                          date=today - datetime.timedelta(days=days), number=7)
    for days in (2, 1)
]
print(json.dumps({
    "url": f"/gradebook/{class_group.pk}/{maths.pk}/{lessons[0].term_id}/",
    "lessons": [lesson.pk for lesson in lessons],
    "petya": User.objects.get(username="petya").pk,
    "kolya": kolya.pk,
}))
"""


@pytest.fixture
def gradebook(site) -> dict:
    return servers.run_script(LESSONS_SCRIPT, env=site.server.env)


def cell(page, pupil: int, lesson: int):
    return page.locator(f'td.cell[data-pupil="{pupil}"][data-lesson="{lesson}"]')


def test_teacher_types_marks_with_the_keyboard_and_they_persist(
    site, new_page, gradebook
):
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, site, "alice")
    page.goto(site.url(gradebook["url"]))
    first, second = gradebook["lessons"]
    petya, kolya = gradebook["petya"], gradebook["kolya"]

    tab_to(page, "td.cell")
    expect(cell(page, petya, first)).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Enter")  # saves, then moves down to Коля
    expect(cell(page, petya, first).locator(".mark")).to_have_text("5")
    expect(cell(page, kolya, first)).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(cell(page, kolya, first).locator(".mark")).to_have_text("3")

    page.keyboard.press("ArrowRight")  # Коля, second lesson
    page.keyboard.press("n")  # absent
    expect(cell(page, kolya, second).locator(".att")).to_have_class("att att-absent")
    page.keyboard.press("ArrowUp")
    page.keyboard.type("7")  # outside the 5-point scale: refused, shown by the cell
    page.keyboard.press("Enter")
    expect(cell(page, petya, second).locator(".cell-error")).to_be_visible()
    page.keyboard.press("Escape")
    expect(cell(page, petya, second)).to_be_focused()

    page.reload()
    expect(cell(page, petya, first).locator(".mark")).to_have_text("5")
    expect(cell(page, kolya, first).locator(".mark")).to_have_text("3")
    expect(cell(page, kolya, second).locator(".att")).to_have_class("att att-absent")
    expect(cell(page, petya, second).locator(".mark")).to_have_count(0)
    # Other browser tests may add lessons to this shared class, so the share of
    # one absence is not fixed; the absent pupil's rate drops, the other's does not.
    rate = page.locator(f'tr[data-pupil="{kolya}"] .rate')
    expect(rate).to_have_text(re.compile(r"^\d{1,2}%$"))
    expect(page.locator(f'tr[data-pupil="{petya}"] .rate')).to_have_text("100%")
    page.set_viewport_size(PHONE)  # the grid scrolls in its box, not the page
    assert horizontal_overflow(page) == 0


LONG_TERM_SCRIPT = """
import datetime, json
from django.utils import timezone
from school.models import ClassGroup, TeachingAssignment, User
from tests import factories
class_group = ClassGroup.objects.get(grade=5, letter="А")
physics = factories.SubjectFactory(code="physics-e2e", name="Физика")
alice = User.objects.get(username="alice")
TeachingAssignment.objects.create(
    teacher=alice, class_group=class_group, subject=physics
)
today = timezone.localdate()
lessons = [
    factories.make_lesson(class_group, physics, alice,
                          date=today + datetime.timedelta(days=days), number=6)
    for days in range(-60, 9, 2)
]
term = lessons[0].term_id
print(json.dumps({"url": f"/gradebook/{class_group.pk}/{physics.pk}/{term}/"}))
"""


def test_a_long_term_opens_at_today_with_a_legend(site, new_page):
    """Two months of lessons: the grid opens with today's column in view, not the
    first week of the term, and says what its colours and signs mean."""
    gradebook = servers.run_script(LONG_TERM_SCRIPT, env=site.server.env)
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, site, "alice")
    page.goto(site.url(gradebook["url"]))
    today = page.locator("#gradebook-grid th.today")
    expect(today).to_have_count(1)
    wrap = page.locator(".grid-wrap").bounding_box()
    column = today.bounding_box()
    assert wrap["x"] <= column["x"] and column["x"] + column["width"] <= (
        wrap["x"] + wrap["width"]
    )
    legend = page.locator(".grid-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("вес 3")
    expect(legend).to_contain_text("Вес видов работ")
    assert horizontal_overflow(page) == 0
