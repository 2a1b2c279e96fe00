from django.urls import re_path

from whiteboard.consumers import BoardConsumer
from whiteboard.live_consumers import LiveConsumer

# y-websocket connects to `<base url>/<room name>`: with base `ws/board` and the
# board id as the room name, that is `ws/board/<id>` (no trailing slash).
websocket_urlpatterns = [
    re_path(r"^ws/board/(?P<board_id>[0-9]+)/?$", BoardConsumer.as_asgi()),
    re_path(r"^ws/live/(?P<session_id>[0-9]+)/?$", LiveConsumer.as_asgi()),
]
