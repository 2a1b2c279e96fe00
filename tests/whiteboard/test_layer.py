"""Rooms of several processes on one channel layer, and losing that layer.

A second `RoomRegistry` in this process stands for another server process: it has
its own process id, rooms and documents and shares only the channel layer (the
in-memory one here, Redis pub/sub with REDIS_URL). Its sockets are `Peer`s, which
record what the room sends them.
"""

import asyncio
import shutil
import socket
import subprocess
import time

import pytest
from channels.db import database_sync_to_async
from channels_redis.pubsub import RedisPubSubChannelLayer
from pycrdt import Array, Doc

from tests.whiteboard.conftest import joined
from whiteboard import protocol, rooms
from whiteboard.models import BoardUpdate
from whiteboard.protocol import Kind

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10


class Peer:
    """A socket held by the other process."""

    def __init__(self) -> None:
        self.frames: asyncio.Queue[bytes] = asyncio.Queue()
        self.closed: asyncio.Queue[int] = asyncio.Queue()

    async def send_frame(self, frame: bytes) -> None:
        await self.frames.put(frame)

    async def drop(self, code: int) -> None:
        await self.closed.put(code)

    async def next_update(self) -> bytes:
        message = protocol.parse(
            await asyncio.wait_for(self.frames.get(), timeout=WAIT)
        )
        assert message.kind is Kind.SYNC_UPDATE
        return message.payload


def strokes_of(doc: Doc) -> list:
    return doc.get("strokes", type=Array).to_py()


def an_update(text: str) -> bytes:
    doc, updates = Doc(), []
    doc.observe(lambda event: updates.append(event.update))
    doc.get("strokes", type=Array).append(text)
    return updates[0]


@pytest.fixture
async def other_process(registry):
    other = rooms.RoomRegistry()
    yield other
    await other.shutdown()


async def test_an_edit_reaches_the_other_process_and_back(
    city, lesson_board, registry, other_process
):
    peer = Peer()
    far_room = await other_process.join(lesson_board.pk, peer)
    alice = await joined(city.teacher, lesson_board.pk)

    alice.strokes.append("from alice")
    await alice.push()
    await peer.next_update()
    assert strokes_of(far_room.doc) == ["from alice"]

    await far_room.edit(an_update("from afar"), sender=peer)
    await alice.pull()
    assert sorted(alice.strokes.to_py()) == ["from afar", "from alice"]
    assert sorted(strokes_of(registry.rooms[lesson_board.pk].doc)) == sorted(
        strokes_of(far_room.doc)
    )


async def test_a_room_opening_later_gets_unsaved_edits_from_the_others(
    city, lesson_board, registry, other_process, settings
):
    settings.WHITEBOARD_FLUSH_SECONDS = 3600  # nothing reaches the database
    alice = await joined(city.teacher, lesson_board.pk)
    alice.strokes.append("not saved yet")
    await alice.push()
    await alice.round_trip()

    peer = Peer()
    far_room = await other_process.join(lesson_board.pk, peer)
    await peer.next_update()
    assert strokes_of(far_room.doc) == ["not saved yet"]
    assert not await BoardUpdate.objects.filter(board_id=lesson_board.pk).aexists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    """A Redis of this test's own, so that stopping it disturbs nobody else."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed.")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_losing_the_layer_closes_the_rooms_sockets_and_keeps_the_edits(
    city, lesson_board, settings, own_redis
):
    settings.WHITEBOARD_HEARTBEAT_SECONDS = 0.2
    process, url = own_redis
    registry = rooms.RoomRegistry(layer=RedisPubSubChannelLayer(hosts=[url]))
    peer = Peer()
    room = await registry.join(lesson_board.pk, peer)
    await room.edit(an_update("before the outage"), sender=peer)

    process.kill()
    process.wait()
    code = await asyncio.wait_for(peer.closed.get(), timeout=WAIT)

    assert code == rooms.LAYER_LOST
    assert lesson_board.pk not in registry.rooms
    saved = await database_sync_to_async(
        lambda: [bytes(u.data) for u in BoardUpdate.objects.filter(board=lesson_board)]
    )()
    doc = Doc()
    for update in saved:
        doc.apply_update(update)
    assert strokes_of(doc) == ["before the outage"]
    await registry.shutdown()
