"""The live board's pages, page clear, pictures and lesson sections, in two real
Chromium pages: the teacher's console and the pupil's room.

Everything travels the real way (Excalidraw → Yjs → `ws/board/<id>`, commands on
`ws/live/<session>/`, pictures through the upload endpoint); helpers in
`tests.e2e.test_whiteboard_live` sign in, open the board and draw.
"""

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.test_whiteboard_live import DESKTOP, draw_rectangle, open_board
from tests.integration import servers

pytestmark = pytest.mark.e2e

SESSION_SCRIPT = """
import json
from lessons.models import LessonPlan
from school.models import Subject, User
from tests import factories
from tests.lessons.library_pages import TEACHER_NOTE, lesson_page, library_unit
from whiteboard import live
petya = User.objects.get(username="petya")
alice = User.objects.get(username="alice")
class_one = petya.enrolments.get().class_group
maths = Subject.objects.get(code="mathematics")
lesson = factories.make_lesson(class_one, maths, alice, number=NUMBER)
page = lesson_page(library_unit(maths, title="Live NUMBER"), "Live NUMBER", owner=alice)
LessonPlan.objects.create(lesson=lesson, page=page, attached_by=alice)
session = live.live_session_start(teacher=alice, lesson=lesson)
quiz = next(block.id for block in page.body if block.block_type == "quiz")
print(json.dumps({"session": session.pk, "board": session.board_id, "quiz": quiz,
                  "note": TEACHER_NOTE}))
"""

# Lesson numbers the other browser tests leave free (test_whiteboard_live: 2-6).
LESSON_NUMBERS = iter(range(9, 15))


@pytest.fixture
def live_session(site) -> dict:
    script = SESSION_SCRIPT.replace("NUMBER", str(next(LESSON_NUMBERS)))
    return servers.run_script(script, env=site.server.env)


@pytest.fixture
def teacher_and_pupil(site, new_page, live_session):
    problems: list[str] = []
    teacher = new_page(DESKTOP)
    # Chromium's own file picker (File System Access API) is out of Playwright's
    # reach; without it Excalidraw opens an <input type=file>, as on Firefox and
    # Safari, and the test chooses the file there.
    teacher.add_init_script(
        "delete window.showOpenFilePicker; delete Window.prototype.showOpenFilePicker;"
    )
    open_board(
        teacher, site, "alice", f"/live/{live_session['session']}/console/", problems
    )
    pupil = new_page(DESKTOP)
    open_board(pupil, site, "petya", f"/live/{live_session['session']}/", problems)
    return teacher, pupil, problems


def on_page(page: Page) -> str:
    return page.locator("#board").get_attribute("data-page")


def wait_for_scene(page: Page, count: int) -> None:
    page.wait_for_function(
        "(count) => window.__board?.elements().length === count", arg=count
    )


def test_pupils_follow_the_teacher_to_a_new_page(teacher_and_pupil, tmp_path):
    teacher, pupil, problems = teacher_and_pupil
    draw_rectangle(teacher)
    wait_for_scene(pupil, 1)

    teacher.locator("#board-follow").check()
    teacher.locator(".board-page-add").click()
    second = on_page(teacher)
    assert second != "1"
    expect(teacher.locator(".board-page")).to_have_count(2)
    expect(teacher.locator(f'.board-page[data-page="{second}"]')).to_have_attribute(
        "aria-current", "true"
    )
    wait_for_scene(teacher, 0)
    expect(pupil.locator("#board")).to_have_attribute("data-page", second)
    wait_for_scene(pupil, 0)

    draw_rectangle(teacher, dx=100)
    wait_for_scene(pupil, 1)
    expect(pupil.locator(".board-page")).to_have_count(2)
    expect(pupil.locator(f'.board-page[data-page="{second}"]')).to_have_attribute(
        "aria-current", "true"
    )
    pupil.screenshot(path=tmp_path / "pupil-on-page-2.png")

    # Back on the first page, with its own drawing; the pupil comes along.
    teacher.locator('.board-page[data-page="1"]').click()
    expect(pupil.locator("#board")).to_have_attribute("data-page", "1")
    wait_for_scene(pupil, 1)
    assert teacher.evaluate("window.__board.pages().map((page) => page.id)") == [
        "1",
        second,
    ]
    print(f"board screenshots: {tmp_path}")
    assert problems == []


