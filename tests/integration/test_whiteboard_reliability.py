"""The live whiteboard on real Daphne processes sharing PostgreSQL and Redis.

Clients are pycrdt documents speaking y-websocket over real sockets (see
whiteboard_clients.py): they keep drawing while offline and resync on reconnect,
like the browser's provider. What is asserted is what a class would notice: every
stroke anyone drew is on every screen, on a latecomer's screen, and in storage.
"""

import asyncio
import json
import secrets
from types import SimpleNamespace

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.integration import servers
from tests.integration.whiteboard_clients import (
    WAIT,
    BoardClient,
    missing_marks,
    open_socket,
    until,
)
from whiteboard import protocol

pytestmark = pytest.mark.integration

MAX_FRAME = 1024 * 1024  # Daphne's default, and the whiteboard's limit

SEED = """
import json
from tests import factories
from whiteboard.services import board_create
maths = factories.SubjectFactory(code="mathematics", name="Математика")
class_in = factories.ClassGroupFactory(grade=5, letter="А")
class_out = factories.ClassGroupFactory(grade=7, letter="Б")
alice = factories.make_teacher(class_in, maths, username="alice")
boris = factories.make_teacher(class_in, maths, username="boris")
factories.make_pupil(class_in, username="petya")
factories.make_pupil(class_out, username="masha")
boards = {}
for number, name in enumerate(["converge", "abuse", "crash"], start=1):
    lesson = factories.make_lesson(class_in, maths, alice, number=number)
    boards[name] = board_create(created_by=alice, title=name, lesson=lesson).pk
print(json.dumps(boards))
"""

# Rebuilds the board from storage as a fresh room would; waits (bounded) for the
# servers' last writes, which follow the sockets' close by a moment.
STORED = """
import json, time
from pycrdt import Array, Map, Text
from whiteboard.documents import doc_from_updates
from whiteboard.selectors import board_content
expected = json.loads({expected!r})
deadline = time.monotonic() + {wait}
while True:
    doc = doc_from_updates(board_content(board_id={board_id}).updates)
    content = json.loads(json.dumps({{
        "shapes": doc.get("shapes", type=Map).to_py(),
        "strokes": doc.get("strokes", type=Array).to_py(),
        "notes": str(doc.get("notes", type=Text)),
    }}))
    if content == expected or time.monotonic() > deadline:
        break
    time.sleep(0.2)
print(json.dumps(content))
"""


@pytest.fixture(scope="module")
def backing_services():
    database, redis = servers.postgres_url(), servers.redis_url()
    if database is None:
        pytest.skip("PostgreSQL does not answer (DATABASE_URL or 127.0.0.1:5432).")
    if redis is None:
        pytest.skip("Redis does not answer (REDIS_URL or 127.0.0.1:6379).")
    return database, redis


@pytest.fixture(scope="module")
def cluster(backing_services, tmp_path_factory):
    database, redis = backing_services
    logs = tmp_path_factory.mktemp("whiteboard")
    with servers.scratch_postgres(database, "school_whiteboard") as database_url:
        # Redis pub/sub ignores database numbers: a prefix of our own keeps other
        # runs' boards (same ids, other databases) out of these rooms.
        env = servers.server_env(
            DATABASE_URL=database_url,
            REDIS_URL=redis,
            CHANNEL_PREFIX=f"wb{secrets.token_hex(4)}",
        )
        servers.manage("migrate", "--no-input", "-v", "0", env=env)
        boards = servers.run_script(SEED, env=env)
        a = servers.daphne(env, logs / "a.log")
        b = servers.daphne(env, logs / "b.log")
        try:
            a.start()
            b.start()
            sessions = {
                name: servers.sign_in(a.base_url, name, servers.PASSWORD)
                for name in ("alice", "boris", "petya", "masha")
            }
            yield SimpleNamespace(a=a, b=b, env=env, boards=boards, sessions=sessions)
        finally:
            a.stop()
            b.stop()


