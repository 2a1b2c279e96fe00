"""The live quiz honours "hide my name" as the leaderboards do: the host's lobby,
the "joined" event, the top five and the podium show a hidden player instead.
Personas: tests/conftest.py `city`."""

import pytest
from django.utils import translation

from gamification import class_points
from gamification.models import QuizGame
from gamification.quiz import payloads, services
from tests import factories

pytestmark = pytest.mark.django_db

QUESTIONS = [{"text": "2+2", "choices": ["3", "4"], "correct": [1], "time_limit": 20}]
HIDDEN = "Hidden player"


@pytest.fixture
def game(city):
    game = services.quiz_game_create(
        host=city.teacher, title="Счёт", questions=QUESTIONS, class_group=city.class_in
    )
    masha = factories.make_pupil(city.class_in, first_name="Маша", last_name="Ли")
    class_points.hide_name_set(pupil=city.pupil_in, hide=True)
    for pupil in (city.pupil_in, masha):
        services.quiz_join(user=pupil, code=game.code)
    return QuizGame.objects.get(pk=game.pk)


def test_the_lobby_hides_the_name_of_a_pupil_who_asked(city, game):
    with translation.override("en"):
        lobby = payloads.state_payload(game, user_id=city.teacher.pk, is_host=True)[
            "lobby"
        ]
    assert sorted(lobby) == sorted([HIDDEN, "Маша Л."])
    assert city.pupil_in.first_name not in str(lobby)


def test_the_top_five_and_the_podium_hide_it_too(city, game):
    with translation.override("en"):
        top = payloads.results_payload(game, 0)["top"]
        podium = payloads.podium_payload(game)["podium"]
    for shown in (top, podium):
        names = [entry["name"] for entry in shown]
        assert HIDDEN in names and "Маша Л." in names
        assert city.pupil_in.first_name not in str(names)
