"""Live rooms: one authoritative Yjs document per board in this process.

A `Room` holds the board's document (loaded from storage on first join), the
sockets of this process that are in it, the awareness states (in memory only) and
the edits not yet written. Fan-out to local sockets is direct; other processes hear
each edit once per process through the channel layer group `board.<id>`, which
only the room's own channel joins (never one channel per socket).

Between processes the layer is at most once, so every room says hello to its group
when it opens and every heartbeat: the hello carries the room's state vector and
the other processes answer with what it lacks. A hello that does not come back to
its own room before the next heartbeat means the layer is gone; the room then
closes its sockets (clients reconnect and resync) and leaves memory.

Each edit is written by the process whose socket sent it. The rooms of the other
processes witness it: they keep it until its process says (in a "saved" message
or its hello) that it is written, and write it themselves if that process falls
silent. Otherwise the edits a crashed process had not written yet would live only
in memory when its clients reconnect to a witness, which already holds them and
so never hears them again.
"""

import asyncio
import contextlib
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from pycrdt import Awareness, Doc, merge_updates

from whiteboard import conf, protocol
from whiteboard.documents import EMPTY_UPDATE
from whiteboard.models import Board
from whiteboard.selectors import board_content, board_pen_holders
from whiteboard.services import board_compact, board_updates_append

logger = logging.getLogger("whiteboard.rooms")

# Close code for sockets of a room that lost the channel layer: "try again later".
LAYER_LOST = 1013
# The close code for a socket that introduces more presence ids than it may.
AWARENESS_FLOOD = 4429


