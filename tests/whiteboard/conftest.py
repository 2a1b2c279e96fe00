"""Whiteboard test helpers: a fresh room registry, signed-in sockets, a Yjs client."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from pycrdt import Array, Doc, Map

from config.asgi import application
from tests import factories
from tests.sockets import own_redis_prefix  # noqa: F401 (autouse)
from whiteboard import protocol, rooms
from whiteboard.protocol import Kind
from whiteboard.services import board_create

ORIGIN = b"http://127.0.0.1"
WAIT = 10  # seconds a frame may take to arrive before the test gives up


@pytest.fixture
async def registry(own_redis_prefix, monkeypatch):  # noqa: F811 (the fixture)
    """This test's process-wide rooms; written and closed at the end."""
    fresh = rooms.RoomRegistry()
    monkeypatch.setattr(rooms, "registry", fresh)
    yield fresh
    await rooms.registry.shutdown()
    # The rooms' writes ran in the sync thread; its connection would outlive the
    # test database otherwise.
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
def lesson_board(city):
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    return board_create(created_by=city.teacher, title="Дроби", lesson=lesson)


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return f"{django_settings.SESSION_COOKIE_NAME}={key}".encode()


async def socket_for(user, board_id, *, origin=ORIGIN, path="/ws/board/{}"):
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    return WebsocketCommunicator(application, path.format(board_id), headers=headers)


async def refused_with(user, board_id) -> int | None:
    socket = await socket_for(user, board_id)
    ok, code = await socket.connect(timeout=WAIT)
    assert not ok
    return code


async def closed_with(socket: WebsocketCommunicator) -> int:
    """The close code, skipping the data frames that come before it."""
    while True:
        output = await socket.receive_output(timeout=WAIT)
        if output["type"] == "websocket.close":
            return output.get("code")


class YClient:
    """A Yjs peer like the browser's y-websocket provider, on a pycrdt document."""

    def __init__(self, socket: WebsocketCommunicator) -> None:
        self.socket = socket
        self.doc = Doc()
        self.outbox: list[bytes] = []
        self.doc.observe(lambda event: self.outbox.append(event.update))

    @property
    def shapes(self) -> Map:
        return self.doc.get("shapes", type=Map)

    @property
    def strokes(self) -> Array:
        return self.doc.get("strokes", type=Array)

    def content(self) -> dict:
        return {"shapes": self.shapes.to_py(), "strokes": self.strokes.to_py()}

    async def frame(self) -> protocol.Message:
        return protocol.parse(await self.socket.receive_from(timeout=WAIT))

    async def sync(self) -> None:
        """The y-websocket handshake, both ways, as the browser client does it."""
        first = await self.frame()
        assert first.kind is Kind.SYNC_STEP1
        await self.send(protocol.sync_step2(self.doc.get_update(first.payload)))
        await self.send(protocol.sync_step1(self.doc))
        answer = await self.frame()
        assert answer.kind is Kind.SYNC_STEP2
        self.doc.apply_update(answer.payload)

    async def send(self, frame: bytes) -> None:
        await self.socket.send_to(bytes_data=frame)

    async def push(self) -> None:
        """Sends the local edits made since the last push."""
        while self.outbox:
            await self.send(protocol.update(self.outbox.pop(0)))

    async def round_trip(self) -> None:
        """Returns once the server has handled everything sent before (in order)."""
        await self.send(protocol.sync_step1(self.doc))
        await self.pull()

    async def pull(self) -> protocol.Message:
        """Applies the next document frame from the server; returns it."""
        message = await self.frame()
        assert message.kind in (Kind.SYNC_STEP2, Kind.SYNC_UPDATE), message.kind
        self.doc.apply_update(message.payload)
        return message


async def joined(user, board_id) -> YClient:
    socket = await socket_for(user, board_id)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    client = YClient(socket)
    await client.sync()
    return client


def server_content(board_id: int) -> dict:
    doc = rooms.registry.rooms[board_id].doc
    return {
        "shapes": doc.get("shapes", type=Map).to_py(),
        "strokes": doc.get("strokes", type=Array).to_py(),
    }
