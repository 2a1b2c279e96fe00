"""Links to live lessons on the home page and in the diary, for each persona."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pycrdt import Array, Doc, Map

from tests import factories
from whiteboard import live
from whiteboard.models import Board
from whiteboard.services import board_create, board_updates_append

pytestmark = pytest.mark.django_db

OUTSIDERS = ["pupil_out", "parent", "other_parent", "teacher", "other_teacher"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


def draw_on(board: Board) -> None:
    """Something on the board: one update in its log, as a socket appends it."""
    doc = Doc()
    doc["pages"] = Array([Map({"id": "1", "title": "Дроби"})])
    board_updates_append(board_id=board.pk, updates=[doc.get_update()])


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def session(city, lesson):
    return live.live_session_start(teacher=city.teacher, lesson=lesson)


def home(user) -> str:
    response = client_for(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def diary_lesson(user, pupil, lesson) -> str:
    """The diary's item of one lesson, as `user` sees the pupil's week."""
    response = client_for(user).get(reverse("diary:week", args=[pupil.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    item = re.search(rf'<li[^>]*data-lesson="{lesson.pk}".*?</li>', page, re.S)
    assert item, f"no lesson {lesson.pk} in the diary"
    return item[0]


def queries_of(client, url) -> int:
    client.get(url)  # the session and the login are warm now
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def room_of(session) -> str:
    return reverse("whiteboard:live_room", args=[session.pk])


def board_page_of(session) -> str:
    return reverse("whiteboard:board_view", args=[session.board_id])


# --- The home page


def test_a_pupil_of_the_class_sees_the_join_card_while_the_lesson_is_live(
    city, session
):
    page = home(city.pupil_in)
    card = re.search(r'<section class="card live-now".*?</section>', page, re.S)
    assert card and f'data-live-session="{session.pk}"' in card[0]
    assert f'href="{room_of(session)}"' in card[0]
    assert city.maths.name in card[0]
    assert city.teacher.short_name in card[0]
    # The card comes first, before anything else on the page.
    assert page.index("live-now") < page.index('data-role="pupil"')

    live.live_session_end(teacher=city.teacher, session=session)
    page = home(city.pupil_in)
    assert "live-now" not in page
    assert room_of(session) not in page


def test_the_card_names_the_substitute_who_gives_the_lesson(city, lesson):
    substitute = factories.make_teacher(city.class_in, city.maths, last_name="Замена")
    lesson.substitute = substitute
    lesson.save(update_fields=["substitute"])
    live.live_session_start(teacher=substitute, lesson=lesson)
    assert substitute.short_name in home(city.pupil_in)


def test_every_pupil_may_join_with_a_code(city, session):
    page = home(city.pupil_out)
    assert f'href="{reverse("whiteboard:live_join")}"' in page
    assert "live-now" not in page and room_of(session) not in page


@pytest.mark.parametrize("persona", ["parent", "other_parent", "teacher", "admin_one"])
def test_no_join_link_for_anyone_but_pupils(city, session, persona):
    page = home(getattr(city, persona))
    assert "live-now" not in page and "live-join-by-code" not in page
    assert room_of(session) not in page


def test_the_pupils_home_costs_the_same_however_many_lessons_are_live(
    city, django_assert_num_queries
):
    client = client_for(city.pupil_in)
    none = queries_of(client, "/")
    lessons = [
        factories.make_lesson(city.class_in, city.maths, city.teacher, number=n)
        for n in (1, 2, 3)
    ]
    live.live_session_start(teacher=city.teacher, lesson=lessons[0])
    with django_assert_num_queries(none):
        assert client.get("/").content.decode().count("card live-now") == 1
    for lesson in lessons[1:]:
        live.live_session_start(teacher=city.teacher, lesson=lesson)
    with django_assert_num_queries(none):
        assert client.get("/").content.decode().count("card live-now") == 3


# --- The diary


def test_the_pupil_joins_from_the_diary_while_the_lesson_is_live(city, lesson, session):
    draw_on(session.board)
    item = diary_lesson(city.pupil_in, city.pupil_in, lesson)
    assert f'href="{room_of(session)}"' in item
    assert "live-board-link" not in item  # the board is still being drawn on


def test_the_days_fragment_carries_the_join_link_too(city, lesson, session):
    url = reverse("diary:day", args=[city.pupil_in.pk, lesson.date.isoformat()])
    fragment = client_for(city.pupil_in).get(url).content.decode()
    assert f'href="{room_of(session)}"' in fragment


@pytest.mark.parametrize("persona", ["parent", "teacher"])
def test_others_following_the_diary_get_no_join_link(city, lesson, session, persona):
    draw_on(session.board)
    item = diary_lesson(getattr(city, persona), city.pupil_in, lesson)
    assert room_of(session) not in item and "live-join-link" not in item
    assert "live-board-link" not in item


def test_after_the_end_the_pupil_opens_the_board_from_the_diary(city, lesson, session):
    draw_on(session.board)
    live.live_session_end(teacher=city.teacher, session=session)
    item = diary_lesson(city.pupil_in, city.pupil_in, lesson)
    assert f'href="{board_page_of(session)}"' in item
    assert room_of(session) not in item


def test_after_the_end_the_parent_opens_the_board_from_the_diary(city, lesson, session):
    draw_on(session.board)
    live.live_session_end(teacher=city.teacher, session=session)
    item = diary_lesson(city.parent, city.pupil_in, lesson)
    assert f'href="{board_page_of(session)}"' in item
    assert client_for(city.parent).get(board_page_of(session)).status_code == 200


def test_another_familys_parent_cannot_even_open_the_diary(city, lesson, session):
    draw_on(session.board)
    url = reverse("diary:week", args=[city.pupil_in.pk])
    assert client_for(city.other_parent).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "admin_one"])
def test_staff_reading_a_diary_get_no_live_links(city, lesson, session, persona):
    """The links are the family's; staff have the lesson's own pages."""
    draw_on(session.board)
    live.live_session_end(teacher=city.teacher, session=session)
    item = diary_lesson(getattr(city, persona), city.pupil_in, lesson)
    assert "live-board-link" not in item and "live-join-link" not in item


def test_an_empty_board_gets_no_link(city, lesson, session):
    live.live_session_end(teacher=city.teacher, session=session)
    item = diary_lesson(city.pupil_in, city.pupil_in, lesson)
    assert "live-board-link" not in item and "live-join-link" not in item


def test_a_board_prepared_without_a_live_lesson_is_linked_once_drawn_on(city, lesson):
    board = board_create(created_by=city.teacher, lesson=lesson)
    assert "live-board-link" not in diary_lesson(city.pupil_in, city.pupil_in, lesson)
    draw_on(board)
    item = diary_lesson(city.pupil_in, city.pupil_in, lesson)
    assert f'href="{reverse("whiteboard:board_view", args=[board.pk])}"' in item


def test_a_pupil_of_another_class_sees_neither_link(city, lesson, session):
    draw_on(session.board)
    response = client_for(city.pupil_out).get(
        reverse("diary:week", args=[city.pupil_out.pk])
    )
    page = response.content.decode()
    assert room_of(session) not in page and board_page_of(session) not in page


# Extra queries on a week with drawn boards: the open sessions, and the board
# policy once per class (none for a parent while the policy names no parents).
EXTRA_WITH_BOARDS = {"pupil_in": 2, "parent": 2, "teacher": 0}


@pytest.mark.parametrize("persona", EXTRA_WITH_BOARDS)
def test_the_diary_week_costs_the_same_however_many_lessons_have_boards(
    city, persona, django_assert_num_queries
):
    client = client_for(getattr(city, persona))
    url = reverse("diary:week", args=[city.pupil_in.pk])
    lessons = [
        factories.make_lesson(city.class_in, city.maths, city.teacher, number=n)
        for n in range(1, 7)
    ]
    without = queries_of(client, url)

    first = live.live_session_start(teacher=city.teacher, lesson=lessons[0])
    draw_on(first.board)
    live.live_session_end(teacher=city.teacher, session=first)
    with_one = queries_of(client, url)
    assert with_one - without <= EXTRA_WITH_BOARDS[persona]

    for lesson in lessons[1:]:
        session = live.live_session_start(teacher=city.teacher, lesson=lesson)
        draw_on(session.board)
        if lesson != lessons[-1]:
            live.live_session_end(teacher=city.teacher, session=session)
    with django_assert_num_queries(with_one):
        page = client.get(url).content.decode()
    if persona == "pupil_in":
        assert page.count("live-board-link") == 5
        assert page.count("live-join-link") == 1
    else:
        assert "live-join-link" not in page
