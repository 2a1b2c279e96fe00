"""Writes of whiteboards: creating boards, appending to the log, compacting it."""

from django.db import transaction

from school.models import Lesson, User
from whiteboard.documents import merged_state
from whiteboard.models import Board, BoardSnapshot, BoardUpdate
from whiteboard.selectors import board_content


@transaction.atomic
def board_create(
    *, created_by: User, title: str = "", lesson: Lesson | None = None
) -> Board:
    """A new, empty board, for a dated lesson or on its own."""
    return Board.objects.create(created_by=created_by, title=title, lesson=lesson)


def _locked(board_id: int) -> Board:
    # The board row serialises appends and compaction across processes: sequence
    # numbers stay unique and a compaction never covers a half-written append.
    return Board.objects.select_for_update().only("last_seq").get(pk=board_id)


@transaction.atomic
def board_updates_append(*, board_id: int, updates: list[bytes]) -> int:
    """Appends `updates` to the board's log in order; returns the last sequence number.

    Locks the board row for the duration of the transaction.
    """
    board = _locked(board_id)
    first = board.last_seq + 1
    BoardUpdate.objects.bulk_create(
        BoardUpdate(board_id=board_id, seq=first + i, data=data)
        for i, data in enumerate(updates)
    )
    board.last_seq = first + len(updates) - 1
    board.save(update_fields=["last_seq"])
    return board.last_seq


@transaction.atomic
def board_compact(*, board_id: int) -> BoardSnapshot | None:
    """Merges the latest snapshot and the log into a new snapshot.

    The covered updates and older snapshots are deleted in the same transaction,
    under the board row lock, so an update appended concurrently waits and lands
    after `upto_seq`. Returns None when there is nothing to merge.
    """
    _locked(board_id)
    content = board_content(board_id=board_id)
    if not BoardUpdate.objects.filter(board_id=board_id).exists():
        return None
    snapshot = BoardSnapshot.objects.create(
        board_id=board_id,
        upto_seq=content.upto_seq,
        state=merged_state(content.updates),
    )
    BoardUpdate.objects.filter(board_id=board_id, seq__lte=content.upto_seq).delete()
    BoardSnapshot.objects.filter(
        board_id=board_id, upto_seq__lt=content.upto_seq
    ).delete()
    return snapshot
