"""The live quiz socket as the host's and players' pages use it."""

import asyncio
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections
from django.test import Client

from config.asgi import application
from gamification import quiz_consumers
from gamification.models import GameStatus, PointsEntry, QuizAnswer, QuizGame
from gamification.quiz import services
from school.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10
QUESTIONS = [
    {"text": "2+2", "choices": ["3", "4", "5"], "correct": [1], "time_limit": 20},
    {"text": "3×3", "choices": ["9", "6"], "correct": [0], "time_limit": 20},
]


@pytest.fixture(autouse=True)
def _isolated(settings):
    cache.clear()
    layer = settings.CHANNEL_LAYERS["default"]
    if "redis" in layer["BACKEND"]:
        config = {**layer["CONFIG"], "prefix": f"test{uuid.uuid4().hex[:12]}"}
        settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": config}}
    yield
    connections.close_all()


@pytest.fixture
def game(city):
    return services.quiz_game_create(
        host=city.teacher, title="Счёт", questions=QUESTIONS, class_group=city.class_in
    )


@pytest.fixture
def masha(city):
    return factories.make_pupil(city.class_in, username="masha", first_name="Маша")


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return f"{django_settings.SESSION_COOKIE_NAME}={key}".encode()


async def socket_for(user, game) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    return WebsocketCommunicator(application, f"/ws/quiz/{game.pk}/", headers=headers)


async def connected(user, game) -> tuple[WebsocketCommunicator, dict]:
    socket = await socket_for(user, game)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    state = await socket.receive_json_from(timeout=WAIT)
    assert state["type"] == "state"
    return socket, state


async def joined(user, game) -> tuple[WebsocketCommunicator, dict]:
    await database_sync_to_async(services.quiz_join)(user=user, code=game.code)
    return await connected(user, game)


async def next_frame(socket, kind: str, seen: list | None = None) -> dict:
    """The next frame of this type; the frames skipped on the way go to `seen`."""
    while True:
        frame = await socket.receive_json_from(timeout=WAIT)
        if seen is not None:
            seen.append(frame)
        if frame["type"] == kind:
            return frame


async def refused_with(user, game) -> int:
    socket = await socket_for(user, game)
    ok, code = await socket.connect(timeout=WAIT)
    assert not ok
    return code


@database_sync_to_async
def stored(game) -> QuizGame:
    return QuizGame.objects.get(pk=game.pk)


@database_sync_to_async
def shorten(game, seconds: int) -> None:
    """Questions shorter than the service allows, to keep the tests quick."""
    questions = [{**question, "time_limit": seconds} for question in QUESTIONS]
    QuizGame.objects.filter(pk=game.pk).update(questions=questions)


@pytest.mark.parametrize("persona", ["pupil_out", "parent", "other_teacher"])
async def test_people_outside_the_game_are_refused(city, game, persona):
    assert await refused_with(getattr(city, persona), game) == 4403


async def test_a_pupil_of_the_class_who_has_not_joined_is_refused(city, game):
    """Joining goes through the code (and its rate limit), not the socket."""
    assert await refused_with(city.pupil_in, game) == 4403


async def test_signed_out_visitors_are_refused(game):
    assert await refused_with(None, game) == 4401


async def test_the_host_sees_who_joins(city, game):
    host, state = await connected(city.teacher, game)
    assert state["code"] == game.code and state["lobby"] == []
    await joined(city.pupil_in, game)
    frame = await next_frame(host, "joined")
    assert frame["players"] == 1 and frame["name"]


