"""The diary's live feed: a family's open pages hear when the diary changes."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from school.diary.access import can_follow_diary
from school.services import family_group_name
from school.socket_access import AccessCheckedSocket
from school.socket_limits import InboundLimits


class DiaryConsumer(AccessCheckedSocket, InboundLimits, AsyncJsonWebsocketConsumer):
    """Relays `family.event` messages of one pupil to a page allowed to see them.

    Read-only: the page only listens, so any frame it sends gets an error reply.
    Refuses with 4401 when nobody is signed in, 4403 when the person may not see
    this pupil's diary (the same rule as the diary pages).
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        pupil_id = self.scope["url_route"]["kwargs"]["pupil_id"]
        if not await database_sync_to_async(can_follow_diary)(user, pupil_id):
            await self.close(code=4403)
            return
        self.pupil_id = pupil_id
        self.group = family_group_name(pupil_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.access_watch_start(user)

    def still_allowed(self, user) -> bool:
        return can_follow_diary(user, self.pupil_id)

    async def disconnect(self, code):
        await self.access_watch_stop()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.send_json({"type": "error", "detail": "This socket only sends."})

    async def family_event(self, event):
        await self.send_json(
            {"type": "diary.event", "kind": event["kind"], "data": event["data"]}
        )
