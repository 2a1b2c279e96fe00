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
