"""Reads of whiteboard content."""

from dataclasses import dataclass

from whiteboard.models import Board, BoardSnapshot, BoardUpdate


@dataclass(frozen=True)
class BoardContent:
    """What rebuilds a board: the latest snapshot's state, then later updates."""

    updates: list[bytes]
    upto_seq: int


def board_content(*, board_id: int) -> BoardContent:
    """The snapshot (if any) and the updates after it, in sequence order.

    Two queries. Updates at or below the snapshot's `upto_seq` are skipped even if a
    compaction has not deleted them yet.
    """
    snapshot = (
        BoardSnapshot.objects.filter(board_id=board_id)
        .order_by("-upto_seq")
        .values_list("upto_seq", "state")
        .first()
    )
    upto, updates = 0, []
    if snapshot is not None:
        upto, state = snapshot
        updates.append(bytes(state))
    rows = (
        BoardUpdate.objects.filter(board_id=board_id, seq__gt=upto)
        .order_by("seq")
        .values_list("seq", "data")
    )
    for seq, data in rows:
        updates.append(bytes(data))
        upto = seq
    return BoardContent(updates=updates, upto_seq=upto)


def board_log_length(*, board_id: int) -> int:
    """How many updates are not yet merged into a snapshot."""
    return BoardUpdate.objects.filter(board_id=board_id).count()


def board_exists(*, board_id: int) -> bool:
    return Board.objects.filter(pk=board_id).exists()
