"""A teacher writes a lesson in the Wagtail admin; a methodologist approves it.

alice teaches mathematics (tests/integration/servers.py); mira, made here,
moderates mathematics.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.integration import servers

pytestmark = pytest.mark.e2e

LIBRARY_SCRIPT = """
import json
from wagtail.models import Site
from lessons.models import CoursePage, LibraryIndexPage, MethodologistSubject
from lessons.models import SubjectPage, UnitPage
from lessons.moderation_setup import library_moderation_setup
from school.models import Role, Subject
from tests import factories
maths = Subject.objects.get(code="mathematics")
root = Site.objects.get(is_default_site=True).root_page
index = root.add_child(instance=LibraryIndexPage(title="Библиотека"))
section = index.add_child(instance=SubjectPage(title="Математика", subject=maths))
course = section.add_child(instance=CoursePage(title="Математика 5", grade=5))
unit = course.add_child(instance=UnitPage(title="Дроби"))
library_moderation_setup(library=index)
mira = factories.UserFactory(username="mira", roles=[Role.METHODOLOGIST])
MethodologistSubject.objects.create(user=mira, subject=maths)
print(json.dumps({"unit": unit.pk}))
"""

LIVE_SCRIPT = """
import json
from lessons.models import LessonPage
page = LessonPage.objects.get(title="Дроби на пицце")
print(json.dumps({"live": page.live, "owner": page.owner.username}))
"""


@pytest.fixture(scope="module")
def unit_id(site) -> int:
    return servers.run_script(LIBRARY_SCRIPT, env=site.server.env)["unit"]


def sign_in(page: Page, site, username: str) -> None:
    page.goto(site.url("/login/"))
    page.locator("details.local-login summary").click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(servers.PASSWORD)
    page.locator("details.local-login button[type=submit]").click()
    expect(page).to_have_url(site.url("/"))


# Block labels, English or translated (the Russian catalogue may name them).
HEADING = re.compile(r"^(Heading|Заголовок)$")
TEXT = re.compile(r"^(Text|Текст)$")
IN_MODERATION = re.compile(r"на модерации", re.IGNORECASE)


def add_block(page: Page, label: re.Pattern) -> None:
    page.locator("[data-contentpath=body] button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label).click()


def test_teacher_writes_a_lesson_and_a_methodologist_approves_it(
    site, unit_id, new_page
):
    teacher = new_page({"width": 1280, "height": 900})
    sign_in(teacher, site, "alice")
    teacher.goto(site.url(f"/cms/pages/add/lessons/lessonpage/{unit_id}/"))
    teacher.locator("#id_title").fill("Дроби на пицце")
    teacher.locator("[data-contentpath=objectives] [contenteditable=true]").fill(
        "Сравнивать дроби."
    )
    add_block(teacher, HEADING)
    # The block's own input, by the id StreamField gives it: a looser locator
    # could catch another input while the new block is still rendering.
    heading = teacher.locator("input#body-0-value")
    heading.fill("Пицца")
    expect(heading).to_have_value("Пицца")
    add_block(teacher, TEXT)
    paragraph = teacher.locator("[data-contentpath=body] [contenteditable=true]").last
    paragraph.fill("Какой кусок больше?")
    # Draftail writes its hidden input on a debounce; submitting before then
    # would save an empty paragraph.
    saved = teacher.locator("input[type=hidden][name=body-1-value]")
    expect(saved).to_have_value(re.compile("кусок больше"))
    expect(paragraph).to_contain_text("Какой кусок больше?")
    teacher.locator("footer [data-w-dropdown-target=toggle]").first.click()
    teacher.locator("button[name=action-submit]").click()
    expect(teacher.get_by_text(IN_MODERATION).first).to_be_visible()
    assert servers.run_script(LIVE_SCRIPT, env=site.server.env)["live"] is False

    methodologist = new_page({"width": 1280, "height": 900})
    sign_in(methodologist, site, "mira")
    methodologist.goto(site.url("/cms/"))
    methodologist.get_by_role("link", name="Дроби на пицце").first.click()
    methodologist.locator("footer [data-w-dropdown-target=toggle]").first.click()
    methodologist.locator("footer").get_by_role("button", name="Одобрить").first.click()
    methodologist.wait_for_load_state("networkidle")

    assert servers.run_script(LIVE_SCRIPT, env=site.server.env) == {
        "live": True,
        "owner": "alice",
    }
