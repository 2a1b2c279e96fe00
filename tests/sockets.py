"""Helpers shared by the websocket tests."""

import datetime
import uuid

import pytest


@pytest.fixture(autouse=True)
def own_redis_prefix(settings):
    """Keeps a test's sockets off the group names other runs use on the same Redis.

    Redis pub/sub ignores database numbers, and test databases all start their ids
    at 1, so `user.1` of a concurrent run would otherwise reach these sockets.
    Import it into a test module (or conftest) to apply it there.
    """
    layer = settings.CHANNEL_LAYERS["default"]
    if "redis" in layer["BACKEND"]:
        config = {**layer["CONFIG"], "prefix": f"test{uuid.uuid4().hex[:12]}"}
        settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": config}}


def pupil_leaves_their_classes(pupil) -> None:
    """Ends the pupil's enrolments yesterday the way the roster importer does:
    in bulk (no model signals), announced once to everyone."""
    from django.utils import timezone

    from school.access_changes import access_changes_batched
    from school.models import Enrolment

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    enrolments = list(Enrolment.objects.filter(pupil=pupil))
    with access_changes_batched():
        for enrolment in enrolments:
            enrolment.ends_on = yesterday
        Enrolment.objects.bulk_update(enrolments, ["ends_on"])


async def session_cookie(user) -> bytes:
    """A `Cookie` header value signing `user` in, as the browser sends it."""
    from channels.db import database_sync_to_async
    from django.conf import settings
    from django.test import Client

    def sign_in() -> str:
        client = Client()
        client.force_login(user, backend="school.backends.LocalPasswordBackend")
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    key = await database_sync_to_async(sign_in)()
    return f"{settings.SESSION_COOKIE_NAME}={key}".encode()
