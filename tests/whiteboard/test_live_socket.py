"""The live-lesson control socket, as the console and pupils' screens use it."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from tests import factories
from tests.whiteboard.conftest import WAIT, closed_with, socket_for
from whiteboard import live
from whiteboard.models import LiveSession, Pen, Presence

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/live/{}/"


@pytest.fixture
async def session(city, registry):
    lesson = await database_sync_to_async(factories.make_lesson)(
        city.class_in, city.maths, city.teacher
    )
    return await database_sync_to_async(live.live_session_start)(
        teacher=city.teacher, lesson=lesson
    )


async def connected(user, session):
    socket = await socket_for(user, session.pk, path=PATH)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    state = await socket.receive_json_from(timeout=WAIT)
    assert state["type"] == "state"
    return socket


async def next_event(socket, kind: str) -> dict:
    """The next event of this type, skipping others (presence comes and goes)."""
    while True:
        event = await socket.receive_json_from(timeout=WAIT)
        if event["type"] == kind:
            return event


async def refused_with(user, session) -> int:
    socket = await socket_for(user, session.pk, path=PATH)
    ok, code = await socket.connect(timeout=WAIT)
    assert not ok
    return code


@database_sync_to_async
def stored(session) -> LiveSession:
    return LiveSession.objects.get(pk=session.pk)


@pytest.mark.parametrize("persona", ["pupil_out", "parent", "other_teacher"])
async def test_people_outside_the_class_are_refused(city, session, persona):
    assert await refused_with(getattr(city, persona), session) == 4403


async def test_signed_out_visitors_are_refused(city, session):
    assert await refused_with(None, session) == 4401


async def test_an_ended_session_cannot_be_joined(city, session):
    await database_sync_to_async(live.live_session_end)(
        teacher=city.teacher, session=session
    )
    assert await refused_with(city.pupil_in, session) == 4403


async def test_the_teacher_sees_who_joins_and_leaves(city, session):
    alice = await connected(city.teacher, session)
    petya = await connected(city.pupil_in, session)
    while True:
        present = (await next_event(alice, "presence"))["present"]
        if city.pupil_in.pk in [person["id"] for person in present]:
            break
    await petya.disconnect()
    while True:
        present = (await next_event(alice, "presence"))["present"]
        if city.pupil_in.pk not in [person["id"] for person in present]:
            break


async def test_a_presence_left_by_a_dead_process_drops_out_of_the_console(
    city, session, settings
):
    """A process that died never counted its sockets down; the count goes stale
    while the people still connected keep marking theirs."""
    settings.WHITEBOARD_PRESENCE_SECONDS = 0.2
    await database_sync_to_async(live.live_presence_enter)(
        session=session, user=city.pupil_out
    )  # as if its socket had been on a process that crashed
    await database_sync_to_async(Presence.objects.filter(user=city.pupil_out).update)(
        last_seen=timezone.now() - timedelta(minutes=5)
    )
    alice = await connected(city.teacher, session)
    petya = await connected(city.pupil_in, session)
    for _ in range(3):  # several marks: Petya's stays fresh
        present = (await next_event(alice, "presence"))["present"]
    ids = {person["id"] for person in present}
    assert city.pupil_in.pk in ids
    assert city.pupil_out.pk not in ids
    await petya.disconnect()


async def test_pupils_do_not_receive_the_presence_list(city, session):
    petya = await connected(city.pupil_in, session)
    await connected(city.teacher, session)
    alice = await connected(city.teacher, session)
    await alice.send_json_to({"type": "section.push", "section": "task-1"})
    # The teacher's joins came first; the pupil hears only the push.
    assert (await petya.receive_json_from(timeout=WAIT))["type"] == "section"


async def test_the_teachers_commands_reach_every_pupil(city, session):
    petya = await connected(city.pupil_in, session)
    alice = await connected(city.teacher, session)
    follow = {"page": "p2", "viewport": {"x": 10.0, "y": -4.5, "zoom": 2.0}}
    commands = [
        ({"type": "pen.give", "pupil": city.pupil_in.pk}, "pen"),
        ({"type": "follow", **follow}, "follow"),
        ({"type": "section.push", "section": "task-3"}, "section"),
        ({"type": "page.clear", "page": "p2"}, "clear"),
        ({"type": "follow.stop"}, "follow"),
        ({"type": "pen.take"}, "pen"),
    ]
    heard = []
    for command, kind in commands:
        await alice.send_json_to(command)
        heard.append(await next_event(petya, kind))
    assert heard[0] == {"type": "pen", "pen": "one", "pen_holder": city.pupil_in.pk}
    assert heard[1] == {"type": "follow", "follow": follow}
    assert heard[2] == {"type": "section", "section": "task-3"}
    assert heard[3] == {"type": "clear", "page": "p2"}
    assert heard[4] == {"type": "follow", "follow": None}
    assert heard[5]["pen"] == "none"


async def test_a_latecomer_starts_with_the_current_follow_and_section(city, session):
    alice = await connected(city.teacher, session)
    # With the size of the teacher's canvas, which pupils' screens fit.
    viewport = {"x": 0.0, "y": 0.0, "zoom": 1.0, "width": 1280.0, "height": 640.0}
    follow = {"page": "p1", "viewport": viewport}
    await alice.send_json_to({"type": "follow", **follow})
    await next_event(alice, "follow")
    await alice.send_json_to({"type": "section.push", "section": "intro"})
    await next_event(alice, "section")

    socket = await socket_for(city.pupil_in, session.pk, path=PATH)
    await socket.connect(timeout=WAIT)
    state = await socket.receive_json_from(timeout=WAIT)
    assert state["follow"] == follow
    assert state["section"] == "intro"
    assert state["board"] == session.board_id


async def test_a_pupils_commands_change_nothing(city, session):
    petya = await connected(city.pupil_in, session)
    await petya.send_json_to({"type": "pen.give", "everyone": True})
    assert (await petya.receive_json_from(timeout=WAIT))["code"] == "forbidden"
    await petya.send_json_to({"type": "session.end"})
    assert (await petya.receive_json_from(timeout=WAIT))["code"] == "forbidden"
    current = await stored(session)
    assert current.pen == Pen.NONE
    assert current.ended_at is None


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "launch.missiles"},
        {"type": "follow", "page": "p1"},
        {"type": "follow", "page": "p1", "viewport": {"x": 0, "y": 0, "zoom": -1}},
        {
            "type": "follow",
            "page": "p1",
            "viewport": {"x": 0, "y": 0, "zoom": 1, "width": 0, "height": 10},
        },
        {"type": "section.push", "section": "x" * 65},
        {"type": "pen.take", "extra": 1},
        ["not", "an", "object"],
    ],
)
async def test_malformed_commands_get_an_error_and_change_nothing(city, session, frame):
    alice = await connected(city.teacher, session)
    await alice.send_json_to(frame)
    assert (await next_event(alice, "error"))["code"] == "malformed"
    current = await stored(session)
    assert (current.follow, current.section) == (None, "")


async def test_text_that_is_not_json_gets_an_error(city, session):
    alice = await connected(city.teacher, session)
    await alice.send_to(text_data="{nope")
    assert (await next_event(alice, "error"))["code"] == "malformed"


async def test_the_pen_for_a_pupil_outside_the_class_is_refused(city, session):
    alice = await connected(city.teacher, session)
    await alice.send_json_to({"type": "pen.give", "pupil": city.pupil_out.pk})
    assert (await next_event(alice, "error"))["code"] == "invalid"
    assert (await stored(session)).pen == Pen.NONE


async def test_ending_closes_every_screen_and_proposes_attendance(city, session):
    absent = await database_sync_to_async(factories.make_pupil)(city.class_in)
    petya = await connected(city.pupil_in, session)
    alice = await connected(city.teacher, session)
    await alice.send_json_to({"type": "session.end"})

    proposal = await next_event(alice, "attendance")
    assert proposal["present"] == [city.pupil_in.pk]
    assert proposal["absent"] == [absent.pk]
    assert (await next_event(petya, "ended")) == {"type": "ended"}
    assert await closed_with(petya) == 4410
    assert await closed_with(alice) == 4410
    assert (await stored(session)).ended_at is not None
