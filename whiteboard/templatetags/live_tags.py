"""Live lessons on other apps' pages: the home page's cards, the diary's links,
the rows of the attendance form.

School templates load this library and include whiteboard's small templates: the
accepted seam, since school never imports whiteboard. Each tag costs a fixed
number of queries per page, however many lessons or sessions it shows.
"""

from dataclasses import dataclass, field

from django import template
from django.core.exceptions import ObjectDoesNotExist

from school.access import is_signed_in
from school.models import Lesson, Role, User
from whiteboard import attendance, selectors
from whiteboard.access import can_view_drawing
from whiteboard.live import AttendanceProposal
from whiteboard.models import Board, LiveSession

register = template.Library()


def _viewer(context) -> User | None:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user if user is not None and is_signed_in(user) else None


# --- The home page


@dataclass(frozen=True)
class HomeLive:
    """For a pupil: the open lessons of their classes, and joining with a code."""

    pupil: bool = False
    to_join: list[LiveSession] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def live_home(context) -> HomeLive:
    """One query for a pupil, none for anyone else.

    Teachers get no "back to the console" card: their home page is held to a
    fixed query budget (tests/school/test_views.py) that one more query would
    break, and a running lesson's console is usually still open in a tab.
    """
    user = _viewer(context)
    if user is None or not user.has_role(Role.PUPIL):
        return HomeLive()
    return HomeLive(pupil=True, to_join=selectors.live_sessions_to_join(pupil=user))


# --- The diary


@dataclass(frozen=True)
class DiaryLive:
    """What a diary lesson links to: its open session (for the pupil themselves),
    or, once no session is open, its board if anything was drawn on it."""

    join: LiveSession | None = None
    board_id: int | None = None


NOTHING = DiaryLive()


class _DiaryPage:
    """What one diary page needs, read once: the open sessions of the pupil's
    classes (one query) and, per class, whether the viewer may open its boards
    (the policy asked once per class, not per lesson).

    The links are the family's: the pupil themselves and a parent (if the board
    policy lets them look). Teachers and administrators reading a diary have the
    lesson's own pages, and their diary costs nothing more.
    """

    def __init__(self, viewer: User, pupil: User) -> None:
        self.viewer = viewer
        self.pupil = pupil
        self.own = viewer.pk == pupil.pk and viewer.has_role(Role.PUPIL)
        self.family = self.own or viewer.has_role(Role.PARENT)
        self._open: dict[int, LiveSession] | None = None
        self._may_open: dict[int, bool] = {}

    def open_session(self, lesson: Lesson) -> LiveSession | None:
        if self._open is None:
            sessions = selectors.live_sessions_open_for_pupil(pupil=self.pupil)
            self._open = {session.lesson_id: session for session in sessions}
        return self._open.get(lesson.pk)

    def may_open(self, board: Board) -> bool:
        # can_view_drawing gives a person the same access to every lesson board of a
        # class (its teachers, its pupils, and whoever else it names), and a
        # diary week shows the lessons of one class, two after a move.
        class_id = board.lesson.class_group_id
        if class_id not in self._may_open:
            self._may_open[class_id] = can_view_drawing(self.viewer, board)
        return self._may_open[class_id]


def _diary_page(context, viewer: User) -> _DiaryPage:
    pupil = context.get("pupil") or viewer
    request = context.get("request")
    # Each day of the week is a separate include (its own render context), so
    # what is read once per page is kept on the request.
    pages = getattr(request, "_whiteboard_diary_pages", None)
    if pages is None:
        pages = {}
        if request is not None:
            request._whiteboard_diary_pages = pages
    if pupil.pk not in pages:
        pages[pupil.pk] = _DiaryPage(viewer, pupil)
    return pages[pupil.pk]


def _lesson_board(lesson: Lesson) -> Board | None:
    """The lesson's board, which the diary selects with the lesson (no query)."""
    try:
        return lesson.board
    except ObjectDoesNotExist:
        return None


@register.simple_tag(takes_context=True)
def diary_live(context, lesson: Lesson) -> DiaryLive:
    """A lesson without a board has no session either (a session always runs on
    its lesson's board), so a week without boards costs no query; with boards, at
    most one query for the open sessions and one policy check per class."""
    viewer = _viewer(context)
    board = _lesson_board(lesson)
    if viewer is None or board is None:
        return NOTHING
    page = _diary_page(context, viewer)
    if not page.family:
        return NOTHING
    if page.own and (session := page.open_session(lesson)) is not None:
        return DiaryLive(join=session)
    # `last_seq` counts every update ever appended, and a snapshot only merges
    # appended updates: 0 is a board nothing was drawn on. While the lesson is
    # live, the family sees the lesson, not a board still being drawn on.
    if board.last_seq == 0 or not page.may_open(board) or page.open_session(lesson):
        return NOTHING
    return DiaryLive(board_id=board.pk)


# --- The attendance form after a live lesson


@register.simple_tag(takes_context=True)
def live_attendance_rows(
    context, session: LiveSession, proposal: AttendanceProposal
) -> list[attendance.AttendanceRow]:
    return attendance.live_attendance_rows(
        session=session, proposal=proposal, chosen=context.get("chosen")
    )
