"""Reads of whiteboard content."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from pycrdt import Doc

from school.models import Enrolment, User
from whiteboard import conf
from whiteboard.access import LiveRole, live_role
from whiteboard.models import (
    Board,
    BoardImage,
    BoardSnapshot,
    BoardUpdate,
    LiveSession,
    Pen,
    Presence,
)

CODE_LENGTH = 6


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


@dataclass(frozen=True)
class BoardDocument:
    """The board's document as stored now, and how many stored updates could not
    be decoded (left out: the document holds everything else)."""

    doc: Doc
    unreadable: int


def board_document(*, board_id: int) -> BoardDocument:
    """The board's current Yjs document, rebuilt from storage. Two queries.

    Like documents.doc_from_updates, but an update that does not decode (damaged
    storage) is counted and skipped instead of losing the whole board; updates
    that built on it stay pending, so what they drew is missing too.
    """
    doc, unreadable = Doc(), 0
    for update in board_content(board_id=board_id).updates:
        try:
            doc.apply_update(update)
        except ValueError:
            unreadable += 1
    return BoardDocument(doc=doc, unreadable=unreadable)


def board_images_by_id(*, board_id: int, image_ids: set[int]) -> dict[int, BoardImage]:
    """This board's pictures among `image_ids` (an id of another board finds
    nothing). One query."""
    rows = BoardImage.objects.filter(board_id=board_id, pk__in=image_ids)
    return {row.pk: row for row in rows}


# --- Live lessons


def class_pupil_ids(*, class_group_id: int) -> list[int]:
    """Pupils enrolled in the class today."""
    return list(
        Enrolment.objects.current()
        .filter(class_group_id=class_group_id)
        .values_list("pupil_id", flat=True)
    )


def live_pen_holders_of(session: LiveSession) -> list[int]:
    """Who besides the teachers may draw: nobody, one pupil, or the whole class."""
    if session.pen == Pen.ONE and session.pen_holder_id is not None:
        return [session.pen_holder_id]
    if session.pen == Pen.ALL:
        return class_pupil_ids(class_group_id=session.lesson.class_group_id)
    return []


def board_pen_holders(*, board_id: int) -> set[int]:
    """Pen holders of the board's open live session (empty without one).

    A room asks this when it opens, so a room opened after the pen was handed over
    starts with it; later changes arrive as `board.pen` layer messages.
    """
    session = (
        LiveSession.objects.select_related("lesson")
        .filter(board_id=board_id, ended_at__isnull=True)
        .first()
    )
    return set() if session is None else set(live_pen_holders_of(session))


def live_session_find_by_code(*, user: User, code: str) -> LiveSession | None:
    """The open session with this join code if the person is a pupil of its class.

    A code of another class finds nothing, exactly like a wrong code.
    """
    normalised = code.strip().upper()
    if len(normalised) != CODE_LENGTH:
        return None
    session = (
        LiveSession.objects.select_related(
            "lesson__class_group", "lesson__teacher", "lesson__substitute"
        )
        .filter(code=normalised, ended_at__isnull=True)
        .first()
    )
    if session is None or live_role(user, session) is not LiveRole.PUPIL:
        return None
    return session


def live_sessions_open_for_pupil(*, pupil: User) -> list[LiveSession]:
    """Open sessions of the pupil's current classes, for "join" on the home page
    and in the diary. One query."""
    classes = Enrolment.objects.current().filter(pupil=pupil).values("class_group_id")
    return list(
        LiveSession.objects.filter(
            ended_at__isnull=True, lesson__class_group_id__in=classes
        )
        .select_related("lesson__subject")
        .order_by("started_at")
    )


def live_present(*, session_id: int) -> list[dict]:
    """People with a socket open in the session now: [{"id", "name"}], by name.

    A socket marks its presence every WHITEBOARD_PRESENCE_SECONDS; a count left
    behind by a process that died without closing its sockets goes stale.
    """
    fresh_since = timezone.now() - timedelta(
        seconds=3 * conf.get("WHITEBOARD_PRESENCE_SECONDS")
    )
    rows = (
        Presence.objects.filter(
            session_id=session_id, connections__gt=0, last_seen__gte=fresh_since
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return [{"id": row.user_id, "name": str(row.user)} for row in rows]


def live_state(*, session: LiveSession) -> dict:
    """What a socket hears on joining: pen, follow-me, pushed section."""
    return {
        "type": "state",
        "pen": session.pen,
        "pen_holder": session.pen_holder_id,
        "follow": session.follow,
        "section": session.section,
        "board": session.board_id,
    }


def class_pupils(*, class_group_id: int) -> list[User]:
    """Pupils enrolled in the class today, by name. One query."""
    return list(
        User.objects.filter(
            pk__in=Enrolment.objects.current()
            .filter(class_group_id=class_group_id)
            .values("pupil_id")
        ).order_by("last_name", "first_name")
    )


# --- Links to live lessons on the home page and in the diary

_CARD = (
    "lesson__class_group",
    "lesson__subject",
    "lesson__teacher",
    "lesson__substitute",
)


def live_sessions_to_join(*, pupil: User) -> list[LiveSession]:
    """Open sessions of the pupil's current classes, with what a "join" card shows
    (class, subject, who gives the lesson). One query."""
    classes = Enrolment.objects.current().filter(pupil=pupil).values("class_group_id")
    return list(
        LiveSession.objects.filter(
            ended_at__isnull=True, lesson__class_group_id__in=classes
        )
        .select_related(*_CARD)
        .order_by("started_at")
    )