async def test_the_host_counts_the_answers_as_they_come(city, game, masha):
    """The host's screen shows how many answered; the players hear nothing of it
    (nor whether anyone was right)."""
    host, _ = await connected(city.teacher, game)
    petya, _ = await joined(city.pupil_in, game)
    masha_socket, _ = await joined(masha, game)
    await host.send_json_to({"type": "start"})
    await next_frame(petya, "question")
    await next_frame(masha_socket, "question")
    await petya.send_json_to({"type": "answer", "question": 0, "choice": 1})
    assert (await next_frame(host, "answered")) == {
        "type": "answered",
        "index": 0,
        "answered": 1,
    }
    await masha_socket.send_json_to({"type": "answer", "question": 0, "choice": 0})
    assert (await next_frame(host, "answered"))["answered"] == 2
    # A host who reloads the page gets the count with the state.
    again, state = await connected(city.teacher, game)
    assert state["answered"] == 2
    await host.send_json_to({"type": "reveal"})
    seen = []
    await next_frame(petya, "results", seen)
    assert "answered" not in [frame["type"] for frame in seen]
    for socket in (host, again, petya, masha_socket):
        await socket.disconnect()


async def test_a_game_round_never_shows_the_answer_before_the_reveal(city, game, masha):
    host, _ = await connected(city.teacher, game)
    petya, _ = await joined(city.pupil_in, game)
    masha_socket, _ = await joined(masha, game)
    await host.send_json_to({"type": "start"})
    seen: list[dict] = []
    question = await next_frame(petya, "question", seen)
    assert question["choices"] == ["3", "4", "5"] and question["index"] == 0
    await petya.send_json_to({"type": "answer", "question": 0, "choice": 1})
    ack = await next_frame(petya, "ack", seen)
    assert ack == {"type": "ack", "question": 0, "accepted": True, "reason": None}
    await masha_socket.send_json_to({"type": "answer", "question": 0, "choice": 2})
    await next_frame(masha_socket, "ack", seen)
    for frame in seen:
        assert "correct" not in frame and "standings" not in frame
    await host.send_json_to({"type": "reveal"})
    results = await next_frame(petya, "results")
    assert results["correct"] == [1]
    assert results["distribution"] == [0, 1, 1]
    assert results["you"]["rank"] == 1 and results["you"]["correct"] is True
    assert "standings" not in results
    assert results["top"][0]["score"] == results["you"]["score"] > 500
    host_results = await next_frame(host, "results")
    assert "standings" not in host_results and "you" not in host_results
    masha_results = await next_frame(masha_socket, "results")
    assert masha_results["you"] == {
        "score": 0,
        "rank": 2,
        "points": 0,
        "correct": False,
    }
    await host.send_json_to({"type": "next"})
    assert (await next_frame(petya, "question"))["index"] == 1
    await host.send_json_to({"type": "end"})
    podium = await next_frame(petya, "podium")
    assert podium["podium"][0]["rank"] == 1
    assert podium["you"]["rank"] == 1
    await host.disconnect()  # waits for the awards the host's socket started
    assert (
        await database_sync_to_async(
            PointsEntry.objects.filter(pupil=city.pupil_in).count
        )()
        == 2
    )  # the answer and the win


async def test_a_second_answer_is_refused(city, game):
    host, _ = await connected(city.teacher, game)
    petya, _ = await joined(city.pupil_in, game)
    await host.send_json_to({"type": "start"})
    await next_frame(petya, "question")
    await petya.send_json_to({"type": "answer", "question": 0, "choice": 1})
    await petya.send_json_to({"type": "answer", "question": 0, "choice": 0})
    assert (await next_frame(petya, "ack"))["accepted"]
    second = await next_frame(petya, "ack")
    assert (second["accepted"], second["reason"]) == (False, "already")
    assert await database_sync_to_async(QuizAnswer.objects.count)() == 1


@pytest.mark.parametrize("command", ["start", "next", "reveal", "skip", "end"])
async def test_host_commands_from_a_pupil_are_refused(city, game, command):
    petya, _ = await joined(city.pupil_in, game)
    await petya.send_json_to({"type": command})
    error = await next_frame(petya, "error")
    assert error["code"] == "forbidden"
    assert (await stored(game)).status == GameStatus.LOBBY


@pytest.mark.parametrize(
    "message",
    [
        '{"type": "answer"}',
        "not json",
        '{"type": "answer", "question": 0, "choice": true}',
    ],
)
async def test_malformed_messages_get_an_error(city, game, message):
    petya, _ = await joined(city.pupil_in, game)
    await petya.send_to(text_data=message)
    assert (await next_frame(petya, "error"))["code"] == "malformed"