def client(cluster, name: str, server, board: str) -> BoardClient:
    """`name` signed in as the part before "@" (alice@a: alice's tab on server a)."""
    user = name.split("@")[0]
    return BoardClient(name, server, cluster.sessions[user], cluster.boards[board])


async def all_synced(*clients: BoardClient) -> None:
    for each in clients:
        each.start()
    for each in clients:
        await each.synced_once()


async def converged(clients: list[BoardClient], marks: list[str]) -> dict:
    """Waits until every client shows every mark and the same document; returns it."""

    def agree() -> bool:
        contents = [each.content() for each in clients]
        return not missing_marks(contents[0], marks) and all(
            content == contents[0] for content in contents
        )

    try:
        await until(agree, "every client to show every stroke")
    except AssertionError:
        lacking = {each.name: missing_marks(each.content(), marks) for each in clients}
        raise AssertionError(f"Strokes missing: {lacking}") from None
    reference = clients[0].content()
    for each in clients:
        assert each.content() == reference, each.name
    assert missing_marks(reference, marks) == []
    return reference


async def stored(cluster, board: str, expected: dict) -> dict:
    script = STORED.format(
        expected=json.dumps(expected), wait=WAIT, board_id=cluster.boards[board]
    )
    return await asyncio.to_thread(servers.run_script, script, env=cluster.env)


async def latecomer_sees(cluster, server, board: str, reference: dict) -> None:
    late = client(cluster, "petya@late", server, board)
    await all_synced(late)
    try:
        assert late.content() == reference
    finally:
        await late.stop()


async def scribble(each: BoardClient, strokes: int) -> None:
    for _ in range(strokes):
        await each.draw()
        await asyncio.sleep(0.01)


async def test_clients_on_two_servers_converge_and_the_board_is_stored(cluster):
    a, b = cluster.a, cluster.b
    editors = [
        client(cluster, "alice@a", a, "converge"),
        client(cluster, "boris@a", a, "converge"),
        client(cluster, "boris@b", b, "converge"),
    ]
    watcher = client(cluster, "petya@b", b, "converge")
    everyone = [*editors, watcher]
    await all_synced(*everyone)

    await asyncio.gather(*(scribble(each, strokes=25) for each in editors))
    marks = [mark for each in editors for mark in each.marks]
    reference = await converged(everyone, marks)

    await latecomer_sees(cluster, a, "converge", reference)
    for each in everyone:
        await each.stop()
    assert await stored(cluster, "converge", reference) == reference


# --- Misbehaving sockets close alone


async def closed_with(socket) -> int | None:
    await asyncio.wait_for(socket.wait_closed(), WAIT)
    return socket.close_code


async def send_all(socket, frames) -> None:
    """Sends until the server hangs up (it may, half-way through)."""
    try:
        for frame in frames:
            await socket.send(frame)
    except ConnectionClosed:
        pass


async def joined_raw(cluster, server, user: str, board: str):
    socket = await open_socket(server, cluster.sessions[user], cluster.boards[board])
    first = protocol.parse(await asyncio.wait_for(socket.recv(), WAIT))
    assert first.kind is protocol.Kind.SYNC_STEP1
    return socket


async def refusal(cluster, server, user: str, board: str, **kwargs) -> str:
    """How the server turned the socket away: "403" (handshake) or the close code."""
    try:
        socket = await open_socket(
            server, cluster.sessions[user], cluster.boards[board], **kwargs
        )
    except InvalidStatus as refused:
        return str(refused.response.status_code)
    return str(await closed_with(socket))


@pytest.fixture
async def room(cluster):
    """alice drawing through server a and boris through server b, on one board."""
    alice = client(cluster, "alice@a", cluster.a, "abuse")
    boris = client(cluster, "boris@b", cluster.b, "abuse")
    await all_synced(alice, boris)
    yield alice, boris
    await alice.stop()
    await boris.stop()


async def arrives(mark: str, reader: BoardClient) -> None:
    await until(lambda: mark in reader.content()["shapes"], f"{mark} to arrive")