class AwarenessRefused(Exception):
    """A socket's presence update that closes it; `code` is the close code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


# Pictures travel as URLs of uploads (whiteboard.image_views): inline bytes would
# skip the upload's checks and weigh on every join, and a data: URL of any type
# (an SVG or HTML page as well as a picture) is content we never checked. lib0
# writes a string as raw UTF-8, so a data: URL anywhere in an update shows as
# these bytes. Browsers drop tabs and newlines inside a URL and spaces and
# control characters around the scheme, so those may sit between any two of its
# characters here; the scheme is followed by a media type, `;` or `,` (a sticky
# note saying "Data: 5 apples" is not a URL).
_GAP = rb"[\x00-\x20]*"
INLINE_DATA_URL = re.compile(
    _GAP.join([b"d", b"a", b"t", b"a", b":", rb"(?:[a-z0-9.+-]+" + _GAP + b"/|;|,)"]),
    re.IGNORECASE,
)


class Socket(Protocol):
    """What a room needs from a connection (the consumer, or a test's stand-in)."""

    async def send_frame(self, frame: bytes) -> None: ...

    async def drop(self, code: int) -> None: ...


def group_name(board_id: int) -> str:
    return f"board.{board_id}"


# A process heard from no more for this many heartbeats is taken as gone: its
# witnessed edits are written here.
SILENT_HEARTBEATS = 3


@dataclass
class Witnessed:
    """Another process's edits of this room that it has not said it wrote."""

    heard_at: float = field(default_factory=time.monotonic)
    edits: list[tuple[int, bytes]] = field(default_factory=list)  # (seq, update)

    def saved(self, through: int) -> None:
        self.heard_at = time.monotonic()
        self.edits = [(seq, edit) for seq, edit in self.edits if seq > through]


class Room:
    def __init__(self, board_id: int, registry: "RoomRegistry") -> None:
        self.board_id = board_id
        self.registry = registry
        self.doc = Doc()
        self.awareness = Awareness(self.doc)
        self.awareness.set_local_state(None)  # the server is not a participant
        self.sockets: set[Socket] = set()
        # People a teacher handed the pen to; changed by the live-lesson service.
        self.pen_holders: set[int] = set()
        self._pen_messages = 0
        self.closing = False
        self.closed = asyncio.Event()
        self.idle_task: asyncio.Task | None = None
        self._awareness_ids: dict[Socket, set[int]] = {}
        self._pending: list[bytes] = []
        self._log_length = 0
        self._opened = False
        self._open_lock = asyncio.Lock()
        self._flush_lock = asyncio.Lock()
        self._channel: str | None = None
        self._tasks: list[asyncio.Task] = []
        self._hello_out = False
        self._changes: list[bytes] = []
        self.doc.observe(lambda event: self._changes.append(event.update))
        # Sequence numbers of this room's published edits, and the last one written.
        self._published_seq = 0
        self._saved_seq = 0
        self._witnessed: dict[str, Witnessed] = {}

    @property
    def layer(self):
        return self.registry.layer

    @property
    def group(self) -> str:
        return group_name(self.board_id)

    # --- Life cycle

    async def open(self) -> None:
        """Loads the document and subscribes to the group; once, however many call."""
        async with self._open_lock:
            if self._opened:
                return
            content = await database_sync_to_async(board_content)(
                board_id=self.board_id
            )
            for stored in content.updates:
                self.doc.apply_update(stored)
            self._log_length = len(content.updates)
            if self.layer is not None:
                self._channel = await self.layer.new_channel()
                await self.layer.group_add(self.group, self._channel)
                self._start(self._listen())
                self._start(self._heartbeat())
            # Read after subscribing: a pen change committed meanwhile is either
            # in this read or arrives as a `board.pen` message. A message heard
            # while the read runs is newer than the read: it wins.
            heard = self._pen_messages
            holders = await database_sync_to_async(board_pen_holders)(
                board_id=self.board_id
            )
            if self._pen_messages == heard:
                self.pen_holders = holders
            self._start(self._flush_periodically())
            self._opened = True

    def _start(self, coroutine) -> None:
        self._tasks.append(asyncio.create_task(coroutine))

    async def close(self) -> None:
        """Stops the room's tasks and writes what is pending; sockets stay open."""
        self.closing = True
        current = asyncio.current_task()
        for task in self._tasks:
            if task is not current:
                task.cancel()
        if self.idle_task is not None and self.idle_task is not current:
            self.idle_task.cancel()
        self._adopt_silent_witnessed(everyone=True)
        await self.flush()
        if self._channel is not None:
            with contextlib.suppress(Exception):
                await self.layer.group_discard(self.group, self._channel)
        self.closed.set()

    # --- Edits

    def _apply(self, update: bytes) -> bytes | None:
        """Applies an update; returns what it changed (None if nothing).

        Raises ProtocolError for bytes that are not a Yjs update.
        """
        self._changes.clear()
        try:
            self.doc.apply_update(update)
        except ValueError as error:
            raise protocol.ProtocolError("not a Yjs update") from error
        changes, self._changes = self._changes, []
        return (
            merge_updates(*changes) if len(changes) > 1 else next(iter(changes), None)
        )

    def sync_reply(self, state: bytes) -> bytes:
        """SyncStep2 for a client's SyncStep1: what its state vector lacks."""
        try:
            return protocol.sync_step2(self.doc.get_update(state))
        except ValueError as error:
            raise protocol.ProtocolError("not a state vector") from error

    async def edit(self, update: bytes, *, sender: Socket) -> None:
        """A local editor's update: applied, queued for saving, relayed.

        The raw update is saved and relayed (not only what it changed here): an
        update waiting for its dependencies changes nothing yet but must not be lost.
        """
        # A closed room saves nothing; the client resends on reconnect (SyncStep2).
        if update == EMPTY_UPDATE or self.closing:
            return
        if INLINE_DATA_URL.search(update):
            # Dropped like a watcher's edit: not applied, relayed or saved.
            logger.warning(
                "Board %s: dropped an update with an inline image", self.board_id
            )
            return
        changed = self._apply(update)
        self._pending.append(update)
        frame = protocol.update(update)
        await self._relay(frame, skip=sender)
        if changed is not None and changed != update:
            # It completed content that was waiting for it here (loaded or heard
            # before its dependencies): nobody here has that yet, the sender neither.
            # (pycrdt re-encodes an update with other bytes, so compare what the
            # two hold, or every reader gets every stroke twice.)
            await self._relay(protocol.update(changed))
        self._published_seq += 1
        await self._publish(
            {"type": "board.update", "update": update, "seq": self._published_seq}
        )

    # --- Awareness (relayed, kept in memory only)

    async def aware(self, update: bytes, *, sender: Socket) -> None:
        """Applies and relays a socket's presence (cursor, name, selection).

        A socket speaks only for the client ids it introduced: an update about
        anyone else's (a pupil renaming the teacher's cursor) is dropped, as is
        an oversized state. It may introduce a few ids; past that it is
        flooding, and AwarenessRefused tells the consumer to close it.
        """
        entries = protocol.awareness_entries(update)
        owned = self._awareness_ids.setdefault(sender, set())
        limit = conf.get("WHITEBOARD_AWARENESS_STATE_BYTES")
        if any(entry.state_bytes > limit for entry in entries):
            # Dropped, not closed: a teacher selecting the whole board sends a
            # long list of element ids, and must not lose the board for it.
            logger.info("Board %s: dropped an oversized awareness state", self.board_id)
            return
        if not all(self._may_speak_for(sender, entry) for entry in entries):
            logger.info("Board %s: dropped awareness for others' ids", self.board_id)
            return
        fresh = {e.client_id for e in entries if not e.removed} - owned
        if len(owned | fresh) > conf.get("WHITEBOARD_AWARENESS_IDS_PER_SOCKET"):
            raise AwarenessRefused(AWARENESS_FLOOD)
        try:
            changes = self._apply_awareness(update, sender)
        except Exception as error:  # the decoder raises whatever garbage provokes
            raise protocol.ProtocolError("not an awareness update") from error
        owned.update(changes["added"], changes["updated"])
        owned.difference_update(changes["removed"])
        if not any(changes.values()):
            # An echo of what this room already has (clients re-send the states
            # they hear): relaying it would make a join cost O(n²) messages.
            return
        await self._relay(protocol.awareness(update), skip=sender)
        await self._publish({"type": "board.awareness", "update": update})

    def _may_speak_for(self, sender: Socket, entry: protocol.AwarenessEntry) -> bool:
        """Its own id, or an id nobody here or on another process holds."""
        client_id = entry.client_id
        if client_id in self._awareness_ids.get(sender, ()):
            return True
        if any(
            client_id in ids
            for socket, ids in self._awareness_ids.items()
            if socket is not sender
        ):
            return False
        # Held by a socket of another process (heard over the bus): theirs.
        return client_id not in self.awareness.states

    def _apply_awareness(self, update: bytes, origin) -> dict:
        seen: dict = {"added": [], "updated": [], "removed": []}

        def collect(topic, event):
            if topic == "update":
                for key in seen:
                    seen[key].extend(event[0][key])

        subscription = self.awareness.observe(collect)
        try:
            self.awareness.apply_awareness_update(update, origin)
        finally:
            self.awareness.unobserve(subscription)
        return seen

    def awareness_frame(self) -> bytes | None:
        """Everybody's awareness state, for a newcomer; None if there is nobody."""
        ids = list(self.awareness.states)
        if not ids:
            return None
        return protocol.awareness(self.awareness.encode_awareness_update(ids))

    async def _forget_awareness(self, socket: Socket) -> None:
        ids = sorted(
            self._awareness_ids.pop(socket, set()) & set(self.awareness.states)
        )
        if not ids:
            return
        self.awareness.remove_awareness_states(ids, None)
        update = self.awareness.encode_awareness_update(ids)
        await self._relay(protocol.awareness(update))
        await self._publish({"type": "board.awareness", "update": update})

    # --- Sockets

    def add(self, socket: Socket) -> None:
        if self.idle_task is not None:
            self.idle_task.cancel()
            self.idle_task = None
        self.sockets.add(socket)

    async def remove(self, socket: Socket) -> None:
        self.sockets.discard(socket)
        await self._forget_awareness(socket)

    async def _relay(self, frame: bytes, *, skip: Socket | None = None) -> None:
        for socket in list(self.sockets):
            if socket is not skip:
                await socket.send_frame(frame)

    async def drop_all(self, code: int) -> None:
        for socket in list(self.sockets):
            await socket.drop(code)

    # --- Saving

    async def flush(self) -> None:
        """Writes the pending edits as one log entry; keeps them if that fails.

        Then tells the other processes which of its published edits are written,
        so their rooms stop keeping them.
        """
        async with self._flush_lock:
            if not self._pending:
                return
            # Every pending edit published so far is in this batch: an edit is
            # queued before it is published.
            through = self._published_seq
            batch, self._pending = self._pending, []
            merged = merge_updates(*batch) if len(batch) > 1 else batch[0]
            try:
                await database_sync_to_async(board_updates_append)(
                    board_id=self.board_id, updates=[merged]
                )
            except Board.DoesNotExist:
                logger.warning("Board %s was deleted; edits dropped", self.board_id)
                return
            except Exception:
                logger.exception("Could not save board %s; retrying", self.board_id)
                self._pending[:0] = batch
                return
            self._log_length += 1
            if self._log_length > conf.get("WHITEBOARD_COMPACT_AFTER"):
                await database_sync_to_async(board_compact)(board_id=self.board_id)
                self._log_length = 1
        if through > self._saved_seq:
            self._saved_seq = through
            await self._publish({"type": "board.saved", "through": through})

    def _witness(self, origin: str, seq: int | None, update: bytes) -> None:
        if seq is not None:
            self._witnessed.setdefault(origin, Witnessed()).edits.append((seq, update))

    def _adopt_silent_witnessed(self, *, everyone: bool = False) -> None:
        """Queues for writing here the witnessed edits of processes gone silent
        (of every process when `everyone`, as this room closes). Writing an edit
        its own process wrote too is harmless: updates are idempotent."""
        silent_since = time.monotonic() - SILENT_HEARTBEATS * conf.get(
            "WHITEBOARD_HEARTBEAT_SECONDS"
        )
        for origin, witnessed in list(self._witnessed.items()):
            if everyone or witnessed.heard_at < silent_since:
                self._pending.extend(edit for _seq, edit in witnessed.edits)
                del self._witnessed[origin]

    async def _flush_periodically(self) -> None:
        while True:
            await asyncio.sleep(conf.get("WHITEBOARD_FLUSH_SECONDS"))
            await self.flush()

    # --- The channel layer

    def _tagged(self, message: dict) -> dict:
        return {**message, "origin": self.registry.process_id}

    async def _publish(self, message: dict) -> None:
        if self.layer is None:
            return
        try:
            await self.layer.group_send(self.group, self._tagged(message))
        except Exception:
            logger.exception("Board %s lost the channel layer", self.board_id)
            await self.lose_layer()

    async def _heartbeat(self) -> None:
        while True:
            if self._hello_out:
                logger.warning("Board %s: the channel layer went quiet", self.board_id)
                await self.lose_layer()
                return
            self._hello_out = True
            self._adopt_silent_witnessed()
            await self._publish(
                {
                    "type": "board.hello",
                    "reply_to": self._channel,
                    "state": self.doc.get_state(),
                    "saved": self._saved_seq,
                }
            )
            await asyncio.sleep(conf.get("WHITEBOARD_HEARTBEAT_SECONDS"))

    async def _listen(self) -> None:
        try:
            while True:
                message = await self.layer.receive(self._channel)
                await self._hear(message)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("Board %s lost the channel layer", self.board_id)
            await self.lose_layer()

    async def _hear(self, message: dict) -> None:
        own = message.get("origin") == self.registry.process_id
        kind = message.get("type")
        if kind == "board.hello":
            if own:
                self._hello_out = False
            else:
                self._saved_by(message["origin"], message.get("saved", 0))
                await self._answer_hello(message)
        elif kind == "board.saved":
            if not own:
                self._saved_by(message["origin"], message["through"])
        elif kind == "board.pen":
            # From the live-lesson service (no origin): holds on every process.
            self.pen_holders = set(message["holders"])
            self._pen_messages += 1
        elif own:
            return
        elif kind == "board.update":
            if not message.get("answer"):
                self._witness(message["origin"], message.get("seq"), message["update"])
            await self._hear_update(
                message["update"], answer=bool(message.get("answer"))
            )
        elif kind == "board.awareness":
            self.awareness.apply_awareness_update(message["update"], None)
            await self._relay(protocol.awareness(message["update"]))

    async def _hear_update(self, update: bytes, *, answer: bool = False) -> None:
        try:
            changed = self._apply(update)
        except protocol.ProtocolError:
            logger.exception("Board %s: a peer sent a broken update", self.board_id)
            return
        if answer and changed is not None:
            # A hello's answer holds what this room lacked, often edits a crashed
            # process never wrote: their authors, resyncing here, will not resend
            # them. Writing them again is harmless (updates are idempotent).
            self._pending.append(update)
        # A resync answer often holds nothing new; local sockets hear only news.
        if changed is not None:
            await self._relay(protocol.update(changed))

    def _saved_by(self, origin: str, through: int) -> None:
        witnessed = self._witnessed.get(origin)
        if witnessed is not None:
            witnessed.saved(through)

    async def _answer_hello(self, message: dict) -> None:
        missing = self.doc.get_update(message["state"])
        if missing == EMPTY_UPDATE:
            return
        try:
            await self.layer.send(
                message["reply_to"],
                self._tagged(
                    {"type": "board.update", "update": missing, "answer": True}
                ),
            )
        except Exception:
            logger.exception("Board %s lost the channel layer", self.board_id)
            await self.lose_layer()

    async def lose_layer(self) -> None:
        """Closes this room's sockets so their clients reconnect and resync."""
        if self.closing:
            return
        await self.registry.discard(self)
        await self.drop_all(LAYER_LOST)


class RoomRegistry:
    """This process's rooms, by board id."""

    def __init__(self, layer=None) -> None:
        self.process_id = uuid.uuid4().hex
        self.layer = layer if layer is not None else get_channel_layer()
        self.rooms: dict[int, Room] = {}

    async def join(self, board_id: int, socket: Socket) -> Room:
        """The board's room, opened if needed, with `socket` in it.

        Concurrent first joins share one load; a join that meets a closing room
        waits until its last edits are written, then opens a fresh one.
        """
        while True:
            room = self.rooms.get(board_id)
            if room is None:
                room = self.rooms[board_id] = Room(board_id, self)
            if room.closing:
                await room.closed.wait()
                continue
            room.add(socket)
            try:
                await room.open()
            except BaseException:
                room.sockets.discard(socket)
                if self.rooms.get(board_id) is room and not room.sockets:
                    del self.rooms[board_id]
                raise
            return room

    async def leave(self, room: Room, socket: Socket) -> None:
        """Takes the socket out; the last one out writes the room's edits at once."""
        await room.remove(socket)
        if room.sockets or room.closing:
            return
        await room.flush()
        room.idle_task = asyncio.create_task(self._drop_when_idle(room))

    async def _drop_when_idle(self, room: Room) -> None:
        await asyncio.sleep(conf.get("WHITEBOARD_IDLE_SECONDS"))
        if not room.sockets:
            await self.discard(room)

    async def discard(self, room: Room) -> None:
        """Closes the room (writing its edits) and forgets it."""
        if room.closing:
            await room.closed.wait()
            return
        await room.close()
        if self.rooms.get(room.board_id) is room:
            del self.rooms[room.board_id]

    async def shutdown(self) -> None:
        """Writes and closes every room (the process is stopping)."""
        for room in list(self.rooms.values()):
            await self.discard(room)


registry = RoomRegistry()
