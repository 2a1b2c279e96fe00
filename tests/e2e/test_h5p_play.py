"""A pupil plays an H5P game of the lesson in a real Chromium, confined.

The packages are built from our own H5P.MultiChoice and H5P.TrueFalse sources
(lessons/h5p/samples/) and uploaded through the real upload service into the
server's database and media folder; the player is h5p-standalone from
frontend/build/ (`make frontend`). These tests pin the statements the host page
sends; what the server records of them is the intake's tests' business.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.test_pages import horizontal_overflow, sign_in
from tests.integration import servers

pytestmark = pytest.mark.e2e

GAME_SCRIPT = """
import json
from school.models import Subject, User
from tests.lessons.h5p import install
from tests.lessons.school_day.conftest import library_lesson
petya = User.objects.get(username="petya")
alice = User.objects.get(username="alice")
class_one = petya.enrolments.get().class_group
maths = Subject.objects.get(code="mathematics")
body = install.game_body(install.sample_install())
for block_id, sample in (("multi", "fractions-multi"), ("tf", "fractions-true-false")):
    package = install.sample_install(sample)
    body.append({"type": "h5p", "id": block_id, "value": {"package": package.pk}})
page = library_lesson(maths, title="Дроби: игры", body=body)
plan = install.game_plan(class_one, maths, alice, page, number=7)
print(json.dumps({
    "page": page.pk, "lesson": plan.lesson_id, "block": install.GAME_ID,
    "right": install.RIGHT_ANSWER, "pupil": petya.pk,
}))
"""
# Run inside the sandboxed frame: what a malicious game could try.
CONFINEMENT_PROBE = """
async () => {
  const outcome = async (attempt) => {
    try {
      return "read " + await attempt();
    } catch (error) {
      return "threw " + error.name;
    }
  };
  const read = (url) => async () => {
    const response = await fetch(url, {credentials: "include"});
    return response.status + " " + (await response.text()).slice(0, 40);
  };
  return {
    origin: self.origin,
    cookie: await outcome(async () => document.cookie),
    parent: await outcome(async () => window.parent.document.title),
    api: await outcome(read("/api/v2/pages/")),
    page: await outcome(read("/library/games/")),
  };
}
"""


@pytest.fixture(scope="module")
def game(site) -> dict:
    return servers.run_script(GAME_SCRIPT, env=site.server.env)


def is_statement_post(request) -> bool:
    return request.method == "POST" and request.url.endswith("/statements/")


def is_state_saved(response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/state/")


def play_url(game: dict, block_id: str) -> str:
    return f"/library/lessons/{game['page']}/for/{game['lesson']}/h5p/{block_id}/"


def test_pupil_plays_the_game_and_the_statement_reaches_the_server(
    site, new_page, game
):
    page = new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, site, "petya")
    page.goto(site.url(f"/library/lessons/{game['page']}/for/{game['lesson']}/"))
    game_block = page.locator(f'.lesson-h5p[data-block-id="{game["block"]}"]')
    game_block.locator("a.h5p-play-link").click()

    expect(page.locator("#h5p-frame")).to_have_attribute("sandbox", "allow-scripts")
    frame = page.frame_locator("#h5p-frame")
    answer = frame.locator(".h5p-mc-answer", has_text=game["right"])
    expect(answer).to_be_visible()
    # The host sizes the frame to the game, so nothing scrolls inside it.
    page.wait_for_function("document.getElementById('h5p-frame').style.height")
    game_frame = next(f for f in page.frames if "/h5p/frame/" in f.url)
    inner = "document.documentElement.scrollHeight - window.innerHeight"
    assert game_frame.evaluate(inner) <= 1
    answer.click()
    with (
        page.expect_response(is_state_saved) as saved,
        page.expect_request(is_statement_post) as request,
    ):
        frame.locator(".h5p-mc-check").click()
    expect(frame.locator(".h5p-mc-feedback")).to_contain_text("1")
    assert saved.value.status == 204

    sent = json.loads(request.value.post_data)
    statement = sent["statement"]
    assert request.value.headers["x-csrftoken"]
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert statement["result"]["response"] == "0"
    assert statement["result"]["score"] == {"min": 0, "max": 1, "raw": 1, "scaled": 1}
    assert statement["result"]["success"] is True
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert sorted(choice["id"] for choice in definition["choices"]) == ["0", "1", "2"]
    assert definition["correctResponsesPattern"] == ["0"]
    assert sent["report"]["statement"]["result"]["response"] == "0"
    assert horizontal_overflow(page) == 0
    # The frame's strict policy let the player and the game run.
    assert not [text for text in problems if "Content Security Policy" in text]
    # The server re-scored the answer itself and the pupil is told so.
    expect(page.locator('#h5p-status[data-kind="verified"]')).to_contain_text("1/1")

    # Back later, the game resumes with the answer given (the saved state).
    page.reload()
    checked = page.frame_locator("#h5p-frame").locator('input[value="0"]')
    expect(checked).to_be_checked()

    teacher = new_page()
    sign_in(teacher, site, "alice")
    teacher.goto(
        site.url(f"/library/plan/{game['lesson']}/h5p/{game['block']}/results/")
    )
    row = teacher.locator(f'tr[data-pupil="{game["pupil"]}"]')
    attempt = row.locator('li[data-verification="verified"]')
    expect(attempt.locator(".h5p-attempt-score")).to_have_text("1/1")


def test_a_multiple_answer_game_played_with_the_keyboard_reports_click_order(
    site, new_page, game
):
    page = new_page()
    sign_in(page, site, "petya")
    page.goto(site.url(play_url(game, "multi")))
    frame = page.frame_locator("#h5p-frame")
    # Answers (content.json order): 2/4 ✓, 3/5, 5/10 ✓, 4/6; shown shuffled.
    for index in ("2", "1"):
        frame.locator(f'input[type="checkbox"][value="{index}"]').focus()
        page.keyboard.press("Space")
    frame.locator(".h5p-mc-check").focus()
    with page.expect_request(is_statement_post) as request:
        page.keyboard.press("Enter")
    result = json.loads(request.value.post_data)["statement"]["result"]
    assert result["response"] == "2[,]1"
    assert result["score"] == {"min": 0, "max": 2, "raw": 0, "scaled": 0}
    assert result["success"] is False
    expect(frame.locator(".h5p-mc-retry")).to_be_focused()


def test_a_true_false_game_reports_the_value_given(site, new_page, game):
    page = new_page()
    sign_in(page, site, "petya")
    page.goto(site.url(play_url(game, "tf")))
    frame = page.frame_locator("#h5p-frame")
    frame.locator('.h5p-tf-answer[data-value="false"]').click()
    with page.expect_request(is_statement_post) as request:
        frame.locator(".h5p-tf-check").click()
    statement = json.loads(request.value.post_data)["statement"]
    assert statement["object"]["definition"]["interactionType"] == "true-false"
    assert statement["object"]["definition"]["correctResponsesPattern"] == ["true"]
    assert statement["result"]["response"] == "false"
    assert statement["result"]["score"]["raw"] == 0


def test_the_game_cannot_reach_the_pupils_session(site, new_page, game):
    page = new_page()
    sign_in(page, site, "petya")
    from_frame = []
    page.on(
        "request",
        lambda r: from_frame.append(r) if "/h5p/frame/" in r.frame.url else None,
    )
    page.goto(site.url(play_url(game, game["block"])))
    game_frame = page.frame_locator("#h5p-frame")
    expect(game_frame.locator(".h5p-mc-answer").first).to_be_visible()
    frame = next(f for f in page.frames if "/h5p/frame/" in f.url)
    found = frame.evaluate(CONFINEMENT_PROBE)
    # The same probe on the host page (same origin, the pupil's session) can read.
    host = page.evaluate(CONFINEMENT_PROBE)
    assert host["api"].startswith("read 200")
    assert host["page"].startswith("read 200")
    assert found["origin"] == "null"
    assert found["cookie"].startswith("threw")
    assert found["parent"].startswith("threw")
    assert found["api"].startswith("threw")
    assert found["page"].startswith("threw")
    # The player's files, the library code and the probes went without the session.
    files = [r for r in from_frame if "/h5p/files/" in r.url]
    assert any("/h5p/files/libraries/" in r.url for r in files)
    assert all(
        "cookie" not in r.all_headers() for r in from_frame if r.url != frame.url
    )