def test_a_cleared_page_is_empty_on_every_screen(teacher_and_pupil, tmp_path):
    teacher, pupil, problems = teacher_and_pupil
    draw_rectangle(teacher)
    draw_rectangle(teacher, dx=150)
    wait_for_scene(pupil, 2)
    # The pupil's screen lags: it holds a stroke the server refused (no pen).
    pupil.evaluate(
        """() => {
            const api = window.__board.api;
            const [first] = api.getSceneElements();
            api.updateScene({elements: [...api.getSceneElements(),
                {...first, id: "refused-stroke", x: first.x + 300}]});
        }"""
    )
    wait_for_scene(pupil, 3)

    teacher.once("dialog", lambda dialog: dialog.accept())
    teacher.locator(".board-clear").click()
    wait_for_scene(teacher, 0)
    wait_for_scene(pupil, 0)
    pupil.wait_for_function("() => window.__board.shared() === 0")
    teacher.screenshot(path=tmp_path / "teacher-cleared.png")
    pupil.screenshot(path=tmp_path / "pupil-cleared.png")
    print(f"board screenshots: {tmp_path}")
    assert problems == []


def picture(tmp_path) -> str:
    path = tmp_path / "triangle.png"
    image = Image.new("RGB", (320, 200), "white")
    image.paste((200, 30, 40), (40, 40, 280, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def insert_image(page: Page, path: str) -> None:
    page.locator("#board").scroll_into_view_if_needed()
    with page.expect_file_chooser() as chooser:
        page.locator('#board label:has([data-testid="toolbar-image"])').click()
    chooser.value.set_files(path)
    # With a mouse, Excalidraw places the picture where the next click lands.
    box = page.locator("#board canvas.interactive").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_a_picture_is_uploaded_and_every_screen_loads_it_by_url(
    teacher_and_pupil, live_session, tmp_path
):
    teacher, pupil, problems = teacher_and_pupil
    insert_image(teacher, picture(tmp_path))
    teacher.wait_for_function("() => Object.keys(window.__board.assets()).length === 1")
    [asset] = teacher.evaluate("Object.values(window.__board.assets())")
    assert asset["dataURL"].startswith(f"/live/boards/{live_session['board']}/images/")

    pupil.wait_for_function(
        "() => window.__board.elements().some((element) => element.type === 'image')"
    )
    pupil.wait_for_function(
        "(id) => window.__board.files()[id]?.dataURL.startsWith('/live/')",
        arg=asset["id"],
    )
    # Excalidraw drew it from the URL: the pupil's browser fetched the picture.
    pupil.wait_for_function(
        """(url) => performance.getEntriesByType("resource").some(
            (entry) => entry.name.endsWith(url) && entry.responseStatus === 200)""",
        arg=asset["dataURL"],
    )
    [element] = pupil.evaluate("window.__board.elements()")
    assert element["fileId"] == asset["id"]
    pupil.screenshot(path=tmp_path / "pupil-picture.png")
    assert problems == []

    # An SVG is refused by the server: it leaves the board, and the teacher hears why.
    svg = tmp_path / "drawing.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        '<rect width="40" height="40" fill="red"/></svg>'
    )
    insert_image(teacher, str(svg))
    expect(teacher.locator(".board-problem[role=alert]")).not_to_be_empty()
    wait_for_scene(teacher, 1)
    wait_for_scene(pupil, 1)
    assert len(teacher.evaluate("window.__board.assets()")) == 1
    teacher.screenshot(path=tmp_path / "teacher-refused.png")
    print(f"board screenshots: {tmp_path}")
    # The browser logs the refused upload itself.
    assert len(problems) == 1
    assert "400" in problems[0]


def test_the_teacher_shows_a_section_of_the_lesson_page(
    teacher_and_pupil, live_session, tmp_path
):
    teacher, pupil, problems = teacher_and_pupil
    quiz = live_session["quiz"]
    expect(pupil.locator("#live-section")).to_be_hidden()

    teacher.locator(f'button[data-section-push="{quiz}"]').click()
    shown = pupil.locator(f'#live-section [data-section="{quiz}"]')
    expect(shown).to_be_visible()
    expect(pupil.locator("#live-section-heading")).to_be_focused()
    expect(
        teacher.locator(f'#live-section-list li[data-section="{quiz}"]')
    ).to_have_attribute("aria-current", "true")
    assert pupil.locator("#live-section [data-section]:visible").count() == 1
    content = pupil.content()
    assert live_session["note"] not in content
    assert "quiz-correct" not in content
    pupil.screenshot(path=tmp_path / "pupil-section.png", full_page=True)

    # A pupil who comes in later sees the section on show.
    pupil.reload()
    expect(pupil.locator("#board")).to_have_attribute("data-ready", "true")
    expect(shown).to_be_visible()
    teacher.locator("#section-hide").click()
    expect(pupil.locator("#live-section")).to_be_hidden()
    print(f"board screenshots: {tmp_path}")
    assert problems == []
