"""An open socket loses what its person loses: the diary, notification and class
points sockets close with 4403 within seconds of a guardianship, enrolment,
teaching assignment, role, account or session change, through the real ASGI
stack and the configured channel layer (Redis in the scale-out run).

Personas: tests/conftest.py `city`.
"""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from school.models import Guardianship, RoleGrant, TeachingAssignment
from school.services import city_session_record, city_sessions_end
from school.socket_access import ACCESS_LOST
from tests.sockets import (  # noqa: F401 (own_redis_prefix: autouse)
    own_redis_prefix,
    pupil_leaves_their_classes,
)

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = b"http://127.0.0.1"
DEADLINE = 5  # seconds: the promise made to the people whose access ends
WAIT = 10


@database_sync_to_async
def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


async def open_socket(client: Client, path: str) -> WebsocketCommunicator:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = [
        (b"origin", ORIGIN),
        (b"host", b"127.0.0.1"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    socket = WebsocketCommunicator(application, path, headers=headers)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    return socket


async def closed_with(socket: WebsocketCommunicator) -> int | None:
    """The close code the socket gets within the deadline (frames before it are
    skipped); fails the test when it stays open."""
    while True:
        output = await socket.receive_output(timeout=DEADLINE)
        if output["type"] == "websocket.close":
            return output.get("code")


async def still_open(socket: WebsocketCommunicator) -> bool:
    """Nothing was closed: the socket still answers a frame (these sockets reply
    to anything sent with an error)."""
    await socket.send_json_to({"type": "ping"})
    output = await socket.receive_output(timeout=WAIT)
    return output["type"] == "websocket.send"


# --- The diary


async def test_a_parent_unlinked_from_the_child_stops_hearing_the_diary(city):
    socket = await open_socket(
        await signed_in(city.parent), f"/ws/diary/{city.pupil_in.pk}/"
    )
    await database_sync_to_async(
        Guardianship.objects.filter(parent=city.parent).delete
    )()
    assert await closed_with(socket) == ACCESS_LOST


async def test_another_familys_change_leaves_the_socket_open(city):
    socket = await open_socket(
        await signed_in(city.parent), f"/ws/diary/{city.pupil_in.pk}/"
    )
    await database_sync_to_async(
        Guardianship.objects.filter(parent=city.other_parent).delete
    )()
    assert await still_open(socket)
    await socket.disconnect()


@pytest.mark.parametrize("socket_kind", ["diary", "class points"])
async def test_a_teacher_taken_off_the_class_loses_its_sockets(city, socket_kind):
    path = {
        "diary": f"/ws/diary/{city.pupil_in.pk}/",
        "class points": f"/ws/points/class/{city.class_in.pk}/",
    }[socket_kind]
    socket = await open_socket(await signed_in(city.teacher), path)
    await database_sync_to_async(
        TeachingAssignment.objects.filter(teacher=city.teacher).delete
    )()
    assert await closed_with(socket) == ACCESS_LOST


enrolment_end = database_sync_to_async(pupil_leaves_their_classes)


async def test_a_teacher_stops_hearing_a_pupil_who_left_the_class(city):
    socket = await open_socket(
        await signed_in(city.teacher), f"/ws/diary/{city.pupil_in.pk}/"
    )
    await enrolment_end(city.pupil_in)
    assert await closed_with(socket) == ACCESS_LOST


# --- Notifications: the person's own socket, lost with the account or session


async def test_signing_out_closes_that_sessions_sockets_only(city):
    phone, laptop = await signed_in(city.parent), await signed_in(city.parent)
    on_phone = await open_socket(phone, "/ws/notifications/")
    on_laptop = await open_socket(laptop, "/ws/notifications/")

    await database_sync_to_async(phone.logout)()

    assert await closed_with(on_phone) == ACCESS_LOST
    assert await still_open(on_laptop)
    await on_laptop.disconnect()


async def test_a_deactivated_account_loses_its_sockets(city):
    socket = await open_socket(await signed_in(city.parent), "/ws/notifications/")
    city.parent.is_active = False
    await database_sync_to_async(city.parent.save)()
    assert await closed_with(socket) == ACCESS_LOST


@database_sync_to_async
def city_session_of(client: Client, user) -> None:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    user.oidc_issuer, user.oidc_sub = "https://idp.example", "sub-olga"
    user.save(update_fields=["oidc_issuer", "oidc_sub"])
    city_session_record(user=user, session_key=key, sid="sid-1")


async def test_a_back_channel_logout_closes_the_sessions_sockets(city):
    client = await signed_in(city.parent)
    await city_session_of(client, city.parent)
    socket = await open_socket(client, "/ws/notifications/")

    ended = await database_sync_to_async(city_sessions_end)(
        issuer="https://idp.example", sub=None, sid="sid-1"
    )

    assert ended == 1
    assert await closed_with(socket) == ACCESS_LOST


# --- A class's points on the teacher's console


async def test_a_teacher_who_loses_the_teacher_role_stops_watching_class_points(city):
    socket = await open_socket(
        await signed_in(city.teacher), f"/ws/points/class/{city.class_in.pk}/"
    )
    await database_sync_to_async(RoleGrant.objects.filter(user=city.teacher).delete)()
    assert await closed_with(socket) == ACCESS_LOST
