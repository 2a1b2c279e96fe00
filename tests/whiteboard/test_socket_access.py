"""Board and live-lesson sockets close with 4403 once their person loses the
class: a teacher taken off it stops drawing, a pupil who left stops watching.
Through the real ASGI stack and the configured channel layer (Redis in the
scale-out run). Personas: tests/conftest.py `city`.
"""

import pytest
from channels.db import database_sync_to_async

from school.models import TeachingAssignment
from school.socket_access import ACCESS_LOST
from tests import factories
from tests.sockets import pupil_leaves_their_classes
from tests.whiteboard.conftest import WAIT, YClient, closed_with, socket_for
from whiteboard import live

pytestmark = pytest.mark.django_db(transaction=True)


async def opened(user, board_id, path="/ws/board/{}"):
    socket = await socket_for(user, board_id, path=path)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    return socket


@database_sync_to_async
def second_teacher_of(city):
    """A teacher of 5А who does not give the lesson: draws through the class."""
    return factories.make_teacher(city.class_in, city.maths, username="vera")


@database_sync_to_async
def taken_off_the_class(teacher) -> None:
    TeachingAssignment.objects.filter(teacher=teacher).delete()


left_the_class = database_sync_to_async(pupil_leaves_their_classes)


async def test_a_teacher_taken_off_the_class_stops_drawing(
    city, registry, lesson_board
):
    vera = await second_teacher_of(city)
    socket = await opened(vera, lesson_board.pk)
    await YClient(socket).sync()

    await taken_off_the_class(vera)

    assert await closed_with(socket) == ACCESS_LOST


async def test_a_pupil_who_left_the_class_stops_watching_the_board(
    city, registry, lesson_board
):
    socket = await opened(city.pupil_in, lesson_board.pk)
    await YClient(socket).sync()

    await left_the_class(city.pupil_in)

    assert await closed_with(socket) == ACCESS_LOST


async def test_the_teacher_giving_the_lesson_keeps_the_board(
    city, registry, lesson_board
):
    teacher = await opened(city.teacher, lesson_board.pk)
    alice = YClient(teacher)
    await alice.sync()
    vera = await second_teacher_of(city)
    await taken_off_the_class(vera)

    await alice.round_trip()  # still answered: the socket stayed open
    await teacher.disconnect()


async def test_a_pupil_who_left_the_class_leaves_the_live_lesson(city, registry):
    lesson = await database_sync_to_async(factories.make_lesson)(
        city.class_in, city.maths, city.teacher
    )
    session = await database_sync_to_async(live.live_session_start)(
        teacher=city.teacher, lesson=lesson
    )
    socket = await opened(city.pupil_in, session.pk, path="/ws/live/{}/")

    await left_the_class(city.pupil_in)

    assert await closed_with(socket) == ACCESS_LOST
