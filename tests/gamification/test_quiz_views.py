"""The live quiz's pages: join by code, play, host with its QR code, CSV export;
and starting a game from a lesson plan's quiz block."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from gamification.models import QuizGame, QuizPlayer
from gamification.quiz import services
from lessons.models import LessonPlan
from tests import factories
from tests.lessons.school_day.conftest import (
    ALSO_RIGHT,
    QUIZ_ID,
    RIGHT_CHOICE,
    client_for,
    library_lesson,
)

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"text": "2+2", "choices": ["3", "4"], "correct": [1], "time_limit": 20},
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def game(city):
    return services.quiz_game_create(
        host=city.teacher, title="Счёт", questions=QUESTIONS, class_group=city.class_in
    )


@pytest.fixture
def lesson(city):
    """Alice's lesson in 5А with a library lesson of two quizzes attached."""
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    LessonPlan.objects.create(
        lesson=lesson, page=library_lesson(city.maths), attached_by=city.teacher
    )
    return lesson


JOIN = reverse("gamification:quiz_join")


def test_a_pupil_joins_with_the_code_and_lands_on_the_play_page(city, game):
    client = client_for(city.pupil_in)
    assert client.get(JOIN, {"code": game.code}).status_code == 200
    response = client.post(JOIN, {"code": game.code})
    play = reverse("gamification:quiz_play", args=[game.pk])
    assert response.status_code == 302 and response["Location"] == play
    html = client.get(play).content.decode()
    assert f'data-socket="/ws/quiz/{game.pk}/"' in html
    assert "nonce=" in html


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [("pupil_out", None, 403), ("parent", None, 403), ("pupil_in", "999999x", 400)],
)
def test_a_refused_join_says_why_and_joins_nothing(city, game, persona, code, status):
    response = client_for(getattr(city, persona)).post(
        JOIN, {"code": code or game.code}
    )
    assert response.status_code == status
    assert b'id="quiz-join-error"' in response.content
    assert not QuizPlayer.objects.exists()


def test_joins_are_rate_limited(city, game):
    client = client_for(city.pupil_in)
    for _ in range(services.JOIN_LIMIT):
        client.post(JOIN, {"code": "000000"})
    assert client.post(JOIN, {"code": game.code}).status_code == 429
    assert not QuizPlayer.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(game):
    assert client_for(None).get(JOIN).status_code == 302


@pytest.mark.parametrize("persona", ["pupil_in", "pupil_out", "parent"])
def test_only_players_open_the_play_page(city, game, persona):
    url = reverse("gamification:quiz_play", args=[game.pk])
    assert client_for(getattr(city, persona)).get(url).status_code == 403


def test_the_host_page_shows_the_code_and_a_qr_code(city, game):
    html = (
        client_for(city.teacher)
        .get(reverse("gamification:quiz_host", args=[game.pk]))
        .content.decode()
    )
    assert 'id="quiz-code" aria-label' in html and game.code in html
    assert "<svg" in html and 'id="quiz-qr"' in html


@pytest.mark.parametrize("name", ["quiz_host", "quiz_results_csv"])
@pytest.mark.parametrize("persona", ["other_teacher", "pupil_in", "parent"])
def test_only_the_host_opens_the_host_page_and_export(city, game, name, persona):
    url = reverse(f"gamification:{name}", args=[game.pk])
    assert client_for(getattr(city, persona)).get(url).status_code == 404


def test_the_export_lists_players_best_first(city, game):
    services.quiz_join(user=city.pupil_in, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    game.refresh_from_db()
    services.quiz_answer(
        user=city.pupil_in, game_id=game.pk, question=0, choices=[1], at=game.opened_at
    )
    response = client_for(city.teacher).get(
        reverse("gamification:quiz_results_csv", args=[game.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["rank", "name", "username", "score"]
    assert rows[1][0] == "1" and rows[1][2] == "petya" and rows[1][3] == "1000"
    assert rows[1][5] == "1000"


# --- From a lesson plan


def test_the_plan_offers_each_quiz_block_as_a_live_game(city, lesson):
    html = (
        client_for(city.teacher)
        .get(reverse("lessons:plan", args=[lesson.pk]))
        .content.decode()
    )
    assert f'data-quiz-block="{QUIZ_ID}"' in html


def test_a_quiz_block_becomes_a_game_of_its_choice_questions(city, lesson):
    response = client_for(city.teacher).post(
        reverse("lessons:plan_quiz_game", args=[lesson.pk]), {"block": QUIZ_ID}
    )
    game = QuizGame.objects.get()
    assert response["Location"] == reverse("gamification:quiz_host", args=[game.pk])
    assert game.class_group == city.class_in and game.host == city.teacher
    assert len(game.questions) == 1  # the short-answer question is left out
    question = game.questions[0]
    assert question["correct"] == [0, 2]
    assert question["choices"][0] == RIGHT_CHOICE
    assert question["choices"][2] == ALSO_RIGHT


def test_the_teacher_is_told_which_questions_stay_out_of_the_game(city, lesson):
    client = client_for(city.teacher)
    plan_page = client.get(reverse("lessons:plan", args=[lesson.pk])).content.decode()
    assert (
        "Вопросы с кнопками ответов войдут в игру (1); 1 вопрос с вводом ответа "
        "останется в самостоятельной работе." in plan_page
    )
    host_page = client.post(
        reverse("lessons:plan_quiz_game", args=[lesson.pk]),
        {"block": QUIZ_ID},
        follow=True,
    ).content.decode()
    assert "1 вопрос с вводом ответа не вошёл в игру" in host_page


@pytest.mark.parametrize("persona", ["other_teacher", "pupil_in", "parent"])
def test_only_the_lessons_teacher_starts_a_game_from_it(city, lesson, persona):
    response = client_for(getattr(city, persona)).post(
        reverse("lessons:plan_quiz_game", args=[lesson.pk]), {"block": QUIZ_ID}
    )
    assert response.status_code == 404
    assert not QuizGame.objects.exists()


def test_an_unknown_block_is_refused_with_a_message(city, lesson):
    response = client_for(city.teacher).post(
        reverse("lessons:plan_quiz_game", args=[lesson.pk]), {"block": "nope"}
    )
    assert response.status_code == 302
    assert not QuizGame.objects.exists()
