"""The per-person notifications websocket."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from school.services import user_group_name
from school.socket_access import AccessCheckedSocket
from school.socket_limits import InboundLimits


class NotificationConsumer(
    AccessCheckedSocket, InboundLimits, AsyncJsonWebsocketConsumer
):
    """Pushes a signed-in person's notifications to every page they have open.

    Read-only: the client sends nothing that changes state, so any frame it sends
    gets an error reply and is otherwise ignored.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group_name(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.access_watch_start(user)

    async def disconnect(self, code):
        await self.access_watch_stop()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.send_json({"type": "error", "detail": "This socket only sends."})

    async def notification_created(self, event):
        await self.send_json(
            {
                "type": "notification",
                "id": event["id"],
                "text": event["text"],
                "created_at": event["created_at"],
            }
        )

    async def points_awarded(self, event):
        # Sent by the points ledger (gamification.events) to the pupil's group; the
        # school app only relays it, so it needs no knowledge of points.
        await self.send_json(event)
