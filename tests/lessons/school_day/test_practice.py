"""Self-paced practice: scored on the server from the stored body, every attempt
kept, right/wrong per question only after sending, never the correct answers."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lessons.models import PracticeAttempt
from lessons.services import practice_attempt_submit
from tests.lessons.school_day.conftest import (
    ACCEPTED,
    ALSO_RIGHT,
    QUIZ_ID,
    RIGHT_CHOICE,
    SECOND_QUIZ_ID,
    client_for,
    library_lesson,
)

pytestmark = pytest.mark.django_db


def submit(pupil, page, answers, block_id=QUIZ_ID):
    return practice_attempt_submit(
        pupil=pupil, page=page, block_id=block_id, answers=answers
    )


@pytest.mark.parametrize(
    ("answers", "marked"),
    [
        ([[0, 2], ACCEPTED], [True, True]),
        ([[2, 0], "  семь   десятых ёлки "], [True, True]),
        ([[0, 2], "СЕМЬ ДЕСЯТЫХ ЕЛКИ"], [True, True]),
        ([[0, 2], "ноль целых семь десятых"], [True, True]),
        ([[0], ACCEPTED], [False, True]),
        ([[0, 1, 2], ACCEPTED], [False, True]),
        ([[1], "семь десятых"], [False, False]),
    ],
)
def test_scoring(city, plan, answers, marked):
    attempt, result = submit(city.pupil_in, plan.page, answers)
    assert result == marked
    assert (attempt.score, attempt.max_score) == (sum(marked), 2)


def test_every_attempt_is_kept(city, plan):
    submit(city.pupil_in, plan.page, [[1], "нет"])
    submit(city.pupil_in, plan.page, [[0, 2], ACCEPTED])
    submit(city.pupil_in, plan.page, [[0, 2]], block_id=SECOND_QUIZ_ID)
    scores = PracticeAttempt.objects.filter(pupil=city.pupil_in).order_by("pk")
    assert [(a.block_id, a.score) for a in scores] == [
        (QUIZ_ID, 0),
        (QUIZ_ID, 2),
        (SECOND_QUIZ_ID, 1),
    ]


@pytest.mark.parametrize(
    ("block_id", "answers"),
    [
        ("no-such-block", [[0], ""]),
        ("p", [[0], ""]),  # a paragraph, not a quiz
        ("n", [[0], ""]),  # teacher notes
        (QUIZ_ID, [[0]]),  # too few answers
        (QUIZ_ID, [[0], "", "x"]),  # too many
        (QUIZ_ID, {"0": [0]}),
        (QUIZ_ID, [0, ""]),  # a choice answer must be a list
        (QUIZ_ID, [[3], ""]),  # no such choice
        (QUIZ_ID, [[-1], ""]),
        (QUIZ_ID, [[True], ""]),
        (QUIZ_ID, [["0"], ""]),
        (QUIZ_ID, [[0, 0], ""]),
        (QUIZ_ID, [[0], ["text"]]),  # a short answer must be text
        (QUIZ_ID, [[0], "я" * 256]),
        (QUIZ_ID, [[], ACCEPTED]),  # a question left blank: not handed in
        (QUIZ_ID, [[0, 2], "   "]),
    ],
)
def test_bad_input_stores_nothing(city, plan, block_id, answers):
    with pytest.raises(ValidationError):
        submit(city.pupil_in, plan.page, answers, block_id=block_id)
    assert not PracticeAttempt.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "parent", "pupil_out", "admin_one"])
def test_only_pupils_of_the_class_practise(city, plan, persona):
    with pytest.raises(PermissionDenied):
        submit(getattr(city, persona), plan.page, [[0, 2], ACCEPTED])
    assert not PracticeAttempt.objects.exists()


def test_a_page_attached_nowhere_for_the_pupil_cannot_be_practised(city, plan):
    stray = library_lesson(city.maths, title="Не прикреплён")
    with pytest.raises(PermissionDenied):
        submit(city.pupil_in, stray, [[0, 2], ACCEPTED])


def practice_url(plan, block_id=QUIZ_ID) -> str:
    return reverse(
        "lessons:practice_submit", args=[plan.page_id, plan.lesson_id, block_id]
    )


def post_json(client, url, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("answers", [[[0, 2], ""], [[], ACCEPTED]])
def test_an_attempt_with_a_blank_question_tells_nothing(city, plan, answers):
    """Trying one question at a time would find its answer before handing in."""
    client = client_for(city.pupil_in)
    response = post_json(client, practice_url(plan), {"answers": answers})
    assert response.status_code == 400
    assert "right" not in response.json()
    assert "score" not in response.json()
    assert not PracticeAttempt.objects.exists()


def test_json_answers_get_right_and_wrong_but_no_key(city, plan):
    client = client_for(city.pupil_in)
    response = post_json(client, practice_url(plan), {"answers": [[0], ACCEPTED]})
    assert response.status_code == 200
    data = response.json()
    assert data["score"] == 1
    assert data["max_score"] == 2
    assert data["questions"] == [
        {"number": 1, "right": False},
        {"number": 2, "right": True},
    ]
    text = response.content.decode()
    assert RIGHT_CHOICE not in text and ALSO_RIGHT not in text
    assert "correct" not in text


@pytest.mark.parametrize(
    ("block_id", "payload"),
    [
        (QUIZ_ID, "not json"),
        (QUIZ_ID, [[0], ""]),
        (QUIZ_ID, {"answer": []}),
        (QUIZ_ID, {"answers": [[9], ""]}),
        (QUIZ_ID, {"answers": [[0], "x" * 20000]}),
        ("p", {"answers": [[0], ""]}),
        ("unknown", {"answers": [[0], ""]}),
    ],
)
def test_bad_json_is_a_clear_400(city, plan, block_id, payload):
    response = post_json(
        client_for(city.pupil_in), practice_url(plan, block_id), payload
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PracticeAttempt.objects.exists()


def test_form_shows_right_and_wrong_after_sending(city, plan):
    client = client_for(city.pupil_in)
    response = client.post(practice_url(plan), {"q-0": ["0"], "q-1": "семь десятых"})
    assert response.status_code == 200
    html = response.content.decode()
    quiz = html.split('id="quiz-quiz-one"')[1].split("</section>")[0]
    assert quiz.count('class="verdict wrong"') == 2
    assert 'class="verdict right"' not in quiz
    assert 'class="practice-score"' in quiz
    # The pupil's own choice comes back ticked, nothing reveals the key.
    assert quiz.count("checked") == 1
    assert ACCEPTED not in html and "correct" not in html
    assert PracticeAttempt.objects.get().answers == [[0], "семь десятых"]


def test_form_before_sending_shows_no_verdict(city, plan):
    html = client_for(city.pupil_in).get(
        reverse("lessons:pupil_lesson", args=[plan.page_id, plan.lesson_id])
    )
    assert "verdict" not in html.content.decode()


@pytest.mark.parametrize(
    "data", [{"q-0": ["zero"], "q-1": ""}, {"q-0": ["0", "0"]}, {"q-1": "я" * 300}]
)
def test_bad_form_is_a_400_with_the_reason(city, plan, data):
    response = client_for(city.pupil_in).post(practice_url(plan), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not PracticeAttempt.objects.exists()


def test_form_for_a_block_that_is_not_a_quiz_is_400(city, plan):
    response = client_for(city.pupil_in).post(practice_url(plan, "h"), {"q-0": "0"})
    assert response.status_code == 400
    assert not PracticeAttempt.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher", 403),
        ("parent", 403),
        ("pupil_out", 404),
        ("other_parent", 404),
        ("other_teacher", 404),
        ("admin_two", 404),
    ],
)
def test_who_may_send_answers(city, plan, persona, status):
    client = client_for(getattr(city, persona))
    response = post_json(client, practice_url(plan), {"answers": [[0, 2], ACCEPTED]})
    assert response.status_code == status
    assert not PracticeAttempt.objects.exists()


def test_get_is_not_allowed(city, plan):
    assert client_for(city.pupil_in).get(practice_url(plan)).status_code == 405
