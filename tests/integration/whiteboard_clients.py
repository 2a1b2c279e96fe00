"""Yjs peers on real sockets, behaving like the browser's y-websocket provider.

A `BoardClient` keeps its own pycrdt document and a connection loop: on open it
sends SyncStep1 and answers the server's SyncStep1 with what the server lacks;
local edits go out as updates while connected and simply stay in the document while
not (the next sync carries them, as in Yjs); a lost connection is retried with a
jittered, doubling back-off.
"""

import asyncio
import contextlib
import random

import requests
from pycrdt import Array, Doc, Map, Text
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from whiteboard import protocol
from whiteboard.protocol import Kind

WAIT = 20  # seconds anything may take before a test gives up waiting for it
# y-websocket's back-off: 100 ms doubling up to 2.5 s; jittered here so clients of a
# restarted server do not all come back at the same instant.
BACKOFF_FIRST, BACKOFF_MAX = 0.1, 2.5


def board_url(server, board_id: int) -> str:
    return f"ws://127.0.0.1:{server.port}/ws/board/{board_id}"


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


async def open_socket(
    server, session: requests.Session, board_id: int, *, origin: str | None = None
) -> ClientConnection:
    """One raw board socket, without the Yjs client (for misbehaving on purpose)."""
    return await connect(
        board_url(server, board_id),
        origin=origin or server.origin,
        additional_headers={"Cookie": cookie_header(session)},
        open_timeout=WAIT,
    )


async def until(predicate, what: str, wait: float = WAIT) -> None:
    """Waits until `predicate()` holds; bounds the wait, asserts nothing else."""
    deadline = asyncio.get_running_loop().time() + wait
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"Gave up waiting for {what}.")
        await asyncio.sleep(0.05)


def content_of(doc: Doc) -> dict:
    return {
        "shapes": doc.get("shapes", type=Map).to_py(),
        "strokes": doc.get("strokes", type=Array).to_py(),
        "notes": str(doc.get("notes", type=Text)),
    }


def missing_marks(content: dict, marks: list[str]) -> list[str]:
    """The marks (see BoardClient.draw) whose shape, stroke or note is absent."""
    return [
        mark
        for mark in marks
        if mark not in content["shapes"]
        or mark not in content["strokes"]
        or f"[{mark}]" not in content["notes"]
    ]


class BoardClient:
    def __init__(self, name: str, server, session: requests.Session, board_id: int):
        self.name = name
        self.url = board_url(server, board_id)
        self.origin = server.origin
        self.cookie = cookie_header(session)
        self.doc = Doc()
        self.socket: ClientConnection | None = None
        self.synced = False
        self.connections = 0
        self.close_codes: list[int | None] = []
        self.marks: list[str] = []
        self.offline_marks: list[str] = []
        self._outbox: list[bytes] = []
        self._remote = False
        self._stopped = False
        self._task: asyncio.Task | None = None
        self.doc.observe(self._observe)

    def _observe(self, event) -> None:
        # What the server sent is not echoed back (y-websocket skips its own origin).
        if not self._remote:
            self._outbox.append(event.update)

    # --- Life cycle

    def start(self) -> "BoardClient":
        self._task = asyncio.create_task(self._run())
        return self

    async def synced_once(self) -> "BoardClient":
        await until(lambda: self.synced, f"{self.name} to sync")
        return self

    async def stop(self) -> None:
        self._stopped = True
        if self.socket is not None:
            await self.socket.close()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        attempt = 0
        while not self._stopped:
            with contextlib.suppress(OSError, ConnectionClosed, InvalidHandshake):
                async with connect(
                    self.url,
                    origin=self.origin,
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=WAIT,
                    max_size=None,
                ) as socket:
                    attempt = 0
                    await self._serve(socket)
            if not self._stopped:
                delay = min(BACKOFF_FIRST * 2**attempt, BACKOFF_MAX)
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))  # noqa: S311
                attempt += 1

    async def _serve(self, socket: ClientConnection) -> None:
        self.socket, self.connections = socket, self.connections + 1
        try:
            await socket.send(protocol.sync_step1(self.doc))
            async for frame in socket:
                if isinstance(frame, bytes):
                    await self._receive(protocol.parse(frame))
        finally:
            self.socket, self.synced = None, False
            self.close_codes.append(socket.close_code)

    async def _receive(self, message: protocol.Message) -> None:
        if message.kind is Kind.SYNC_STEP1:
            await socket_send(
                self.socket, protocol.sync_step2(self.doc.get_update(message.payload))
            )
        elif message.kind in (Kind.SYNC_STEP2, Kind.SYNC_UPDATE):
            self._remote = True
            try:
                self.doc.apply_update(message.payload)
            finally:
                self._remote = False
            if message.kind is Kind.SYNC_STEP2:
                self.synced = True

    # --- Drawing

    @property
    def online(self) -> bool:
        return self.socket is not None

    def content(self) -> dict:
        return content_of(self.doc)

    async def draw(self) -> str:
        """One stroke: a shape, an array element and a note, all named by a mark."""
        mark = f"{self.name}-{len(self.marks)}"
        with self.doc.transaction():
            self.doc.get("shapes", type=Map)[mark] = {"by": self.name}
            self.doc.get("strokes", type=Array).append(mark)
            notes = self.doc.get("notes", type=Text)
            notes.insert(len(notes), f"[{mark}]")
        self.marks.append(mark)
        if not self.online:
            self.offline_marks.append(mark)
        while self._outbox:
            await socket_send(self.socket, protocol.update(self._outbox.pop(0)))
        return mark


async def socket_send(socket: ClientConnection | None, frame: bytes) -> None:
    """Sends if connected; an edit made offline stays in the document for resync."""
    if socket is not None:
        with contextlib.suppress(ConnectionClosed):
            await socket.send(frame)
