"""The y-websocket protocol through the real ASGI stack with real sessions."""

import pytest
from pycrdt import Awareness

from tests.whiteboard.conftest import (
    WAIT,
    YClient,
    closed_with,
    joined,
    server_content,
    socket_for,
)
from whiteboard import protocol
from whiteboard.protocol import Kind

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_newcomer_gets_the_servers_state_from_its_sync_request(
    city, lesson_board, registry
):
    alice = await joined(city.teacher, lesson_board.pk)
    alice.shapes["r1"] = {"kind": "rectangle", "x": 10}
    await alice.push()
    petya = await joined(city.pupil_in, lesson_board.pk)
    assert petya.content() == alice.content()
    assert petya.shapes["r1"]["x"] == 10


async def test_concurrent_edits_converge_on_both_clients_and_the_server(
    city, lesson_board, registry
):
    first = await joined(city.teacher, lesson_board.pk)
    second = await joined(city.teacher, lesson_board.pk)
    with first.doc.transaction():
        first.shapes["a"] = "circle"
        first.strokes.append("first")
    with second.doc.transaction():
        second.shapes["a"] = "square"
        second.strokes.append("second")
    await first.push()
    await second.push()
    await first.pull()
    await second.pull()
    first_content = first.content()
    assert first_content == second.content() == server_content(lesson_board.pk)
    assert sorted(first_content["strokes"]) == ["first", "second"]


async def test_a_join_sends_the_others_nothing(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    await joined(city.pupil_in, lesson_board.pk)
    await joined(city.teacher, lesson_board.pk)
    tab = await joined(city.teacher, lesson_board.pk)
    tab.strokes.append("after the joins")
    await tab.push()
    # The first frame alice sees is the edit, not anything about the joins.
    message = await alice.pull()
    assert message.kind is Kind.SYNC_UPDATE
    assert alice.strokes.to_py() == ["after the joins"]


async def test_a_view_only_pupils_edit_is_dropped(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    petya = await joined(city.pupil_in, lesson_board.pk)
    petya.shapes["graffiti"] = "!"
    await petya.push()
    tab = await joined(city.teacher, lesson_board.pk)
    tab.strokes.append("lesson")
    await tab.push()
    await alice.pull()
    assert alice.content() == {"shapes": {}, "strokes": ["lesson"]}
    assert server_content(lesson_board.pk)["shapes"] == {}
    # The pupil still watches.
    await petya.pull()
    assert petya.strokes.to_py() == ["lesson"]


async def test_a_pen_holder_pupil_may_draw(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    petya = await joined(city.pupil_in, lesson_board.pk)
    registry.rooms[lesson_board.pk].pen_holders.add(city.pupil_in.pk)
    petya.strokes.append("petya's line")
    await petya.push()
    await alice.pull()
    assert alice.strokes.to_py() == ["petya's line"]


async def test_awareness_is_relayed_and_shown_to_newcomers(
    city, lesson_board, registry
):
    alice = await joined(city.teacher, lesson_board.pk)
    petya = await joined(city.pupil_in, lesson_board.pk)
    cursor = Awareness(alice.doc)
    cursor.set_local_state({"user": {"name": "Alice", "teacher": True}})
    update = cursor.encode_awareness_update([cursor.client_id])
    await alice.send(protocol.awareness(update))
    assert await petya.frame() == protocol.Message(Kind.AWARENESS, update)

    socket = await socket_for(city.pupil_in, lesson_board.pk)
    assert (await socket.connect(timeout=WAIT))[0]
    newcomer = YClient(socket)
    assert (await newcomer.frame()).kind is Kind.SYNC_STEP1
    shown = await newcomer.frame()
    seen = Awareness(newcomer.doc)
    seen.apply_awareness_update(shown.payload, None)
    assert seen.states[cursor.client_id]["user"]["name"] == "Alice"

    # Alice leaves: the others hear her cursor go.
    await alice.socket.disconnect()
    gone = await petya.frame()
    seen.apply_awareness_update(gone.payload, None)
    assert cursor.client_id not in seen.states


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x00\x02\x05\x01\x02\x03\x04\x05",  # an update that is not Yjs
        b"\x00\x00\x05\xff\xff",  # a state vector cut short
        b"\x01\x03\xff\xff\xff",  # awareness garbage
        b"\x07",  # an unknown message type
    ],
)
async def test_malformed_bytes_close_only_that_socket(
    city, lesson_board, registry, garbage
):
    alice = await joined(city.teacher, lesson_board.pk)
    petya = await joined(city.pupil_in, lesson_board.pk)
    vandal = await joined(city.teacher, lesson_board.pk)
    await vandal.send(garbage)
    assert await closed_with(vandal.socket) == 4400
    alice.strokes.append("still here")
    await alice.push()
    await petya.pull()
    assert petya.strokes.to_py() == ["still here"]


async def test_a_flooding_socket_is_closed(city, lesson_board, registry, settings):
    settings.WHITEBOARD_RATE_BURST = 5
    settings.WHITEBOARD_RATE_PER_SECOND = 0.001
    alice = await joined(city.teacher, lesson_board.pk)
    flood = await joined(city.teacher, lesson_board.pk)
    for _ in range(10):
        await flood.send(bytes([protocol.QUERY_AWARENESS]))
    assert await closed_with(flood.socket) == 4429
    tab = await joined(city.teacher, lesson_board.pk)
    tab.strokes.append("calm")
    await tab.push()
    await alice.pull()
    assert alice.strokes.to_py() == ["calm"]


async def test_an_oversized_frame_is_refused(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    await alice.send(b"\x00\x02" + b"\x00" * (1024 * 1024))
    assert await closed_with(alice.socket) == 1009


async def test_a_text_frame_is_refused(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    await alice.socket.send_to(text_data="hello")
    assert await closed_with(alice.socket) == 1003


async def test_the_url_with_a_trailing_slash_works_too(city, lesson_board, registry):
    socket = await socket_for(city.teacher, lesson_board.pk, path="/ws/board/{}/")
    ok, _ = await socket.connect(timeout=WAIT)
    assert ok
    await YClient(socket).sync()
