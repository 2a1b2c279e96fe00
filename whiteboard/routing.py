from django.urls import re_path

from whiteboard.consumers import BoardConsumer

# y-websocket connects to `<base url>/<room name>`: with base `ws/board` and the
# board id as the room name, that is `ws/board/<id>` (no trailing slash).
websocket_urlpatterns = [
    re_path(r"^ws/board/(?P<board_id>[0-9]+)/?$", BoardConsumer.as_asgi()),
]
