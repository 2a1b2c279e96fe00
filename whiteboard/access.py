"""Who may open a whiteboard and who may draw on it; built on school and lessons.

A board of a dated lesson: the teacher who gives it and the class's teachers draw,
pupils enrolled in the class watch. A board outside a lesson: its creator only.
Everybody else is refused, whether or not the board exists.
"""

from enum import StrEnum

from django.http import Http404

from lessons.access import can_plan, teaches_lesson_class
from school import access
from school.models import User
from whiteboard.models import Board, LiveSession

_LESSON = ("lesson__class_group", "lesson__teacher", "lesson__substitute")


class Mode(StrEnum):
    EDIT = "edit"
    VIEW = "view"


def board_mode(user: User, board: Board) -> Mode | None:
    """EDIT, VIEW, or None when the person may not open the board at all."""
    if not access.is_signed_in(user):
        return None
    lesson = board.lesson
    if lesson is None:
        return Mode.EDIT if board.created_by_id == user.pk else None
    if teaches_lesson_class(user, lesson):
        return Mode.EDIT
    if access.is_pupil_of_class(user, lesson.class_group):
        return Mode.VIEW
    return None


def get_board_mode_for_user(user: User, board_id: int) -> tuple[Board, Mode] | None:
    """The board and the person's mode, or None (missing board or no access)."""
    board = Board.objects.select_related(*_LESSON).filter(pk=board_id).first()
    if board is None:
        return None
    mode = board_mode(user, board)
    return None if mode is None else (board, mode)


# --- What was drawn, after (or during) the lesson: pictures and a PDF of it


def can_view_drawing(user: User, board: Board) -> bool:
    """Whoever may open the board, and parents of a pupil in the lesson's class: a
    parent following the child's diary sees what was on the board. Parents get no
    board_mode, so no socket: not the live lesson, nor the pupils' cursors."""
    if board_mode(user, board) is not None:
        return True
    lesson = board.lesson
    return lesson is not None and access.is_guardian_in_class(user, lesson.class_group)


def get_board_drawing_for_user(user: User, board_id: int) -> Board:
    """The board with its lesson's class, subject and teachers, if the person may
    see what was drawn on it; Http404 otherwise, also for a missing board."""
    board = (
        Board.objects.select_related(*_LESSON, "lesson__subject")
        .filter(pk=board_id)
        .first()
    )
    if board is None or not can_view_drawing(user, board):
        raise Http404
    return board


def may_edit(mode: Mode, user_id: int, pen_holders: frozenset[int] | set[int]) -> bool:
    """Whether an update from this connection is applied, asked per message.

    `pen_holders` are the people a teacher has handed the pen to in the live
    session (kept by the room), so a hand-over takes effect without reconnecting.
    """
    return mode is Mode.EDIT or user_id in pen_holders


# --- Live lessons


class LiveRole(StrEnum):
    TEACHER = "teacher"
    PUPIL = "pupil"


_LIVE = (
    "lesson__class_group",
    "lesson__subject",
    "lesson__teacher",
    "lesson__substitute",
    "pen_holder",
)


def live_role(user: User, session: LiveSession) -> LiveRole | None:
    """TEACHER for the one who gives the lesson (starts, controls and ends the
    session), PUPIL for pupils enrolled in its class, None for anyone else."""
    if can_plan(user, session.lesson):
        return LiveRole.TEACHER
    if access.is_pupil_of_class(user, session.lesson.class_group):
        return LiveRole.PUPIL
    return None


def get_live_session_for_user(
    user: User, session_id: int
) -> tuple[LiveSession, LiveRole] | None:
    """An open session and the person's role in it; None when missing, ended or
    not theirs (the socket refuses all three alike)."""
    session = (
        LiveSession.objects.select_related(*_LIVE)
        .filter(pk=session_id, ended_at__isnull=True)
        .first()
    )
    role = None if session is None else live_role(user, session)
    return None if role is None else (session, role)


def get_live_session_to_control(user: User, session_id: int) -> LiveSession:
    """An open session this teacher runs; Http404 for anyone else."""
    found = get_live_session_for_user(user, session_id)
    if found is None or found[1] is not LiveRole.TEACHER:
        raise Http404
    return found[0]


def get_live_session_to_join(user: User, session_id: int) -> LiveSession:
    """An open session of a pupil's own class; Http404 for anyone else."""
    found = get_live_session_for_user(user, session_id)
    if found is None or found[1] is not LiveRole.PUPIL:
        raise Http404
    return found[0]


_ENDED = (
    "lesson__class_group",
    "lesson__subject",
    "lesson__term",
    "lesson__teacher",
    "lesson__substitute",
)


def get_ended_session_to_record(user: User, session_id: int) -> LiveSession:
    """An ended session of a lesson this person gives (lessons.access.can_plan),
    with the lesson's class, subject, term and teachers loaded, for writing its
    attendance. Http404 for anyone else, for a missing session and for one still
    open (who joined may still change; the teacher ends it first)."""
    session = (
        LiveSession.objects.select_related(*_ENDED)
        .filter(pk=session_id, ended_at__isnull=False)
        .first()
    )
    if session is None or not can_plan(user, session.lesson):
        raise Http404("No such live lesson.")
    return session
