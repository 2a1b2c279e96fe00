"""After a server process dies with edits it had not written yet.

Its room's edits survive in the clients (who resend what a room lacks) and in
the rooms of other processes (which heard them through the layer). These tests pin
the two ways a restarted room must not lose them: found by
tests/integration/test_whiteboard_reliability.py.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async
from pycrdt import Array, Doc

from tests.whiteboard.conftest import joined, server_content
from whiteboard import rooms
from whiteboard.documents import doc_from_updates
from whiteboard.selectors import board_content
from whiteboard.services import board_updates_append

WAIT = 10


def two_strokes() -> tuple[Doc, bytes, bytes]:
    """A document with "first", then "second" drawn after it, and both updates."""
    doc, updates = Doc(), []
    doc.observe(lambda event: updates.append(event.update))
    doc.get("strokes", type=Array).append("first")
    doc.get("strokes", type=Array).append("second")
    return doc, *updates


@pytest.mark.django_db(transaction=True)
async def test_resending_a_lost_stroke_shows_the_stroke_stored_after_it(
    city, lesson_board, registry
):
    author, first, second = two_strokes()
    # Storage holds only the second stroke: the first was lost with a server.
    await database_sync_to_async(board_updates_append)(
        board_id=lesson_board.pk, updates=[second]
    )
    watcher = await joined(city.pupil_in, lesson_board.pk)
    teacher = await joined(city.teacher, lesson_board.pk)
    assert watcher.content()["strokes"] == []

    teacher.doc.apply_update(first)  # the author's own copy, resent as an edit
    await teacher.push()

    await watcher.pull()
    await watcher.pull()
    assert watcher.content()["strokes"] == ["first", "second"]
    await teacher.pull()
    assert teacher.content()["strokes"] == ["first", "second"]
    assert server_content(lesson_board.pk)["strokes"] == ["first", "second"]


class Peer:
    """A socket of another process; keeps what it is sent."""

    def __init__(self) -> None:
        self.frames: asyncio.Queue[bytes] = asyncio.Queue()

    async def send_frame(self, frame: bytes) -> None:
        await self.frames.put(frame)

    async def drop(self, code: int) -> None:
        pass


@pytest.mark.django_db(transaction=True)
async def test_a_room_writes_the_unsaved_edits_another_process_answers_with(
    city, lesson_board, registry, settings
):
    # The room that took the edit never writes it (its process is about to die);
    # the restarted process's room learns it from the others and must write it,
    # since the author, resyncing with that room, will not send it again.
    settings.WHITEBOARD_FLUSH_SECONDS = 3600
    alice = await joined(city.teacher, lesson_board.pk)
    witness, restarted = rooms.RoomRegistry(), rooms.RoomRegistry()
    try:
        watching = Peer()
        await witness.join(lesson_board.pk, watching)
        alice.strokes.append("drawn before the crash")
        await alice.push()
        # Once a third process has heard the edit, the restarted one can only
        # learn it by asking (its hello), not from the edit's own broadcast.
        await asyncio.wait_for(watching.frames.get(), timeout=WAIT)
        room = await restarted.join(lesson_board.pk, Peer())
        for _ in range(WAIT * 20):  # bounded wait for the answers to the hello
            if strokes(room.doc):
                break
            await asyncio.sleep(0.05)
        await room.flush()
    finally:
        await restarted.shutdown()
        await witness.shutdown()
    content = await database_sync_to_async(board_content)(board_id=lesson_board.pk)
    assert strokes(doc_from_updates(content.updates)) == ["drawn before the crash"]


def strokes(doc: Doc) -> list:
    return doc.get("strokes", type=Array).to_py()


def a_stroke(text: str) -> bytes:
    doc, updates = Doc(), []
    doc.observe(lambda event: updates.append(event.update))
    doc.get("strokes", type=Array).append(text)
    return updates[0]


async def stored_strokes(board_id: int) -> list:
    content = await database_sync_to_async(board_content)(board_id=board_id)
    return strokes(doc_from_updates(content.updates))


async def stored_rows(board_id: int) -> int:
    content = await database_sync_to_async(board_content)(board_id=board_id)
    return len(content.updates)


async def nothing() -> None:
    pass


def crash(room: rooms.Room) -> None:
    """The room's process dies: no more writes, hellos or answers."""
    room.flush = nothing
    for task in room._tasks:
        task.cancel()


@pytest.mark.django_db(transaction=True)
async def test_a_witness_writes_the_edits_of_a_process_that_died_unwritten(
    city, lesson_board, registry, settings
):
    # The author's socket fails over to the witness, which already holds the
    # stroke, so the author's resync sends nothing: only the witness can write it.
    settings.WHITEBOARD_FLUSH_SECONDS = 0.05
    settings.WHITEBOARD_HEARTBEAT_SECONDS = 0.2
    dying, witness = rooms.RoomRegistry(), rooms.RoomRegistry()
    try:
        author, watching = Peer(), Peer()
        room = await dying.join(lesson_board.pk, author)
        room.flush = nothing  # it dies before its next write
        await witness.join(lesson_board.pk, watching)
        await room.edit(a_stroke("drawn before the crash"), sender=author)
        await asyncio.wait_for(watching.frames.get(), timeout=WAIT)
        crash(room)
        for _ in range(WAIT * 20):  # while the witness is still running
            if await stored_strokes(lesson_board.pk):
                break
            await asyncio.sleep(0.05)
        assert await stored_strokes(lesson_board.pk) == ["drawn before the crash"]
    finally:
        await witness.shutdown()
        dying.rooms.clear()


@pytest.mark.django_db(transaction=True)
async def test_a_witness_writes_nothing_its_author_wrote(
    city, lesson_board, registry, settings
):
    settings.WHITEBOARD_FLUSH_SECONDS = 0.05
    settings.WHITEBOARD_HEARTBEAT_SECONDS = 0.2
    author_process, witness = rooms.RoomRegistry(), rooms.RoomRegistry()
    try:
        author, watching = Peer(), Peer()
        room = await author_process.join(lesson_board.pk, author)
        far_room = await witness.join(lesson_board.pk, watching)
        await room.edit(a_stroke("written by its author"), sender=author)
        await asyncio.wait_for(watching.frames.get(), timeout=WAIT)
        # Longer than the silence after which a witness would write it.
        await asyncio.sleep(rooms.SILENT_HEARTBEATS * 0.2 + 0.5)
        assert await stored_rows(lesson_board.pk) == 1
        assert not any(w.edits for w in far_room._witnessed.values())
        assert await stored_strokes(lesson_board.pk) == ["written by its author"]
    finally:
        await witness.shutdown()
        await author_process.shutdown()
