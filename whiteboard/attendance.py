"""Attendance from a live lesson: the end-of-lesson proposal, written to the register.

The register belongs to the school: `school.attendance.services.attendance_set` is
its one write path, and this module only decides whom to mark absent. Who joined
the live lesson is a proposal; the teacher confirms or corrects it on the form of
whiteboard/live_ended.html before anything is written.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lessons.access import can_plan
from school.attendance.services import attendance_set
from school.models import Attendance, AttendanceStatus, User
from whiteboard.live import AttendanceProposal
from whiteboard.models import LiveSession
from whiteboard.selectors import class_pupil_ids

PRESENT = AttendanceStatus.PRESENT.value
ABSENT = AttendanceStatus.ABSENT.value


def not_in_class_error() -> ValidationError:
    return ValidationError(
        _("Only pupils of this class can be marked here. Nothing was written.")
    )


@dataclass(frozen=True)
class AttendanceRow:
    """One pupil on the form: whether they joined, what the form proposes, and the
    status already in the register ("" when none), which a write keeps."""

    pupil: User
    joined: bool
    absent: bool
    recorded: str

    @property
    def recorded_label(self) -> str:
        return AttendanceStatus(self.recorded).label if self.recorded else ""


def live_attendance_rows(
    *,
    session: LiveSession,
    proposal: AttendanceProposal,
    chosen: dict[int, str] | None = None,
) -> list[AttendanceRow]:
    """The form's rows by name: absent proposed for who did not join, unless
    `chosen` ({pupil id: "present" | "absent"}, a form sent back with an error)
    says otherwise. One query (the register's rows of the lesson)."""
    recorded = dict(
        Attendance.objects.filter(lesson_id=session.lesson_id).values_list(
            "pupil_id", "status"
        )
    )
    chosen = chosen or {}
    rows = [
        AttendanceRow(
            pupil=pupil,
            joined=joined,
            absent=chosen.get(pupil.pk, PRESENT if joined else ABSENT) == ABSENT,
            recorded=recorded.get(pupil.pk, ""),
        )
        for joined, pupils in ((True, proposal.present), (False, proposal.absent))
        for pupil in pupils
    ]
    return sorted(rows, key=lambda row: (row.pupil.last_name, row.pupil.first_name))


@dataclass(frozen=True)
class AttendanceWritten:
    """Who was marked absent now, and who already had a status in the register
    (left exactly as it was)."""

    absent: list[User]
    kept: list[User]


@transaction.atomic
def live_attendance_write(
    *, teacher: User, session: LiveSession, absent: list[User]
) -> AttendanceWritten:
    """Marks `absent` absent at the session's lesson through the school's
    attendance service; everyone else stays present (no row is the register's
    "present"). Family pages hear each absence after commit (the service).

    PermissionDenied unless the session has ended and `teacher` gives the lesson.
    ValidationError, with nothing written, for anyone not in the class, and for
    whatever the service refuses (a cancelled lesson, one outside the term): every
    pupil is checked before the first write, and one transaction holds them all.

    A status already in the register is never overwritten: it was entered by hand
    (or by an earlier sending of this form), and the teacher's own mark is better
    evidence than whether a device joined the board. So a pupil marked late stays
    late and an excused one stays excused, although the service itself would
    replace the row. Corrections belong in the register, where the teacher lands
    next.
    """
    lesson = session.lesson
    if session.is_open or not can_plan(teacher, lesson):
        raise PermissionDenied(
            _("Only the teacher of the lesson writes its attendance, after it ends.")
        )
    pupils = list({pupil.pk: pupil for pupil in absent}.values())
    enrolled = set(class_pupil_ids(class_group_id=lesson.class_group_id))
    if any(pupil.pk not in enrolled for pupil in pupils):
        raise not_in_class_error()
    recorded = set(
        Attendance.objects.filter(lesson=lesson, pupil__in=pupils).values_list(
            "pupil_id", flat=True
        )
    )
    written, kept = [], []
    for pupil in pupils:
        if pupil.pk in recorded:
            kept.append(pupil)
            continue
        attendance_set(teacher=teacher, lesson=lesson, pupil=pupil, status=ABSENT)
        written.append(pupil)
    return AttendanceWritten(absent=written, kept=kept)
