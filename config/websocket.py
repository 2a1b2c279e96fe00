"""Origin checking for websockets that says in the log when it refuses."""

import logging

from channels.security.websocket import OriginValidator
from django.conf import settings

logger = logging.getLogger("school.websocket")


class LoggingOriginValidator(OriginValidator):
    """AllowedHostsOriginValidator that logs each refusal (the stock one is silent)."""

    def __init__(self, application):
        allowed = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not allowed:
            allowed = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)

    def valid_origin(self, parsed_origin) -> bool:
        allowed = super().valid_origin(parsed_origin)
        if not allowed:
            origin = parsed_origin.geturl() if parsed_origin else None
            logger.warning("Refused a websocket from origin %r", origin)
        return allowed
