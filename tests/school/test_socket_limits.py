"""Every JSON socket measures and counts a frame before it parses it: an
oversized frame closes it with 1009, a flood of small ones closes the read-only
sockets with 4429 and gets `too_fast` on the live console and the quiz.
Personas: tests/conftest.py `city`."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from gamification.quiz import services as quiz_services
from school.socket_limits import FLOODING, TOO_BIG
from tests import factories
from tests.sockets import (  # noqa: F401 (own_redis_prefix: autouse)
    own_redis_prefix,
    session_cookie,
)
from whiteboard import live

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10
# Not JSON at all: a socket that parsed it first would answer "malformed".
OVERSIZED = "{" * (64 * 1024)


async def opened(user, path: str) -> WebsocketCommunicator:
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", await session_cookie(user)),
    ]
    socket = WebsocketCommunicator(application, path, headers=headers)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    return socket


async def close_code(socket: WebsocketCommunicator) -> int | None:
    while True:
        output = await socket.receive_output(timeout=WAIT)
        if output["type"] == "websocket.close":
            return output.get("code")


@database_sync_to_async
def quiz_path(city) -> str:
    game = quiz_services.quiz_game_create(
        host=city.teacher,
        title="Счёт",
        questions=[{"text": "2+2", "choices": ["3", "4"], "correct": [1]}],
        class_group=city.class_in,
    )
    return f"/ws/quiz/{game.pk}/"


@database_sync_to_async
def live_path(city) -> str:
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    session = live.live_session_start(teacher=city.teacher, lesson=lesson)
    return f"/ws/live/{session.pk}/"


async def path_of(city, kind: str) -> str:
    if kind == "quiz":
        return await quiz_path(city)
    if kind == "live console":
        return await live_path(city)
    return {
        "diary": f"/ws/diary/{city.pupil_in.pk}/",
        "notifications": "/ws/notifications/",
        "class points": f"/ws/points/class/{city.class_in.pk}/",
    }[kind]


SOCKETS = ["diary", "notifications", "class points", "live console", "quiz"]


@pytest.mark.parametrize("kind", SOCKETS)
async def test_an_oversized_frame_closes_the_socket_unparsed(city, kind):
    socket = await opened(city.teacher, await path_of(city, kind))
    await socket.send_to(text_data=OVERSIZED)
    assert await close_code(socket) == TOO_BIG


@pytest.mark.parametrize("kind", ["diary", "notifications", "class points"])
async def test_a_flood_closes_a_read_only_socket(city, kind):
    socket = await opened(city.teacher, await path_of(city, kind))
    for _ in range(50):
        await socket.send_to(text_data="{}")
    assert await close_code(socket) == FLOODING


@pytest.mark.parametrize("kind", ["live console", "quiz"])
async def test_a_flood_of_unparsable_frames_gets_too_fast(city, kind):
    socket = await opened(city.teacher, await path_of(city, kind))
    for _ in range(100):
        await socket.send_to(text_data="not json")
    codes = set()
    for _ in range(100):
        frame = await socket.receive_json_from(timeout=WAIT)
        codes.add(frame.get("code"))
        if "too_fast" in codes:
            break
    assert "too_fast" in codes
    await socket.disconnect()
