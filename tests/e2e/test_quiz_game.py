"""A live quiz game in real browsers: the teacher hosts, two pupils play three
questions, and one of them reloads mid-game and comes back to the same score."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import serious_violations
from tests.e2e.test_pages import horizontal_overflow, sign_in
from tests.integration import servers

pytestmark = pytest.mark.e2e

GAME_SCRIPT = """
import json
from gamification.quiz import services
from school.models import User
from tests import factories
petya = User.objects.get(username="petya")
alice = User.objects.get(username="alice")
class_one = petya.enrolments.get().class_group
factories.make_pupil(class_one, username="dasha", first_name="Даша")
game = services.quiz_game_create(
    host=alice,
    title="Устный счёт",
    class_group=class_one,
    questions=[
        {"text": "2+2", "choices": ["3", "4", "5"], "correct": [1], "time_limit": 60},
        {"text": "3·3", "choices": ["9", "6"], "correct": [0], "time_limit": 60},
        {"text": "10−7", "choices": ["2", "3", "4"], "correct": [1], "time_limit": 60},
    ],
)
print(json.dumps({"id": game.pk, "code": game.code}))
"""


def score_of(page) -> int:
    return int(page.locator("#quiz-score").inner_text())


def join(page, site, username: str, code: str) -> None:
    sign_in(page, site, username)
    page.goto(site.url("/points/quiz/join/"))
    page.locator("#quiz-code").fill(code)
    page.locator("#quiz-join button[type=submit]").click()
    expect(page.locator("#quiz-play")).to_have_attribute("data-connected", "true")
    expect(page.locator("[data-panel=lobby]")).to_be_visible()


def host_command(host, command: str, panel: str) -> None:
    host.locator(f"[data-panel] [data-command={command}]").click()
    expect(host.locator(f"[data-panel={panel}]")).to_be_visible()


def answer(page, index: int) -> None:
    page.locator(f'#quiz-choices button[data-choice="{index}"]').click()
    expect(page.locator('[data-feedback="accepted"]')).to_be_visible()


def test_a_class_plays_a_quiz_and_a_reload_keeps_the_score(site, new_page):
    game = servers.run_script(GAME_SCRIPT, env=site.server.env)
    host = new_page({"width": 1280, "height": 800})
    sign_in(host, site, "alice")
    host.goto(site.url(f"/points/quiz/{game['id']}/host/"))
    expect(host.locator("#quiz-code")).to_have_text(game["code"])
    expect(host.locator("#quiz-qr svg")).to_be_visible()
    expect(host.locator("#quiz-host")).to_have_attribute("data-connected", "true")

    petya, dasha = new_page(), new_page()
    join(petya, site, "petya", game["code"])
    join(dasha, site, "dasha", game["code"])
    expect(host.locator("#quiz-lobby li")).to_have_count(2)
    assert horizontal_overflow(petya) == 0

    # The host puts the game on the projector: the screen is the game alone.
    host.locator("#quiz-projector").click()
    expect(host.locator("#quiz-projector")).to_have_attribute("aria-pressed", "true")
    shown = host.locator("#quiz-host").bounding_box()
    assert (shown["width"], shown["height"]) == (1280, 800)

    # Question 1: Petya right, Dasha wrong.
    host_command(host, "start", "question")
    timer = host.locator(".quiz-timer").evaluate("e => getComputedStyle(e).fontSize")
    assert float(timer.removesuffix("px")) >= 80  # read from the back of the room
    expect(petya.locator("#quiz-choices button")).to_have_count(3)
    # One right answer: a tap sends it, no «Send» button.
    expect(petya.locator("#quiz-send")).to_be_hidden()
    expect(host.locator("#quiz-answer-total")).to_have_text("2")
    answer(petya, 1)
    expect(host.locator("#quiz-answer-count")).to_have_text("1")
    answer(dasha, 0)
    expect(host.locator("#quiz-answer-count")).to_have_text("2")
    host_command(host, "reveal", "reveal")
    expect(petya.locator("[data-panel=reveal]")).to_be_visible()
    expect(petya.locator('[data-verdict="right"]')).to_be_visible()
    expect(dasha.locator('[data-verdict="wrong"]')).to_be_visible()
    expect(host.locator("#quiz-bars li")).to_have_count(3)
    expect(host.locator('#quiz-bars li[data-correct="true"]')).to_have_attribute(
        "data-count", "1"
    )
    after_one = score_of(petya)
    assert after_one > 500
    assert score_of(dasha) == 0

    # Question 2: Petya answers, then reloads before the reveal.
    host_command(host, "next", "question")
    answer(petya, 0)
    petya.reload()
    expect(petya.locator("#quiz-play")).to_have_attribute("data-connected", "true")
    expect(petya.locator("[data-panel=question]")).to_be_visible()
    assert score_of(petya) == after_one
    expect(petya.locator("#quiz-choices button").first).to_be_disabled()
    answer(dasha, 0)
    host_command(host, "reveal", "reveal")
    expect(petya.locator('[data-verdict="right"]')).to_be_visible()
    expect(petya.locator("#quiz-score")).not_to_have_text(str(after_one))
    after_two = score_of(petya)
    assert after_two > after_one

    # Question 3 by keyboard: the keys 1–3 pick the choices.
    host_command(host, "next", "question")
    expect(dasha.locator("#quiz-choices button")).to_have_count(3)
    dasha.keyboard.press("2")
    expect(dasha.locator('[data-feedback="accepted"]')).to_be_visible()
    petya.locator('#quiz-choices button[data-choice="0"]').focus()
    petya.keyboard.press("Enter")
    expect(petya.locator('[data-feedback="accepted"]')).to_be_visible()
    host_command(host, "reveal", "reveal")
    host_command(host, "next", "finished")

    expect(petya.locator("[data-panel=finished]")).to_be_visible()
    expect(host.locator("#quiz-podium li")).to_have_count(2)
    assert serious_violations(host) == []
    assert serious_violations(petya) == []
    expect(host.locator("#quiz-podium li").first).to_contain_text(str(after_two))
    expect(petya.locator("#quiz-rank")).to_have_text("1")
    # Answers within 60 ms of a 60 s question all earn 1000: Даша, right twice
    # in a row at the end, may tie with Петя, and a tie shares the rank.
    tied = score_of(dasha) == score_of(petya)
    expect(dasha.locator("#quiz-rank")).to_have_text("1" if tied else "2")
    assert re.fullmatch(
        r"\d+", host.locator("#quiz-podium li .quiz-points").first.inner_text()
    )
    assert host.locator("#quiz-export").get_attribute("href").endswith("results.csv")
