"""Who may open a board, through the socket (close codes before any frame)."""

import pytest
from channels.db import database_sync_to_async

from tests.whiteboard.conftest import WAIT, joined, refused_with, socket_for
from whiteboard.access import Mode, board_mode
from whiteboard.services import board_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "persona", ["pupil_out", "other_parent", "other_teacher", "parent", "admin_one"]
)
async def test_people_outside_the_class_cannot_join(
    city, lesson_board, registry, persona
):
    assert await refused_with(getattr(city, persona), lesson_board.pk) == 4403
    assert lesson_board.pk not in registry.rooms


async def test_signed_out_visitors_are_refused(city, lesson_board, registry):
    assert await refused_with(None, lesson_board.pk) == 4401


async def test_a_missing_board_looks_like_a_forbidden_one(city, registry):
    assert await refused_with(city.teacher, 999_999) == 4403


async def test_a_foreign_origin_is_refused(city, lesson_board, registry):
    socket = await socket_for(
        city.teacher, lesson_board.pk, origin=b"http://evil.example"
    )
    ok, _ = await socket.connect(timeout=WAIT)
    assert not ok


async def test_a_board_outside_a_lesson_is_its_creators_only(city, registry):
    board = await database_sync_to_async(board_create)(created_by=city.teacher)
    await joined(city.teacher, board.pk)
    assert await refused_with(city.other_teacher, board.pk) == 4403
    assert await refused_with(city.pupil_in, board.pk) == 4403


def test_modes(city, lesson_board):
    assert board_mode(city.teacher, lesson_board) is Mode.EDIT
    assert board_mode(city.pupil_in, lesson_board) is Mode.VIEW
    assert board_mode(city.pupil_out, lesson_board) is None


def test_a_substitute_draws_on_the_board_of_the_lesson_they_give(city, lesson_board):
    lesson = lesson_board.lesson
    lesson.substitute = city.other_teacher
    lesson.save(update_fields=["substitute"])
    assert board_mode(city.other_teacher, lesson_board) is Mode.EDIT