async def test_the_question_closes_at_its_deadline_without_the_host(city, game):
    await shorten(game, 1)
    host, _ = await connected(city.teacher, game)
    petya, _ = await joined(city.pupil_in, game)
    await host.send_json_to({"type": "start"})
    await next_frame(petya, "question")
    results = await next_frame(petya, "results")  # nobody pressed anything
    assert results["answered"] == 0
    assert (await stored(game)).status == GameStatus.REVEAL


async def test_a_late_answer_is_refused_and_closes_the_question(
    city, game, monkeypatch
):
    """With the host's socket gone, the first answer past the deadline closes it."""
    monkeypatch.setattr(quiz_consumers, "FALLBACK_SECONDS", 60)
    await shorten(game, 1)
    petya, _ = await joined(city.pupil_in, game)
    await database_sync_to_async(services.quiz_start)(
        host=city.teacher, game_id=game.pk
    )
    await next_frame(petya, "question")
    await asyncio.sleep(1.1)
    await petya.send_json_to({"type": "answer", "question": 0, "choice": 1})
    ack = await next_frame(petya, "ack")
    assert (ack["accepted"], ack["reason"]) == (False, "late")
    await next_frame(petya, "results")
    assert await database_sync_to_async(QuizAnswer.objects.count)() == 0


async def test_players_close_an_overdue_question_when_the_host_is_gone(
    city, game, monkeypatch
):
    monkeypatch.setattr(quiz_consumers, "FALLBACK_SECONDS", 0.2)
    await shorten(game, 1)
    petya, _ = await joined(city.pupil_in, game)
    await database_sync_to_async(services.quiz_start)(
        host=city.teacher, game_id=game.pk
    )
    await next_frame(petya, "question")
    await next_frame(petya, "results")


async def test_a_reconnecting_player_keeps_the_score_and_answer(city, game):
    host, _ = await connected(city.teacher, game)
    petya, _ = await joined(city.pupil_in, game)
    await host.send_json_to({"type": "start"})
    await next_frame(petya, "question")
    await petya.send_json_to({"type": "answer", "question": 0, "choice": 1})
    await next_frame(petya, "ack")
    await petya.disconnect()
    petya, state = await connected(city.pupil_in, game)
    assert state["status"] == "question" and state["answered"] is True
    # Neither the answer nor a score that moved with it before the reveal.
    assert "correct" not in str(state)
    assert state["score"] == 0
    await host.send_json_to({"type": "reveal"})
    results = await next_frame(petya, "results")
    assert results["you"]["score"] > 0
    await petya.disconnect()
    _, state = await connected(city.pupil_in, game)
    assert state["score"] == results["you"]["score"]
    assert state["results"]["you"]["rank"] == 1


async def test_a_late_joiner_plays_on_from_the_current_question(city, game, masha):
    host, _ = await connected(city.teacher, game)
    await joined(city.pupil_in, game)
    await host.send_json_to({"type": "start"})
    await next_frame(host, "question")
    late, state = await joined(masha, game)
    assert state["question"]["index"] == 0 and state["answered"] is False
    await late.send_json_to({"type": "answer", "question": 0, "choice": 1})
    assert (await next_frame(late, "ack"))["accepted"]


async def test_a_flood_of_messages_is_cut_off(city, game):
    petya, _ = await joined(city.pupil_in, game)
    for _ in range(quiz_consumers.RATE_BURST + 5):
        await petya.send_json_to({"type": "answer", "question": 0, "choice": 0})
    codes = []
    for _ in range(quiz_consumers.RATE_BURST + 5):
        frame = await petya.receive_json_from(timeout=WAIT)
        codes.append(frame.get("code") or frame.get("reason"))
    assert "too_fast" in codes


async def test_a_pupil_who_left_the_class_can_no_longer_play(city, game):
    socket, _state = await joined(city.pupil_in, game)

    @database_sync_to_async
    def left_the_class():
        Enrolment.objects.filter(pupil=city.pupil_in).delete()

    await left_the_class()

    while True:
        output = await socket.receive_output(timeout=WAIT)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == 4403
