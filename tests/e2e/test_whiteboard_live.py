"""A live lesson's board in two real Chromium pages: the teacher draws, the pupil sees.

The board is frontend/src/board.jsx bundled by `make frontend` and served as static
files; the drawing travels the real way, Excalidraw → Yjs → `ws/board/<id>` →
the server's room → the pupil's page. Who may draw comes from the live control
socket: the pen given and taken back through the console's forms.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.test_pages import sign_in
from tests.integration import servers

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

SESSION_SCRIPT = """
import json
from school.models import Subject, User
from tests import factories
from whiteboard import live
petya = User.objects.get(username="petya")
alice = User.objects.get(username="alice")
class_one = petya.enrolments.get().class_group
maths = Subject.objects.get(code="mathematics")
lesson = factories.make_lesson(class_one, maths, alice, number=NUMBER)
session = live.live_session_start(teacher=alice, lesson=lesson)
print(json.dumps({"session": session.pk, "board": session.board_id, "pupil": petya.pk}))
"""


# Each test gets its own lesson of today (numbers the other browser tests leave free).
LESSON_NUMBERS = iter(range(2, 7))


@pytest.fixture
def live_session(site) -> dict:
    script = SESSION_SCRIPT.replace("NUMBER", str(next(LESSON_NUMBERS)))
    return servers.run_script(script, env=site.server.env)


# Predicates are functions: Playwright evaluates a bare expression with eval(),
# which the page's CSP refuses once it polls.
def open_board(page: Page, site, username: str, path: str, problems: list) -> None:
    """Signs in and opens a page with the board. Script and console errors (CSP
    refusals among them) and requests to any other host (a CDN for Excalidraw's
    fonts or chunks) go to `problems`."""
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(
                (site.server.base_url, "ws://127.0.0.1", "data:", "blob:")
            )
            else problems.append(request.url)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    # The browser reports what the page's CSP refused as console errors.
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type == "error" else None
        ),
    )
    sign_in(page, site, username)
    page.goto(site.url(path))
    expect(page.locator("#board")).to_have_attribute("data-ready", "true")
    page.wait_for_function("() => window.__board.synced()")


def draw_rectangle(page: Page, dx: int = 0) -> None:
    page.locator("#board").scroll_into_view_if_needed()
    box = page.locator("#board canvas.interactive").bounding_box()
    left, top = box["x"] + box["width"] / 3 + dx, box["y"] + box["height"] / 3
    # Excalidraw hears shortcuts while its container has the focus.
    page.mouse.click(left - 30, top - 30)
    page.keyboard.press("r")
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(left + 120, top + 80, steps=5)
    page.mouse.up()
    page.keyboard.press("Escape")


def scene(page: Page) -> list[str]:
    return page.evaluate("window.__board.elements().map((element) => element.type)")


def test_the_pupil_sees_the_teachers_drawing_and_draws_only_with_the_pen(
    site, new_page, live_session, tmp_path
):
    problems: list[str] = []
    teacher = new_page(DESKTOP)
    open_board(
        teacher, site, "alice", f"/live/{live_session['session']}/console/", problems
    )
    pupil = new_page(DESKTOP)
    open_board(pupil, site, "petya", f"/live/{live_session['session']}/", problems)
    expect(pupil.locator("#board")).to_have_attribute("data-can-draw", "false")

    draw_rectangle(teacher)
    assert scene(teacher) == ["rectangle"]
    pupil.wait_for_function("() => window.__board?.elements().length === 1")
    assert scene(pupil) == ["rectangle"]
    teacher.screenshot(path=tmp_path / "teacher.png")
    pupil.screenshot(path=tmp_path / "pupil-watching.png")

    # Without the pen the board is in view mode: a drag draws nothing, even locally.
    assert pupil.evaluate("window.__board.api.getAppState().viewModeEnabled")
    draw_rectangle(pupil, dx=200)
    assert scene(pupil) == ["rectangle"]

    teacher.locator("#pen-pupil").select_option(str(live_session["pupil"]))
    teacher.locator("form.live-pen-one button[type=submit]").click()
    expect(pupil.locator("#board")).to_have_attribute("data-can-draw", "true")
    draw_rectangle(pupil, dx=200)
    assert scene(pupil) == ["rectangle", "rectangle"]
    expect(teacher.locator("#board")).to_have_attribute("data-ready", "true")
    teacher.wait_for_function("() => window.__board?.elements().length === 2")
    pupil.screenshot(path=tmp_path / "pupil-with-pen.png")

    # Taking the pen back returns the pupil to watching, with the board as it was.
    teacher.locator("form.live-pen-take button[type=submit]").click()
    expect(pupil.locator("#board")).to_have_attribute("data-can-draw", "false")
    pupil.wait_for_function(
        "() => window.__board?.api.getAppState().viewModeEnabled"
        " && window.__board.elements().length === 2"
    )
    print(f"board screenshots: {tmp_path}")
    assert problems == []


def visible_scene(page: Page) -> list[float]:
    """The part of the board the screen shows, in scene units: left, top,
    width, height."""
    return page.evaluate(
        "(({scrollX, scrollY, zoom, width, height}) =>"
        " [-scrollX, -scrollY, width / zoom.value, height / zoom.value])"
        "(window.__board.api.getAppState())"
    )


def centre(scene: list[float]) -> tuple[float, float]:
    left, top, width, height = scene
    return (round(left + width / 2), round(top + height / 2))


def test_pupils_follow_the_teachers_view_when_asked(
    site, new_page, live_session, tmp_path
):
    """A pupil on a laptop and one on a phone both see what the teacher sees:
    the same centre, the whole of the teacher's view fitted to their screen."""
    problems: list[str] = []
    teacher = new_page(DESKTOP)
    open_board(
        teacher, site, "alice", f"/live/{live_session['session']}/console/", problems
    )
    laptop = new_page(DESKTOP)
    open_board(laptop, site, "petya", f"/live/{live_session['session']}/", problems)
    phone = new_page(PHONE)
    open_board(phone, site, "petya", f"/live/{live_session['session']}/", problems)

    teacher.locator("#board-follow").check()
    teacher.locator("#board").scroll_into_view_if_needed()
    box = teacher.locator("#board canvas.interactive").bounding_box()
    teacher.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    teacher.mouse.wheel(300, 400)
    teacher.wait_for_function("() => window.__board.api.getAppState().scrollY !== 0")
    seen = visible_scene(teacher)
    for pupil in (laptop, phone):
        pupil.wait_for_function(
            "([x, y]) => { const s = window.__board.api.getAppState();"
            " return Math.round(-s.scrollX + s.width / s.zoom.value / 2) === x"
            " && Math.round(-s.scrollY + s.height / s.zoom.value / 2) === y; }",
            arg=list(centre(seen)),
        )
        shown = visible_scene(pupil)
        # Fitted: all of the teacher's view, however small the screen.
        assert shown[2] >= seen[2] - 1 and shown[3] >= seen[3] - 1
    # The console and the pupil's room, with Excalidraw in them, on both sizes.
    for page in (teacher, laptop, phone):
        assert serious_violations(page) == [], page.url
    laptop.screenshot(path=tmp_path / "pupil-following.png")
    phone.screenshot(path=tmp_path / "phone-following.png")
    print(f"board screenshots: {tmp_path}")
    assert problems == []


def test_the_teacher_presents_the_board_on_the_whole_screen(
    site, new_page, live_session
):
    problems: list[str] = []
    teacher = new_page(DESKTOP)
    open_board(
        teacher, site, "alice", f"/live/{live_session['session']}/console/", problems
    )
    button = teacher.locator("#board-present")
    expect(button).to_have_text("Во весь экран")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    board = teacher.locator("#board").bounding_box()
    assert (board["width"], board["height"]) == (DESKTOP["width"], DESKTOP["height"])
    canvas = teacher.locator("#board canvas.interactive").bounding_box()
    assert canvas["height"] > 0.8 * DESKTOP["height"]
    assert serious_violations(teacher) == []
    teacher.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert teacher.locator("#board").bounding_box()["height"] < DESKTOP["height"]
    assert problems == []
