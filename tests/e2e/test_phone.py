"""The pages pupils, parents and teachers open on a phone, walked at 390×844 in
a real Chromium on the demo city (`seed_demo`, as `make run` loads it):

- nothing scrolls sideways, neither the page nor a box inside it;
- no word is broken inside (each word's text box is on one line);
- axe-core finds no violation of critical or serious impact;
- the header is compact and one "Menu" button shows every section.

A screenshot of each page is kept in var/artifacts/phone/ for people to look at.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import _database
from tests.integration import servers

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
ARTIFACTS = servers.ROOT / "var" / "artifacts" / "phone"
DEMO_PASSWORD = "demo-city-2026"

PEOPLE_SCRIPT = """
import json
from django.urls import reverse
from django.utils import timezone
from gamification.quiz.services import quiz_game_create, quiz_join
from school.demo_plan import demo_city_plan
from school.models import Enrolment, Homework, Lesson, User
plan = demo_city_plan()
login = {label: plan.people[key].username for label, key in plan.showcase.items()}
pupil = User.objects.get(username=login["pupil"])
teacher = User.objects.get(username=login["maths teacher of that pupil"])
klass = Enrolment.objects.filter(pupil=pupil).latest("starts_on").class_group
homework = Homework.objects.filter(lesson__class_group=klass).latest("due_date")
lesson = Lesson.objects.filter(
    teacher=teacher, date__lte=timezone.localdate()
).latest("date")
game = quiz_game_create(
    host=teacher,
    title="Устный счёт",
    class_group=klass,
    questions=[{"text": "2+2", "choices": ["3", "4"], "correct": [1]}],
)
quiz_join(user=pupil, code=game.code)
# The walk looks at the pages themselves; the tour has its own test.
User.objects.update(tour_done_at=timezone.now())
child = {"pupil_id": pupil.pk}
print(json.dumps({
    "pupil": login["pupil"],
    "parent": login["parent of that pupil"],
    "teacher": login["maths teacher of that pupil"],
    "pages": {
        "pupil": {
            "home": "/",
            "diary-week": reverse("diary:week", kwargs=child),
            "term-results": reverse("diary:summary", kwargs=child),
            "homework": reverse("homework_index"),
            "homework-hand-in": reverse("homework_detail", args=[homework.pk]),
            "points": reverse("gamification:me"),
            "quiz-join": reverse("gamification:quiz_join"),
            "quiz": reverse("gamification:quiz_play", args=[game.pk]),
        },
        "parent": {
            "home": "/",
            "diary-week": reverse("diary:week", kwargs=child),
            "term-results": reverse("diary:summary", kwargs=child),
            "homework": reverse("homework_child", kwargs=child),
            "points": reverse("gamification:child", kwargs=child),
            "absence-notices": reverse("attendance:notices"),
        },
        "teacher": {
            "lessons-today": reverse("attendance:today"),
            "register": reverse("attendance:register", args=[lesson.pk]),
        },
    },
}))
"""

# Every word whose text box spans two lines: broken inside. Text hidden on
# purpose (clipped, for screen readers) is skipped.
WORDS_BROKEN_INSIDE = r"""
() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const clipped = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.position === "absolute" && style.clip !== "auto") return true;
    }
    return false;
  };
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, [hidden]")) continue;
    if (clipped(parent)) continue;
    for (const match of node.textContent.matchAll(/[^\s\-–—\/]{2,}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
      const lines = new Set(boxes.map((r) => Math.round(r.top)));
      const where = parent.tagName.toLowerCase();
      if (lines.size > 1) broken.push(`${match[0]} (in <${where}>)`);
    }
  }
  return broken;
}
"""

SIDEWAYS_SCROLLERS = """
() => [...document.querySelectorAll("body *")].filter((element) => {
  const style = getComputedStyle(element);
  return ["auto", "scroll"].includes(style.overflowX)
    && element.scrollWidth > element.clientWidth + 1;
}).map((element) => element.outerHTML.slice(0, 120))
"""


@dataclass
class Demo:
    server: servers.Server
    people: dict

    def url(self, path: str) -> str:
        return f"{self.server.base_url}{path}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    workdir = tmp_path_factory.mktemp("demo")
    with _database(workdir) as database_url:
        env = servers.server_env(
            DATABASE_URL=database_url,
            VAR_DIR=str(workdir),
            IDP_ACCOUNTS_FILE=str(workdir / "accounts.json"),
        )
        servers.manage("migrate", "--no-input", "-v", "0", env=env)
        servers.manage("seed_demo", "--quiet", env=env)
        people = servers.run_script(PEOPLE_SCRIPT, env=env)
        server = servers.runserver(env, workdir / "server.log")
        try:
            server.start()
            yield Demo(server=server, people=people)
        finally:
            server.stop()


def sign_in(page: Page, demo: Demo, username: str) -> None:
    page.goto(demo.url("/login/"))
    page.locator("details.local-login summary").click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("details.local-login button[type=submit]").click()
    expect(page).to_have_url(demo.url("/"))


def horizontal_overflow(page: Page) -> int:
    width = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - page.viewport_size["width"])


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("role", ["pupil", "parent", "teacher"])
def test_every_page_fits_a_phone_without_breaking_words(demo, new_page, role):
    page = new_page(PHONE)
    sign_in(page, demo, demo.people[role])
    problems = {}
    for name, path in demo.people["pages"][role].items():
        response = page.goto(demo.url(path))
        assert response.status == 200, (name, path)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"{role}-{name}")
        found = {
            "sideways": horizontal_overflow(page),
            "scrolling boxes": page.evaluate(SIDEWAYS_SCROLLERS),
            "broken words": page.evaluate(WORDS_BROKEN_INSIDE),
            "accessibility": serious_violations(page),
        }
        if any(found.values()):
            problems[name] = found
    assert problems == {}


def test_the_header_is_compact_and_the_menu_shows_every_section(demo, new_page):
    page = new_page(PHONE)
    sign_in(page, demo, demo.people["pupil"])
    header = page.locator("#site-header")
    assert header.bounding_box()["height"] <= 72
    sections = page.locator(".site-nav a")
    expect(sections.first).to_be_hidden()
    toggle = page.get_by_role("button", name=re.compile("Меню"))
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    names = sections.all_inner_texts()
    for name in ("Дневник", "Викторина", "Урок у доски", "Баллы", "Домашнее задание"):
        assert name in names
    for index in range(sections.count()):
        expect(sections.nth(index)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Выйти")).to_be_visible()
    page.keyboard.press("Escape")
    expect(sections.first).to_be_hidden()
    expect(toggle).to_be_focused()
    screenshot(page, "pupil-menu-closed")


def test_a_desktop_window_shows_every_section_without_a_menu_button(demo, new_page):
    page = new_page({"width": 1280, "height": 800})
    sign_in(page, demo, demo.people["teacher"])
    expect(page.locator("#menu-toggle")).to_be_hidden()
    sections = page.locator(".site-nav a")
    for index in range(sections.count()):
        expect(sections.nth(index)).to_be_visible()
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}])
def test_a_parent_sees_the_term_at_a_glance(demo, new_page, viewport):
    """Marks by subject over the term and attendance by subject, drawn by
    Chart.js from our own origin, with the table beside them."""
    page = new_page(viewport)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, demo, demo.people["parent"])
    page.goto(demo.url(demo.people["pages"]["parent"]["term-results"]))
    expect(page.locator("#term-charts")).to_have_attribute("data-drawn", "true")
    for chart in ("#marks-chart", "#attendance-chart"):
        canvas = page.locator(chart)
        expect(canvas).to_be_visible()
        assert canvas.bounding_box()["height"] > 100
        # Something was drawn: not every pixel is the same.
        assert page.evaluate(
            """(selector) => {
              const canvas = document.querySelector(selector);
              const pixels = canvas.getContext("2d")
                .getImageData(0, 0, canvas.width, canvas.height).data;
              return new Set(pixels).size > 2;
            }""",
            chart,
        )
    captions = page.locator(".term-chart figcaption").all_inner_texts()
    assert captions == [
        "Оценки по предметам за период",
        "Посещаемость по предметам, % уроков",
    ]
    expect(page.locator("#summary-table")).to_be_attached()
    assert errors == []
    assert serious_violations(page) == []
    screenshot(page, f"parent-term-chart-{viewport['width']}")
