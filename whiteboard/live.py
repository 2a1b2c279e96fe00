"""Writes of live lessons: start, presence, the pen, follow-me, pushes, the end.

Every change is announced after commit on two channel-layer groups: `live.<id>`
(the control sockets of the session, `live_consumers`) and, for the pen,
`board.<board id>` (the board's room on every process, which sets who may draw —
the server then drops updates from everybody else).
"""

import secrets
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.access import can_plan
from school import access as school_access
from school.models import Lesson, User
from school.services import broadcast_after_commit
from whiteboard.models import Board, LiveSession, Pen, Presence
from whiteboard.rooms import group_name as board_group_name
from whiteboard.seeding import board_seed_from_lesson
from whiteboard.selectors import (
    CODE_LENGTH,
    class_pupil_ids,
    live_pen_holders_of,
    live_present,
)
from whiteboard.services import board_compact, board_create

# No 0/O, 1/I/L: a code read aloud or copied from the projector must not be misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def live_group_name(session_id: int) -> str:
    return f"live.{session_id}"


def _announce(session: LiveSession, event: dict) -> None:
    broadcast_after_commit(
        live_group_name(session.pk), {"type": "live.event", "event": event}
    )


def _check_teacher(teacher: User, session: LiveSession) -> None:
    if not session.is_open or not can_plan(teacher, session.lesson):
        raise PermissionDenied


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def live_session_start(*, teacher: User, lesson: Lesson) -> LiveSession:
    """The lesson's open session, started now if there is none.

    Uses the lesson's board (created if it has none). Locks the lesson row, so two
    clicks on "start" give one session. PermissionDenied unless the person gives
    the lesson.
    """
    if not can_plan(teacher, lesson):
        raise PermissionDenied
    # The partial unique constraint would refuse a second open session anyway;
    # the lock makes the second click wait and return the first one instead.
    Lesson.objects.select_for_update().only("pk").get(pk=lesson.pk)
    session = LiveSession.objects.filter(lesson=lesson, ended_at__isnull=True).first()
    if session is not None:
        return session
    board = Board.objects.filter(lesson=lesson).first()
    if board is None:
        board = board_create(created_by=teacher, title=lesson.topic, lesson=lesson)
        board_seed_from_lesson(board=board, lesson=lesson)
    for _attempt in range(20):
        try:
            # A savepoint: a code taken by another open session is drawn again.
            with transaction.atomic():
                return LiveSession.objects.create(
                    lesson=lesson, board=board, started_by=teacher, code=_new_code()
                )
        except IntegrityError:
            continue
    raise RuntimeError("No free join code")  # 31**6 codes: practically unreachable


# --- Presence


def _announce_presence(session: LiveSession) -> None:
    def send() -> None:
        # Read after commit, so a burst of joins ends with the full list.
        present = live_present(session_id=session.pk)
        async_to_sync(get_channel_layer().group_send)(
            live_group_name(session.pk),
            {"type": "live.event", "event": {"type": "presence", "present": present}},
        )

    transaction.on_commit(send)


@transaction.atomic
def live_presence_enter(*, session: LiveSession, user: User) -> None:
    """Counts one more open socket of this person; first_seen is kept."""
    now = timezone.now()
    presence, _created = Presence.objects.get_or_create(
        session=session, user=user, defaults={"last_seen": now}
    )
    Presence.objects.filter(pk=presence.pk).update(
        connections=F("connections") + 1, last_seen=now
    )
    _announce_presence(session)


@transaction.atomic
def live_presence_leave(*, session: LiveSession, user: User) -> None:
    """Counts one socket fewer; last_seen is when the person was last connected."""
    Presence.objects.filter(session=session, user=user, connections__gt=0).update(
        connections=F("connections") - 1, last_seen=timezone.now()
    )
    _announce_presence(session)


def live_presence_touch(*, session_id: int, user_id: int) -> None:
    """Marks an open socket's person as still there (see selectors.live_present)."""
    Presence.objects.filter(
        session_id=session_id, user_id=user_id, connections__gt=0
    ).update(last_seen=timezone.now())


# --- The pen


