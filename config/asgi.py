"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

# Production unless told otherwise: development settings (DEBUG, a public
# SECRET_KEY, password login) are chosen explicitly, as `make run` does.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.websocket import LoggingOriginValidator  # noqa: E402
from gamification.routing import (  # noqa: E402
    websocket_urlpatterns as gamification_websockets,
)
from school.routing import websocket_urlpatterns as school_websockets  # noqa: E402
from whiteboard.routing import (  # noqa: E402
    websocket_urlpatterns as whiteboard_websockets,
)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": LoggingOriginValidator(
            AuthMiddlewareStack(
                URLRouter(
                    school_websockets + gamification_websockets + whiteboard_websockets
                )
            )
        ),
    }
)
