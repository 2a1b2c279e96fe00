"""The whiteboard websocket: the y-websocket protocol over a live room."""

import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from lib.token_bucket import TokenBucket
from school.socket_access import AccessCheckedSocket
from whiteboard import access, conf, protocol, rooms
from whiteboard.protocol import Kind

logger = logging.getLogger("whiteboard.consumers")

# Close codes: 4401 signed out, 4403 no access (also for a board that does not
# exist), 4400 malformed bytes, 4429 flooding, 1009 frame too big, 1003 text frame.
SIGNED_OUT, FORBIDDEN, MALFORMED, FLOODING = 4401, 4403, 4400, 4429
TOO_BIG, UNSUPPORTED = 1009, 1003


class BoardConsumer(AccessCheckedSocket, AsyncWebsocketConsumer):
    """Speaks y-websocket so the stock `yjs` + `y-websocket` client works unchanged.

    Teachers of the lesson draw; pupils of the class watch (their updates are
    dropped) unless the room lists them as pen holders. Anything malformed or too
    fast closes this socket only; the room and the others carry on.
    """

    room: rooms.Room | None = None
    # No channel of its own: the room has one per process, and a channel per
    # socket costs every layer message a scan (in memory) or a subscription (Redis).
    channel_layer_alias = "board sockets have no channel"

    async def dispatch(self, message):
        # Channels hops to the database thread before every handler; a frame
        # touches no database and would wait there behind the rooms' writes.
        if message["type"] == "websocket.receive":
            await self.websocket_receive(message)
        else:
            await super().dispatch(message)

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=SIGNED_OUT)
            return
        board_id = int(self.scope["url_route"]["kwargs"]["board_id"])
        found = await database_sync_to_async(access.get_board_mode_for_user)(
            user, board_id
        )
        if found is None:
            await self.close(code=FORBIDDEN)
            return
        self.user_id, self.board_id, self.mode = user.pk, board_id, found[1]
        self.bucket = TokenBucket(
            conf.get("WHITEBOARD_RATE_PER_SECOND"), conf.get("WHITEBOARD_RATE_BURST")
        )
        await self.accept()
        try:
            self.room = await rooms.registry.join(board_id, self)
        except Exception:
            # Storage or the channel layer is down: the client retries with back-off.
            logger.exception("Could not open whiteboard %s", board_id)
            await self.close(code=rooms.LAYER_LOST)
            return
        await self.send(bytes_data=protocol.sync_step1(self.room.doc))
        others = self.room.awareness_frame()
        if others is not None:
            await self.send(bytes_data=others)
        await self.access_watch_start(user)

    def still_allowed(self, user) -> bool:
        found = access.get_board_mode_for_user(user, self.board_id)
        if found is not None:
            self.mode = found[1]  # a teacher who became a guest draws no more
        return found is not None

    async def access_lost(self) -> None:
        await self.drop(FORBIDDEN)

    async def disconnect(self, code):
        await self.access_watch_stop()
        if self.room is not None:
            room, self.room = self.room, None
            await rooms.registry.leave(room, self)

    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None:
            return
        if bytes_data is None:
            await self._refuse(UNSUPPORTED)
        elif len(bytes_data) > conf.get("WHITEBOARD_MAX_FRAME_BYTES"):
            await self._refuse(TOO_BIG)
        elif not self.bucket.take():
            await self._refuse(FLOODING)
        else:
            try:
                await self._handle(protocol.parse(bytes_data))
            except protocol.ProtocolError:
                await self._refuse(MALFORMED)
            except rooms.AwarenessRefused as refused:
                await self._refuse(refused.code)

    async def _handle(self, message: protocol.Message) -> None:
        room = self.room
        if message.kind is Kind.SYNC_STEP1:
            # Answer only this client: broadcasting SyncStep2 makes every join O(N²).
            await self.send(bytes_data=room.sync_reply(message.payload))
        elif message.kind in (Kind.SYNC_STEP2, Kind.SYNC_UPDATE):
            if access.may_edit(self.mode, self.user_id, room.pen_holders):
                await room.edit(message.payload, sender=self)
        elif message.kind is Kind.AWARENESS:
            await room.aware(message.payload, sender=self)
        elif message.kind is Kind.QUERY_AWARENESS:
            frame = room.awareness_frame()
            if frame is not None:
                await self.send(bytes_data=frame)

    async def _refuse(self, code: int) -> None:
        logger.warning("Closing a whiteboard socket of user %s: %s", self.user_id, code)
        await self.drop(code)

    # --- What the room calls (rooms.Socket)

    async def send_frame(self, frame: bytes) -> None:
        await self.send(bytes_data=frame)

    async def drop(self, code: int) -> None:
        await self.close(code=code)
        # Leave now: the room must not relay to, or take edits from, a closing socket.
        await self.disconnect(code)
