"""Live lessons through their services: starting, codes, the pen, the end."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from tests import factories
from whiteboard import access, live, selectors
from whiteboard.models import Board, LiveSession, Pen, Presence
from whiteboard.services import board_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def session(city, lesson):
    return live.live_session_start(teacher=city.teacher, lesson=lesson)


def test_starting_gives_the_lesson_a_board_and_a_readable_code(city, lesson, session):
    assert session.board.lesson == lesson
    assert len(session.code) == 6
    assert set(session.code) <= set(live.CODE_ALPHABET)
    assert not set(session.code) & set("01OIL")


def test_starting_again_returns_the_open_session(city, lesson, session):
    again = live.live_session_start(teacher=city.teacher, lesson=lesson)
    assert again.pk == session.pk
    assert LiveSession.objects.count() == 1


def test_a_session_uses_the_board_the_teacher_prepared(city, lesson):
    prepared = board_create(created_by=city.teacher, lesson=lesson)
    started = live.live_session_start(teacher=city.teacher, lesson=lesson)
    assert started.board_id == prepared.pk
    assert Board.objects.count() == 1


def test_after_the_end_a_new_session_starts_on_the_same_board(city, lesson, session):
    live.live_session_end(teacher=city.teacher, session=session)
    second = live.live_session_start(teacher=city.teacher, lesson=lesson)
    assert second.pk != session.pk
    assert second.board_id == session.board_id


def test_two_open_sessions_of_one_lesson_are_refused_by_the_database(
    city, lesson, session
):
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveSession.objects.create(
            lesson=lesson, board=session.board, started_by=city.teacher, code="ZZZZZZ"
        )


@pytest.mark.parametrize("persona", ["other_teacher", "pupil_in", "parent"])
def test_only_the_teacher_who_gives_the_lesson_starts_it(city, lesson, persona):
    with pytest.raises(PermissionDenied):
        live.live_session_start(teacher=getattr(city, persona), lesson=lesson)
    assert not LiveSession.objects.exists()


def test_a_substitute_starts_the_lesson_they_give(city, lesson):
    lesson.substitute = factories.make_teacher(city.class_in, city.maths)
    lesson.save(update_fields=["substitute"])
    with pytest.raises(PermissionDenied):
        live.live_session_start(teacher=city.teacher, lesson=lesson)
    assert live.live_session_start(teacher=lesson.substitute, lesson=lesson)


# --- Join codes


def test_a_pupil_of_the_class_finds_the_session_by_its_code(city, session):
    code = f"  {session.code.lower()} "
    assert selectors.live_session_find_by_code(user=city.pupil_in, code=code) == session


def test_a_code_of_another_class_lets_nobody_in(city, session):
    for persona in ("pupil_out", "parent", "other_teacher"):
        user = getattr(city, persona)
        assert selectors.live_session_find_by_code(user=user, code=session.code) is None


def test_the_code_of_an_ended_session_finds_nothing(city, session):
    live.live_session_end(teacher=city.teacher, session=session)
    found = selectors.live_session_find_by_code(user=city.pupil_in, code=session.code)
    assert found is None


def test_open_sessions_of_a_pupils_classes_are_listed_for_join(city, session):
    assert selectors.live_sessions_open_for_pupil(pupil=city.pupil_in) == [session]
    assert selectors.live_sessions_open_for_pupil(pupil=city.pupil_out) == []


# --- Access


def test_roles_in_a_session(city, session):
    assert access.live_role(city.teacher, session) is access.LiveRole.TEACHER
    assert access.live_role(city.pupil_in, session) is access.LiveRole.PUPIL
    for persona in ("pupil_out", "parent", "other_parent", "other_teacher"):
        assert access.live_role(getattr(city, persona), session) is None


def test_a_pupil_cannot_control_and_a_teacher_cannot_join_as_pupil(city, session):
    with pytest.raises(Http404):
        access.get_live_session_to_control(city.pupil_in, session.pk)
    with pytest.raises(Http404):
        access.get_live_session_to_join(city.teacher, session.pk)
    assert access.get_live_session_to_control(city.teacher, session.pk) == session


# --- The pen


def test_the_pen_goes_to_one_pupil_then_to_everyone_then_back(city, session):
    classmate = factories.make_pupil(city.class_in)
    live.live_pen_give(teacher=city.teacher, session=session, pupil=city.pupil_in)
    assert selectors.board_pen_holders(board_id=session.board_id) == {city.pupil_in.pk}

    live.live_pen_give(teacher=city.teacher, session=session, everyone=True)
    assert selectors.board_pen_holders(board_id=session.board_id) == {
        city.pupil_in.pk,
        classmate.pk,
    }

    live.live_pen_take(teacher=city.teacher, session=session)
    assert selectors.board_pen_holders(board_id=session.board_id) == set()


def test_the_pen_cannot_go_outside_the_class(city, session):
    with pytest.raises(ValidationError):
        live.live_pen_give(teacher=city.teacher, session=session, pupil=city.pupil_out)
    session.refresh_from_db()
    assert session.pen == Pen.NONE


def test_nobody_but_the_teacher_hands_the_pen_over(city, session):
    with pytest.raises(PermissionDenied):
        live.live_pen_give(teacher=city.pupil_in, session=session, everyone=True)
    assert selectors.board_pen_holders(board_id=session.board_id) == set()


def test_follow_me_and_the_pushed_section_are_kept_for_latecomers(city, session):
    follow = {"page": "p1", "viewport": {"x": 1.0, "y": 2.0, "zoom": 1.5}}
    live.live_follow_set(teacher=city.teacher, session=session, follow=follow)
    live.live_section_push(teacher=city.teacher, session=session, section="task-2")
    session.refresh_from_db()
    state = selectors.live_state(session=session)
    assert state["follow"] == follow
    assert state["section"] == "task-2"


# --- The end


def test_the_end_proposes_attendance_from_presence(city, session):
    absent = factories.make_pupil(city.class_in)
    live.live_presence_enter(session=session, user=city.pupil_in)
    live.live_presence_leave(session=session, user=city.pupil_in)
    live.live_presence_enter(session=session, user=city.teacher)

    proposal = live.live_session_end(teacher=city.teacher, session=session)

    assert proposal.present == [city.pupil_in]
    assert proposal.absent == [absent]
    session.refresh_from_db()
    assert session.ended_at is not None


def test_the_end_takes_the_pen_back(city, session):
    live.live_pen_give(teacher=city.teacher, session=session, everyone=True)
    live.live_session_end(teacher=city.teacher, session=session)
    assert selectors.board_pen_holders(board_id=session.board_id) == set()


def test_an_ended_session_takes_no_more_commands(city, session):
    live.live_session_end(teacher=city.teacher, session=session)
    with pytest.raises(PermissionDenied):
        live.live_pen_give(teacher=city.teacher, session=session, everyone=True)
    with pytest.raises(Http404):
        access.get_live_session_to_control(city.teacher, session.pk)


def test_presence_counts_tabs_and_keeps_first_seen(city, session):
    for _ in range(2):
        live.live_presence_enter(session=session, user=city.pupil_in)
    live.live_presence_leave(session=session, user=city.pupil_in)
    assert [p["id"] for p in selectors.live_present(session_id=session.pk)] == [
        city.pupil_in.pk
    ]
    live.live_presence_leave(session=session, user=city.pupil_in)
    live.live_presence_leave(session=session, user=city.pupil_in)
    assert selectors.live_present(session_id=session.pk) == []
    presence = Presence.objects.get()
    assert presence.connections == 0
    assert presence.first_seen <= presence.last_seen