def _apply_pen(session: LiveSession) -> None:
    session.save(update_fields=["pen", "pen_holder"])
    broadcast_after_commit(
        board_group_name(session.board_id),
        {"type": "board.pen", "holders": live_pen_holders_of(session)},
    )
    _announce(
        session,
        {"type": "pen", "pen": session.pen, "pen_holder": session.pen_holder_id},
    )


@transaction.atomic
def live_pen_give(
    *,
    teacher: User,
    session: LiveSession,
    pupil: User | None = None,
    everyone: bool = False,
) -> LiveSession:
    """Hands the pen to one pupil of the class (replacing the previous holder) or
    to every pupil enrolled in it. Takes effect on every process serving the
    board, without anyone reconnecting. ValidationError for a pupil outside it."""
    _check_teacher(teacher, session)
    if everyone:
        session.pen, session.pen_holder = Pen.ALL, None
    elif pupil is not None and school_access.is_pupil_of_class(
        pupil, session.lesson.class_group
    ):
        session.pen, session.pen_holder = Pen.ONE, pupil
    else:
        raise ValidationError(_("The pen can only go to a pupil of this class."))
    _apply_pen(session)
    return session


@transaction.atomic
def live_pen_take(*, teacher: User, session: LiveSession) -> LiveSession:
    """Takes the pen back: only the teachers draw again."""
    _check_teacher(teacher, session)
    session.pen, session.pen_holder = Pen.NONE, None
    _apply_pen(session)
    return session


# --- What every screen shows


@transaction.atomic
def live_follow_set(
    *, teacher: User, session: LiveSession, follow: dict | None
) -> LiveSession:
    """Pupils' screens follow the teacher's {page, viewport}; None stops it.
    Kept on the session so a pupil who joins later follows too."""
    _check_teacher(teacher, session)
    session.follow = follow
    session.save(update_fields=["follow"])
    _announce(session, {"type": "follow", "follow": follow})
    return session


@transaction.atomic
def live_section_push(
    *, teacher: User, session: LiveSession, section: str
) -> LiveSession:
    """Shows a section (block id) of the lesson page on every screen."""
    _check_teacher(teacher, session)
    session.section = section
    session.save(update_fields=["section"])
    _announce(session, {"type": "section", "section": section})
    return session


def live_page_clear(*, teacher: User, session: LiveSession, page: str) -> None:
    """Tells every screen the page was cleared. The teacher's own client deletes
    the page's elements from the Yjs document (it may edit), so the board's log
    keeps one history; this event lets pupils' screens react at once."""
    _check_teacher(teacher, session)
    _announce(session, {"type": "clear", "page": page})


# --- The end


@dataclass(frozen=True)
class AttendanceProposal:
    """Pupils of the class who joined the session at some point, and who did not."""

    present: list[User]
    absent: list[User]


@transaction.atomic
def live_session_end(*, teacher: User, session: LiveSession) -> AttendanceProposal:
    """Ends the session: nobody but the teachers draws any more, every socket of the
    session hears "ended", and the board (already the lesson's board, which the
    class keeps opening read-only) is merged into a snapshot. Returns the
    attendance proposal from presence; nothing is written to the journal."""
    _check_teacher(teacher, session)
    session.ended_at = timezone.now()
    session.pen, session.pen_holder = Pen.NONE, None
    session.save(update_fields=["ended_at", "pen", "pen_holder"])
    broadcast_after_commit(
        board_group_name(session.board_id), {"type": "board.pen", "holders": []}
    )
    _announce(session, {"type": "ended"})
    board_compact(board_id=session.board_id)
    return live_attendance_proposal(session=session)


def live_attendance_proposal(*, session: LiveSession) -> AttendanceProposal:
    pupil_ids = class_pupil_ids(class_group_id=session.lesson.class_group_id)
    seen = set(
        Presence.objects.filter(session=session, user_id__in=pupil_ids).values_list(
            "user_id", flat=True
        )
    )
    pupils = User.objects.filter(pk__in=pupil_ids).order_by("last_name", "first_name")
    present = [pupil for pupil in pupils if pupil.pk in seen]
    absent = [pupil for pupil in pupils if pupil.pk not in seen]
    return AttendanceProposal(present=present, absent=absent)
