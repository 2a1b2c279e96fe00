"""The notifications websocket, through the real ASGI stack and a real session.

Each socket is opened on `config.asgi.application` with the session cookie a
signed-in browser would send, so the origin check, the session middleware and the
consumer all run. "Nothing arrived" is proven without waiting: a later, committed
marker notification must be the first frame the socket sees.
"""

import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client

from config.asgi import application
from school import services
from school.models import Notification
from tests.sockets import own_redis_prefix  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notifications/"
ORIGIN = b"http://127.0.0.1"
WAIT = 10  # seconds a frame may take to arrive before the test gives up


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={key}".encode()


async def socket_for(user=None, origin: bytes = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    return WebsocketCommunicator(application, PATH, headers=headers)


async def connected(user) -> WebsocketCommunicator:
    communicator = await socket_for(user)
    ok, _ = await communicator.connect(timeout=WAIT)
    assert ok
    return communicator


send = database_sync_to_async(
    lambda user, text: services.notification_send(recipients=[user], text=text)
)


@database_sync_to_async
def send_and_roll_back(user, text: str) -> None:
    class Abort(Exception):
        pass

    try:
        with transaction.atomic():
            services.notification_send(recipients=[user], text=text)
            raise Abort
    except Abort:
        pass


count_notifications = database_sync_to_async(lambda: Notification.objects.count())


async def test_signed_in_user_receives_a_committed_notification(city):
    socket = await connected(city.parent)
    [notification] = await send(city.parent, "Петя получил пятёрку")
    message = await socket.receive_json_from(timeout=WAIT)
    assert message["type"] == "notification"
    assert message["text"] == "Петя получил пятёрку"
    assert message["id"] == notification.pk
    await socket.disconnect()


async def test_nothing_is_sent_when_the_transaction_rolls_back(city):
    socket = await connected(city.parent)
    await send_and_roll_back(city.parent, "Никогда не было")
    await send(city.parent, "marker")
    message = await socket.receive_json_from(timeout=WAIT)
    assert message["text"] == "marker"
    assert await count_notifications() == 1
    await socket.disconnect()


async def test_another_user_does_not_receive_it(city):
    parent = await connected(city.parent)
    other = await connected(city.other_parent)
    await send(city.parent, "Только для Ольги")
    await send(city.other_parent, "marker")
    assert (await other.receive_json_from(timeout=WAIT))["text"] == "marker"
    assert (await parent.receive_json_from(timeout=WAIT))["text"] == "Только для Ольги"
    await parent.disconnect()
    await other.disconnect()


async def test_anonymous_is_refused():
    socket = await socket_for(user=None)
    ok, code = await socket.connect(timeout=WAIT)
    assert not ok
    assert code == 4401


async def test_deactivated_account_is_refused(city):
    socket = await socket_for(city.parent)
    city.parent.is_active = False
    await database_sync_to_async(city.parent.save)(update_fields=["is_active"])
    ok, code = await socket.connect(timeout=WAIT)
    assert not ok
    assert code == 4401


async def test_foreign_origin_is_refused_and_logged(city, caplog):
    socket = await socket_for(city.parent, origin=b"http://evil.example")
    with caplog.at_level(logging.WARNING, logger="school.websocket"):
        ok, _ = await socket.connect(timeout=WAIT)
    assert not ok
    assert any(
        "http://evil.example" in record.getMessage() for record in caplog.records
    )


async def test_missing_origin_is_refused(city):
    cookie = await session_cookie(city.parent)
    socket = WebsocketCommunicator(application, PATH, headers=[(b"cookie", cookie)])
    ok, _ = await socket.connect(timeout=WAIT)
    assert not ok


async def test_a_frame_from_the_client_gets_an_error_and_changes_nothing(city):
    socket = await connected(city.parent)
    watcher = await connected(city.pupil_in)
    await socket.send_json_to(
        {
            "type": "notification.created",
            "id": 1,
            "text": "Поддельное",
            "created_at": "",
        }
    )
    reply = await socket.receive_json_from(timeout=WAIT)
    assert reply["type"] == "error"
    assert await count_notifications() == 0
    await send(city.pupil_in, "marker")
    assert (await watcher.receive_json_from(timeout=WAIT))["text"] == "marker"
    # The socket stays usable after the refusal.
    await send(city.parent, "Настоящее")
    assert (await socket.receive_json_from(timeout=WAIT))["text"] == "Настоящее"
    await socket.disconnect()
    await watcher.disconnect()
