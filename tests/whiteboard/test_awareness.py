"""Presence on the board (cursors and names) cannot be forged or fill memory:
a socket speaks only for the client ids it introduced, with a few small states,
and they go when it closes. Personas: tests/conftest.py `city`."""

import pytest
from pycrdt import Awareness, Doc

from tests.whiteboard.conftest import YClient, closed_with, joined
from whiteboard import protocol, rooms
from whiteboard.protocol import Kind

pytestmark = pytest.mark.django_db(transaction=True)


def presence(client_id: int, state: dict | None, clock: int = 1) -> bytes:
    """An awareness update for `client_id` (any id: what a hostile client sends)."""
    source = Awareness(Doc(client_id=client_id))
    for _ in range(clock):
        source.set_local_state(state)
    return source.encode_awareness_update([client_id])


async def announce(client: YClient, update: bytes) -> None:
    await client.send(protocol.awareness(update))


def room_of(registry, board) -> rooms.Room:
    return registry.rooms[board.pk]


async def test_a_pupil_cannot_rename_the_teachers_cursor(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    petya = await joined(city.pupil_in, lesson_board.pk)
    teacher_id = alice.doc.client_id
    await announce(alice, presence(teacher_id, {"user": {"name": "Алиса"}}))
    assert (await petya.frame()).kind is Kind.AWARENESS

    # Petya claims the teacher's id with a later clock: a rename, then an erase.
    await announce(petya, presence(teacher_id, {"user": {"name": "Двоечник"}}, 5))
    await announce(petya, presence(teacher_id, None, 9))
    await petya.round_trip()  # the server has handled both

    states = room_of(registry, lesson_board).awareness.states
    assert states[teacher_id]["user"]["name"] == "Алиса"
    # Alice heard nothing of it: her next frame answers her own sync request.
    await alice.round_trip()


async def test_a_flood_of_fresh_ids_closes_that_socket_and_memory_stays_bounded(
    city, lesson_board, registry, settings
):
    settings.WHITEBOARD_RATE_PER_SECOND = 1000.0
    settings.WHITEBOARD_RATE_BURST = 1000
    alice = await joined(city.teacher, lesson_board.pk)
    vandal = await joined(city.pupil_in, lesson_board.pk)
    big = {"user": {"name": "x" * 3000}}
    for fresh_id in range(1000, 1060):
        await announce(vandal, presence(fresh_id, big))

    assert await closed_with(vandal.socket) == rooms.AWARENESS_FLOOD
    room = room_of(registry, lesson_board)
    assert len(room.awareness.states) == 0  # the flooder's states went with it
    # Alice heard the few states the flooder was allowed, then their removal;
    # the board still answers her.
    await alice.send(protocol.sync_step1(alice.doc))
    while (await alice.frame()).kind is Kind.AWARENESS:
        pass


async def test_an_oversized_state_is_dropped_and_not_kept(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    petya = await joined(city.pupil_in, lesson_board.pk)
    own = petya.doc.client_id
    await announce(petya, presence(own, {"user": {"name": "x" * 100_000}}))
    await petya.round_trip()  # still open, and the server has handled it
    assert own not in room_of(registry, lesson_board).awareness.states
    await alice.round_trip()  # nothing was relayed to her


async def test_a_socket_keeps_its_own_presence_up_to_date(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    petya = await joined(city.pupil_in, lesson_board.pk)
    own = petya.doc.client_id
    await announce(petya, presence(own, {"user": {"name": "Петя"}}))
    await announce(petya, presence(own, {"user": {"name": "Петя", "page": 2}}, 2))
    await petya.round_trip()
    states = room_of(registry, lesson_board).awareness.states
    assert states[own]["user"]["page"] == 2
    assert (await alice.frame()).kind is Kind.AWARENESS
