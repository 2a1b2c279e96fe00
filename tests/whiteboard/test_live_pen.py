"""The pen over the real board socket: the server, not the UI, decides who draws.

A second `RoomRegistry` stands for another server process sharing the channel
layer (as in test_layer.py): a hand-over must hold there too.
"""

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async

from tests import factories
from tests.whiteboard.conftest import WAIT, joined, server_content
from tests.whiteboard.test_layer import Peer
from whiteboard import live, rooms

pytestmark = pytest.mark.django_db(transaction=True)


async def until(condition) -> None:
    """Waits (bounded) for a layer message to have been handled.

    Polls: a room signals nothing when its pen holders change.
    """
    async with asyncio.timeout(WAIT):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


@pytest.fixture
async def session(city, lesson_board):
    return await database_sync_to_async(live.live_session_start)(
        teacher=city.teacher, lesson=lesson_board.lesson
    )


@pytest.fixture
async def other_process(registry):
    other = rooms.RoomRegistry()
    yield other
    await other.shutdown()


async def draws(user, teacher, board_id: int, text: str) -> bool:
    """Whether a stroke from a fresh screen of `user` reached the server and the
    teacher's screen.

    Fresh each time: a stroke the server dropped stays in the client's document,
    and Yjs holds back every later stroke of that client until the dropped one
    arrives (the real client stops drawing when it loses the pen).
    """
    pupil = await joined(user, board_id)
    pupil.strokes.append(text)
    await pupil.push()
    await pupil.round_trip()  # the server has handled the stroke by now
    if text not in server_content(board_id)["strokes"]:
        return False
    await teacher.pull()
    assert text in teacher.strokes.to_py()
    return True


async def test_giving_and_taking_the_pen_changes_who_draws(
    city, lesson_board, session, registry, other_process
):
    board = lesson_board.pk
    far_room = await other_process.join(board, Peer())
    alice = await joined(city.teacher, board)
    room = registry.rooms[board]
    assert not await draws(city.pupil_in, alice, board, "before the pen")

    await database_sync_to_async(live.live_pen_give)(
        teacher=city.teacher, session=session, pupil=city.pupil_in
    )
    await until(lambda: city.pupil_in.pk in far_room.pen_holders)
    await until(lambda: city.pupil_in.pk in room.pen_holders)
    assert await draws(city.pupil_in, alice, board, "with the pen")

    await database_sync_to_async(live.live_pen_take)(
        teacher=city.teacher, session=session
    )
    await until(lambda: not far_room.pen_holders and not room.pen_holders)
    assert not await draws(city.pupil_in, alice, board, "after the pen")
    assert server_content(board)["strokes"] == ["with the pen"]


async def test_the_pen_for_everyone_reaches_every_pupil_of_the_class(
    city, lesson_board, session, registry
):
    classmate = await database_sync_to_async(factories.make_pupil)(city.class_in)
    board = lesson_board.pk
    alice = await joined(city.teacher, board)
    room = registry.rooms[board]

    await database_sync_to_async(live.live_pen_give)(
        teacher=city.teacher, session=session, everyone=True
    )
    await until(lambda: {city.pupil_in.pk, classmate.pk} <= room.pen_holders)
    assert await draws(classmate, alice, board, "masha's line")


async def test_a_room_opened_after_the_hand_over_starts_with_it(
    city, lesson_board, session, registry
):
    await database_sync_to_async(live.live_pen_give)(
        teacher=city.teacher, session=session, pupil=city.pupil_in
    )
    alice = await joined(city.teacher, lesson_board.pk)
    assert await draws(
        city.pupil_in, alice, lesson_board.pk, "late but holding the pen"
    )


async def test_ending_the_session_takes_the_pen_back(
    city, lesson_board, session, registry
):
    board = lesson_board.pk
    alice = await joined(city.teacher, board)
    room = registry.rooms[board]
    await database_sync_to_async(live.live_pen_give)(
        teacher=city.teacher, session=session, everyone=True
    )
    await until(lambda: city.pupil_in.pk in room.pen_holders)

    await database_sync_to_async(live.live_session_end)(
        teacher=city.teacher, session=session
    )
    await until(lambda: not room.pen_holders)
    assert not await draws(city.pupil_in, alice, board, "after the bell")


class QuietSocket:
    async def send_frame(self, frame: bytes) -> None:
        pass

    async def drop(self, code: int) -> None:
        pass


async def test_a_hand_over_heard_while_the_room_opens_is_not_undone(
    city, lesson_board, registry, monkeypatch
):
    """The room reads the pen holders after subscribing; a hand-over committed
    just after that read began arrives as a message before the (older) read
    returns, and must win."""
    reading, release = threading.Event(), threading.Event()

    def stale_read(*, board_id):
        reading.set()
        release.wait(WAIT)
        return set()

    monkeypatch.setattr(rooms, "board_pen_holders", stale_read)
    opening = asyncio.create_task(registry.join(lesson_board.pk, QuietSocket()))
    await asyncio.to_thread(reading.wait, WAIT)
    await registry.layer.group_send(
        rooms.group_name(lesson_board.pk),
        {"type": "board.pen", "holders": [city.pupil_in.pk]},
    )
    room = registry.rooms[lesson_board.pk]
    await until(lambda: city.pupil_in.pk in room.pen_holders)
    release.set()
    await opening
    assert room.pen_holders == {city.pupil_in.pk}