async def assert_room_still_works(alice: BoardClient, boris: BoardClient) -> None:
    for author, reader in ((alice, boris), (boris, alice)):
        await arrives(await author.draw(), reader)
    # Nobody in the room was thrown out along with the offender.
    assert (alice.connections, boris.connections) == (1, 1)


async def test_an_oversized_frame_closes_only_that_socket(cluster, room):
    socket = await joined_raw(cluster, cluster.a, "alice", "abuse")
    await send_all(socket, [protocol.update(b"\x00" * (MAX_FRAME + 1))])
    # Daphne fails the connection itself (1009), or just drops it (1006).
    assert await closed_with(socket) in (1009, 1006)
    await assert_room_still_works(*room)


@pytest.mark.parametrize(
    "frame",
    [
        protocol.update(b"garbage!"),  # a well-formed frame around broken Yjs bytes
        b"\x00\x00\x05ab",  # a SyncStep1 shorter than it says
        b"\x09",  # no such message type
    ],
    ids=["broken-update", "truncated", "unknown-type"],
)
async def test_malformed_bytes_close_only_that_socket_with_4400(cluster, room, frame):
    socket = await joined_raw(cluster, cluster.a, "alice", "abuse")
    await send_all(socket, [frame])
    assert await closed_with(socket) == 4400
    await assert_room_still_works(*room)


async def test_a_flood_closes_only_that_socket_with_4429(cluster, room):
    socket = await joined_raw(cluster, cluster.a, "petya", "abuse")
    query_awareness = bytes([protocol.QUERY_AWARENESS])
    await send_all(socket, [query_awareness] * 1000)
    assert await closed_with(socket) == 4429
    await assert_room_still_works(*room)


async def test_a_foreign_origin_is_refused(cluster, room):
    how = await refusal(
        cluster, cluster.a, "alice", "abuse", origin="http://evil.example"
    )
    assert how == "403"
    await assert_room_still_works(*room)


async def test_a_pupil_of_another_class_cannot_join(cluster, room):
    assert await refusal(cluster, cluster.a, "masha", "abuse") in ("403", "4403")
    await assert_room_still_works(*room)


# --- A server crash loses nothing


async def keep_drawing(each: BoardClient, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await each.draw()
        await asyncio.sleep(0.03)  # about 33 strokes a second, under the rate limit


async def test_a_killed_server_loses_no_stroke(cluster):
    a, b = cluster.a, cluster.b
    on_a = [
        client(cluster, "alice@a", a, "crash"),
        client(cluster, "boris@a", a, "crash"),
    ]
    elsewhere = client(cluster, "alice@b", b, "crash")
    watcher = client(cluster, "petya@a", a, "crash")
    editors, everyone = [*on_a, elsewhere], [*on_a, elsewhere, watcher]
    await all_synced(*everyone)
    stop = asyncio.Event()
    drawing = [asyncio.create_task(keep_drawing(each, stop)) for each in editors]
    try:
        await until(lambda: all(len(e.marks) >= 10 for e in editors), "strokes")
        await asyncio.to_thread(a.kill)
        await until(
            lambda: all(len(e.offline_marks) >= 5 for e in on_a), "offline strokes"
        )
        await asyncio.to_thread(a.start)
        await until(
            lambda: all(e.connections == 2 and e.synced for e in [*on_a, watcher]),
            "the clients of the restarted server to resync",
        )
        drawn = {e.name: len(e.marks) for e in editors}
        await until(
            lambda: all(len(e.marks) >= drawn[e.name] + 5 for e in editors),
            "strokes after the restart",
        )
    finally:
        stop.set()
        await asyncio.gather(*drawing)
        if a.process is None or a.process.poll() is not None:
            await asyncio.to_thread(a.start)  # the module's other tests need it

    marks = [mark for each in editors for mark in each.marks]
    reference = await converged(everyone, marks)
    await latecomer_sees(cluster, a, "crash", reference)
    for each in everyone:
        await each.stop()
    assert await stored(cluster, "crash", reference) == reference
