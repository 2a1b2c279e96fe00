"""The diary's websocket, through the real ASGI stack with a real session.

"Nothing arrived" is proven without waiting: a later, committed mark must be the
first frame the socket sees.
"""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client

from config.asgi import application
from school.gradebook.services import mark_set
from school.models import WorkType
from tests import factories
from tests.sockets import own_redis_prefix  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = b"http://127.0.0.1"
WAIT = 10  # seconds a frame may take to arrive before the test gives up


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={key}".encode()


async def socket_for(user, pupil, origin: bytes = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    return WebsocketCommunicator(application, f"/ws/diary/{pupil.pk}/", headers=headers)


async def connected(user, pupil) -> WebsocketCommunicator:
    socket = await socket_for(user, pupil)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    return socket


async def refused_with(user, pupil) -> int | None:
    socket = await socket_for(user, pupil)
    ok, code = await socket.connect(timeout=WAIT)
    assert not ok
    return code


@database_sync_to_async
def lesson_of(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@database_sync_to_async
def give(city, lesson, pupil, value, *, roll_back=False) -> None:
    class Abort(Exception):
        pass

    # Transactional tests flush the work types the migration made; bring one back.
    work_type, _ = WorkType.objects.get_or_create(
        code="classwork", defaults={"name": "Работа на уроке", "weight": 1}
    )
    try:
        with transaction.atomic():
            mark_set(
                teacher=city.teacher,
                lesson=lesson,
                pupil=pupil,
                work_type=work_type,
                value=value,
            )
            if roll_back:
                raise Abort
    except Abort:
        pass


async def test_parent_hears_a_mark_once_it_is_committed(city):
    lesson = await lesson_of(city)
    socket = await connected(city.parent, city.pupil_in)
    await give(city, lesson, city.pupil_in, 5)
    message = await socket.receive_json_from(timeout=WAIT)
    assert message["type"] == "diary.event"
    assert message["kind"] == "mark"
    assert message["data"]["value"] == 5
    assert message["data"]["lesson_id"] == lesson.pk
    assert message["data"]["date"] == lesson.date.isoformat()
    await socket.disconnect()


async def test_a_rolled_back_mark_is_never_heard(city):
    lesson = await lesson_of(city)
    socket = await connected(city.parent, city.pupil_in)
    await give(city, lesson, city.pupil_in, 2, roll_back=True)
    await give(city, lesson, city.pupil_in, 4)
    message = await socket.receive_json_from(timeout=WAIT)
    assert message["data"]["value"] == 4
    await socket.disconnect()


async def test_the_pupil_and_the_class_teacher_hear_it_too(city):
    lesson = await lesson_of(city)
    pupil = await connected(city.pupil_in, city.pupil_in)
    teacher = await connected(city.teacher, city.pupil_in)
    await give(city, lesson, city.pupil_in, 3)
    assert (await pupil.receive_json_from(timeout=WAIT))["data"]["value"] == 3
    assert (await teacher.receive_json_from(timeout=WAIT))["data"]["value"] == 3
    await pupil.disconnect()
    await teacher.disconnect()


async def test_a_classmates_mark_does_not_reach_another_family(city):
    classmate = await database_sync_to_async(factories.make_pupil)(city.class_in)
    lesson = await lesson_of(city)
    socket = await connected(city.parent, city.pupil_in)
    await give(city, lesson, classmate, 2)
    await give(city, lesson, city.pupil_in, 5)
    assert (await socket.receive_json_from(timeout=WAIT))["data"]["value"] == 5
    await socket.disconnect()


@pytest.mark.parametrize("persona", ["other_parent", "other_teacher", "admin_two"])
async def test_strangers_cannot_even_connect(city, persona):
    assert await refused_with(getattr(city, persona), city.pupil_in) == 4403


async def test_a_pupil_cannot_follow_a_classmate(city):
    classmate = await database_sync_to_async(factories.make_pupil)(city.class_in)
    assert await refused_with(city.pupil_in, classmate) == 4403


async def test_following_someone_who_is_not_a_pupil_is_refused(city):
    assert await refused_with(city.parent, city.teacher) == 4403


async def test_signed_out_visitors_are_refused(city):
    assert await refused_with(None, city.pupil_in) == 4401


async def test_a_foreign_origin_is_refused(city):
    socket = await socket_for(city.parent, city.pupil_in, origin=b"http://evil.example")
    ok, _ = await socket.connect(timeout=WAIT)
    assert not ok


async def test_a_frame_from_the_page_gets_an_error_and_the_socket_keeps_working(city):
    lesson = await lesson_of(city)
    socket = await connected(city.parent, city.pupil_in)
    await socket.send_json_to(
        {"type": "family.event", "kind": "mark", "pupil_id": 1, "data": {}}
    )
    assert (await socket.receive_json_from(timeout=WAIT))["type"] == "error"
    await give(city, lesson, city.pupil_in, 4)
    assert (await socket.receive_json_from(timeout=WAIT))["data"]["value"] == 4
    await socket.disconnect()
