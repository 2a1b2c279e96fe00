"""The control socket of a live lesson: presence, pen, follow-me, pushes, the end.

JSON over `ws/live/<session id>/`. The teacher who gives the lesson sends
commands; pupils of the class only receive (anything they send is refused with an
error frame and changes nothing). Drawing itself goes over `ws/board/<id>`.
"""

import asyncio
import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from pydantic import ValidationError as SchemaError

from school.socket_access import AccessCheckedSocket
from school.socket_limits import InboundLimits
from whiteboard import access, conf, live, live_schemas, selectors
from whiteboard.access import LiveRole

logger = logging.getLogger("whiteboard.live")

SIGNED_OUT, FORBIDDEN, ENDED = 4401, 4403, 4410
# Follow-me sends the viewport as the teacher pans: allow a steady stream.
RATE_PER_SECOND, RATE_BURST = 20.0, 60


class LiveConsumer(AccessCheckedSocket, InboundLimits, AsyncJsonWebsocketConsumer):
    inbound_rate_per_second, inbound_burst = RATE_PER_SECOND, RATE_BURST
    inbound_max_bytes = 16 * 1024
    group: str | None = None
    _presence_task: asyncio.Task | None = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=SIGNED_OUT)
            return
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        found = await database_sync_to_async(access.get_live_session_for_user)(
            user, session_id
        )
        if found is None:
            await self.close(code=FORBIDDEN)
            return
        self.user, (self.session, self.role) = user, found
        self.group = live.live_group_name(session_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(live.live_presence_enter)(
            session=self.session, user=user
        )
        await self.send_json(selectors.live_state(session=self.session))
        self._presence_task = asyncio.create_task(self._mark_presence())
        await self.access_watch_start(user)

    def still_allowed(self, user) -> bool:
        found = access.get_live_session_for_user(user, self.session.pk)
        return found is not None and found[1] is self.role

    async def _mark_presence(self) -> None:
        """Keeps this person present; the teacher's console also hears the list
        again, so people whose process died drop out of it."""
        while True:
            await asyncio.sleep(conf.get("WHITEBOARD_PRESENCE_SECONDS"))
            await database_sync_to_async(live.live_presence_touch)(
                session_id=self.session.pk, user_id=self.user.pk
            )
            if self.role is LiveRole.TEACHER:
                present = await database_sync_to_async(selectors.live_present)(
                    session_id=self.session.pk
                )
                await self.send_json({"type": "presence", "present": present})

    async def disconnect(self, code):
        await self.access_watch_stop()
        if self._presence_task is not None:
            self._presence_task.cancel()
        if self.group is None:
            return
        group, self.group = self.group, None
        await self.channel_layer.group_discard(group, self.channel_name)
        await database_sync_to_async(live.live_presence_leave)(
            session=self.session, user=self.user
        )

    async def receive_json(self, content, **kwargs):
        if self.role is not LiveRole.TEACHER:
            await self._error("forbidden")
            return
        try:
            command = live_schemas.parse(content)
        except SchemaError:
            await self._error("malformed")
            return
        try:
            reply = await database_sync_to_async(self._run)(command)
        except (Http404, PermissionDenied):
            # The session ended or the person no longer gives the lesson.
            await self.close(code=FORBIDDEN)
        except ValidationError as error:
            await self._error("invalid", error.messages)
        else:
            if reply is not None:
                await self.send_json(reply)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self._error("malformed")
            return
        try:
            await super().receive(text_data=text_data)
        except json.JSONDecodeError:
            await self._error("malformed")

    def _run(self, command: live_schemas.Command) -> dict | None:
        # Loaded afresh for every command: the stored pen and follow state, and the
        # teacher's right to run the session, may have changed since connecting.
        session = access.get_live_session_to_control(self.user, self.session.pk)
        return live_schemas.execute(command, teacher=self.user, session=session)

    async def inbound_too_fast(self) -> None:
        await self._error("too_fast")

    async def _error(self, code: str, messages: list[str] | None = None) -> None:
        await self.send_json(
            {"type": "error", "code": code, "messages": messages or []}
        )

    async def live_event(self, message):
        event = message["event"]
        # Who is present is the teacher's console's business, not the class's.
        if event["type"] == "presence" and self.role is not LiveRole.TEACHER:
            return
        await self.send_json(event)
        if event["type"] == "ended":
            await self.close(code=ENDED)
