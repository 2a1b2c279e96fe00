"""Boards survive restarts exactly: the update log, snapshots and compaction."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from pycrdt import Array, Doc, Map

from tests.whiteboard.conftest import joined, server_content
from whiteboard import rooms
from whiteboard.documents import doc_from_updates, merged_state
from whiteboard.models import BoardSnapshot, BoardUpdate
from whiteboard.selectors import board_content
from whiteboard.services import board_compact, board_create, board_updates_append

WAIT = 10


def edits() -> tuple[Doc, list[bytes]]:
    """A document built in several updates, with a deletion among them."""
    doc, updates = Doc(), []
    doc.observe(lambda event: updates.append(event.update))
    shapes, strokes = doc.get("shapes", type=Map), doc.get("strokes", type=Array)
    shapes["r1"] = {"x": 1}
    strokes.extend(["a", "b", "c"])
    del strokes[1]
    shapes["r2"] = {"x": 2}
    del shapes["r1"]
    return doc, updates


def content(doc: Doc) -> dict:
    return {
        "shapes": doc.get("shapes", type=Map).to_py(),
        "strokes": doc.get("strokes", type=Array).to_py(),
    }


@pytest.mark.django_db(transaction=True)
async def test_edits_are_saved_while_the_socket_stays_open(
    city, lesson_board, registry, settings
):
    settings.WHITEBOARD_FLUSH_SECONDS = 0.05
    alice = await joined(city.teacher, lesson_board.pk)
    alice.strokes.append("kept")
    await alice.push()
    saved = BoardUpdate.objects.filter(board_id=lesson_board.pk)
    # Bounded wait for the periodic write (the socket stays open throughout).
    for _ in range(WAIT * 20):
        if await saved.aexists():
            break
        await asyncio.sleep(0.05)
    updates = [bytes(row.data) async for row in saved.order_by("seq")]
    assert content(doc_from_updates(updates))["strokes"] == ["kept"]


@pytest.mark.django_db(transaction=True)
async def test_a_restarted_server_serves_exactly_the_same_board(
    city, lesson_board, registry, monkeypatch
):
    alice = await joined(city.teacher, lesson_board.pk)
    with alice.doc.transaction():
        alice.shapes["r1"] = {"x": 1, "y": 2}
        alice.strokes.extend(["a", "b"])
    await alice.push()
    del alice.strokes[0]
    await alice.push()
    await alice.socket.disconnect()
    before = registry.rooms[lesson_board.pk].doc.get_state()
    await registry.shutdown()
    monkeypatch.setattr(rooms, "registry", rooms.RoomRegistry())

    petya = await joined(city.pupil_in, lesson_board.pk)
    assert petya.content() == {"shapes": {"r1": {"x": 1, "y": 2}}, "strokes": ["b"]}
    assert server_content(lesson_board.pk) == petya.content()
    assert rooms.registry.rooms[lesson_board.pk].doc.get_state() == before


@pytest.mark.django_db(transaction=True)
async def test_a_room_compacts_its_log_past_the_threshold(
    city, lesson_board, registry, settings
):
    settings.WHITEBOARD_COMPACT_AFTER = 2
    alice = await joined(city.teacher, lesson_board.pk)
    room = registry.rooms[lesson_board.pk]
    for word in ["one", "two", "three"]:
        alice.strokes.append(word)
        await alice.push()
        await alice.round_trip()
        await room.flush()
    snapshots = BoardSnapshot.objects.filter(board_id=lesson_board.pk)
    assert await snapshots.acount() == 1
    stored = await database_sync_to_async(board_content)(board_id=lesson_board.pk)
    assert content(doc_from_updates(stored.updates))["strokes"] == [
        "one",
        "two",
        "three",
    ]


@pytest.mark.django_db
def test_compaction_keeps_the_document_and_removes_covered_updates(city):
    board = board_create(created_by=city.teacher)
    doc, updates = edits()
    board_updates_append(board_id=board.pk, updates=updates[:3])
    board_compact(board_id=board.pk)
    board_updates_append(board_id=board.pk, updates=updates[3:])
    snapshot = board_compact(board_id=board.pk)

    assert snapshot.upto_seq == len(updates)
    assert not BoardUpdate.objects.filter(board_id=board.pk).exists()
    assert BoardSnapshot.objects.filter(board_id=board.pk).count() == 1
    rebuilt = doc_from_updates(board_content(board_id=board.pk).updates)
    assert (
        content(rebuilt)
        == content(doc)
        == {"shapes": {"r2": {"x": 2}}, "strokes": ["a", "c"]}
    )
    assert rebuilt.get_state() == doc.get_state()


@pytest.mark.django_db
def test_updates_after_a_compaction_continue_the_sequence(city):
    board = board_create(created_by=city.teacher)
    _, updates = edits()
    board_updates_append(board_id=board.pk, updates=updates[:2])
    board_compact(board_id=board.pk)
    assert board_updates_append(board_id=board.pk, updates=updates[2:3]) == 3
    assert board_compact(board_id=board.pk).upto_seq == 3
    assert board_compact(board_id=board.pk) is None


def test_a_snapshot_keeps_updates_still_waiting_for_their_dependencies():
    doc, updates = edits()
    # The array append depends on the earlier insert, which this log lacks so far.
    snapshot = merged_state([updates[0], updates[2]])
    rebuilt = doc_from_updates([snapshot, updates[1], *updates[3:]])
    assert content(rebuilt) == content(doc)


@pytest.mark.django_db
def test_loading_a_board_costs_two_queries(city, django_assert_num_queries):
    board = board_create(created_by=city.teacher)
    _, updates = edits()
    board_updates_append(board_id=board.pk, updates=updates[:3])
    board_compact(board_id=board.pk)
    board_updates_append(board_id=board.pk, updates=updates[3:])
    with django_assert_num_queries(2):
        loaded = board_content(board_id=board.pk)
    assert len(loaded.updates) == 1 + len(updates[3:])
