"""A pupil's games page: the H5P blocks of the lessons attached to their class,
newest first, with their best score; a bounded number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.h5p.games import games_for_pupil
from lessons.h5p.models import H5PAttempt, Verification
from school.models.timetable import LessonStatus
from tests.lessons.h5p import install
from tests.lessons.h5p.media import media_root_prepare
from tests.lessons.school_day.conftest import client_for, library_lesson

pytestmark = pytest.mark.django_db

GAMES = reverse("lessons:h5p_games")


@pytest.fixture
def package(settings, tmp_path):
    media_root_prepare(settings, tmp_path)
    return install.sample_install()


def attach(city, package, *, title: str, days: int = 0, number: int = 1, **where):
    page = library_lesson(
        city.maths, title=title, body=install.game_body(package, title=title)
    )
    return install.game_plan(
        where.get("class_group", city.class_in),
        city.maths,
        where.get("teacher", city.teacher),
        page,
        days=days,
        number=number,
    )


def attempt(plan, pupil, package, raw: str, max_score: str = "1"):
    return H5PAttempt.objects.create(
        pupil=pupil,
        lesson=plan.lesson,
        page=plan.page,
        block_id=install.GAME_ID,
        package=package,
        raw_score=Decimal(raw),
        max_score=Decimal(max_score),
        verification=Verification.VERIFIED,
        statement={},
    )


def titles(response) -> list[str]:
    return [game.title for game in response.context["games"]]


def test_a_pupil_sees_the_games_of_their_class_newest_first(city, package):
    yesterday = attach(city, package, title="Вчерашняя", days=-1)
    next_week = attach(city, package, title="Через неделю", days=7, number=2)
    attach(city, package, title="Через месяц", days=30, number=3)
    cancelled = attach(city, package, title="Отменённая", days=-2, number=4)
    cancelled.lesson.status = LessonStatus.CANCELLED
    cancelled.lesson.save(update_fields=["status"])
    attach(
        city,
        package,
        title="Чужая",
        class_group=city.class_out,
        teacher=city.other_teacher,
    )
    response = client_for(city.pupil_in).get(GAMES)
    assert response.status_code == 200
    assert titles(response) == ["Через неделю", "Вчерашняя"]
    html = response.content.decode()
    play = reverse(
        "lessons:h5p_play",
        args=[yesterday.page_id, yesterday.lesson_id, install.GAME_ID],
    )
    assert f'href="{play}"' in html
    assert next_week.page.title in html


def test_each_game_shows_the_pupils_best_score_and_attempts(city, package):
    plan = attach(city, package, title="Игра")
    attempt(plan, city.pupil_in, package, "0")
    attempt(plan, city.pupil_in, package, "1")
    attempt(plan, city.pupil_out, package, "1")
    attempt(plan, city.pupil_out, package, "1")
    response = client_for(city.pupil_in).get(GAMES)
    (game,) = response.context["games"]
    assert (game.best, game.max_score, game.attempts) == (Decimal(1), Decimal(1), 2)
    assert 'data-raw="1" data-max="1"' in response.content.decode()


def test_an_unplayed_game_has_no_score(city, package):
    attach(city, package, title="Игра")
    (game,) = client_for(city.pupil_in).get(GAMES).context["games"]
    assert (game.best, game.attempts) == (None, 0)


def test_the_teachers_own_draft_is_listed_as_the_class_sees_it(city, package):
    page = library_lesson(city.maths, title="Черновик", live=False, body=[])
    page.owner = city.teacher
    page.save(update_fields=["owner"])
    page.body = install.game_body(package, title="Игра из черновика")
    page.save_revision(user=city.teacher)
    install.game_plan(city.class_in, city.maths, city.teacher, page)
    games = games_for_pupil(city.pupil_in, today=timezone.localdate())
    assert [game.title for game in games] == ["Игра из черновика"]


@pytest.mark.parametrize("who", ["teacher", "parent", "admin_one"])
def test_only_pupils_have_a_games_page(city, who):
    assert client_for(getattr(city, who)).get(GAMES).status_code == 404


def test_a_visitor_is_sent_to_sign_in(db):
    assert Client().get(GAMES).status_code == 302


def test_the_navigation_offers_games_to_pupils_only(city):
    home = reverse("home")
    assert f'href="{GAMES}"' in client_for(city.pupil_in).get(home).content.decode()
    assert f'href="{GAMES}"' not in client_for(city.parent).get(home).content.decode()


def queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(GAMES).status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_games(city, package):
    client = client_for(city.pupil_in)
    first = attach(city, package, title="Игра 1")
    attempt(first, city.pupil_in, package, "1")
    one = queries_for_page(client)
    for number in range(2, 6):
        plan = attach(
            city, package, title=f"Игра {number}", days=-number, number=number
        )
        attempt(plan, city.pupil_in, package, "0")
    draft = library_lesson(city.maths, title="Черновик", live=False, body=[])
    draft.owner = city.teacher
    draft.save(update_fields=["owner"])
    draft.body = install.game_body(package)
    draft.save_revision(user=city.teacher)
    install.game_plan(city.class_in, city.maths, city.teacher, draft, days=-9)
    assert len(client.get(GAMES).context["games"]) == 6
    assert queries_for_page(client) <= one + 1  # + the drafts' revisions, once
