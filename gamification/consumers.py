"""The live points of a class, for its teachers' live-lesson console."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from gamification.access import can_watch_class_points
from gamification.events import class_points_group_name
from school.socket_access import AccessCheckedSocket
from school.socket_limits import InboundLimits

SIGNED_OUT, FORBIDDEN = 4401, 4403


class ClassPointsConsumer(
    AccessCheckedSocket, InboundLimits, AsyncJsonWebsocketConsumer
):
    """Relays `points.awarded` events of a class's pupils (`ws/points/class/<id>/`).

    Read-only: anything the page sends gets an error reply. Refuses with 4401
    when nobody is signed in and 4403 for anyone but a teacher of the class.
    """

    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=SIGNED_OUT)
            return
        class_id = int(self.scope["url_route"]["kwargs"]["class_id"])
        if not await database_sync_to_async(can_watch_class_points)(user, class_id):
            await self.close(code=FORBIDDEN)
            return
        self.class_id = class_id
        self.group = class_points_group_name(class_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.access_watch_start(user)

    def still_allowed(self, user) -> bool:
        return can_watch_class_points(user, self.class_id)

    async def disconnect(self, code):
        await self.access_watch_stop()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.send_json({"type": "error", "detail": "This socket only sends."})

    async def points_awarded(self, event):
        await self.send_json(event)
