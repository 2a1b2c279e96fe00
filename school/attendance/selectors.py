"""Reads for attendance, shaped once: registers, notices and attendance rates.

Parents' absence notices are merged at read time (`effective_status`): the
teacher's record stays exactly as they entered it, and a notice withdrawn or
corrected later changes what everybody sees without rewriting the register.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from school.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    Enrolment,
    Lesson,
    Term,
    User,
)

PRESENT = AttendanceStatus.PRESENT.value
ABSENT = AttendanceStatus.ABSENT.value
LATE = AttendanceStatus.LATE.value
EXCUSED = AttendanceStatus.EXCUSED.value

# The one-letter marks of a paper journal; Russian journals write Н, О and У.
LETTERS = {
    PRESENT: "",
    ABSENT: pgettext_lazy("attendance letter: absent (Russian Н)", "A"),
    LATE: pgettext_lazy("attendance letter: late (Russian О)", "L"),
    EXCUSED: pgettext_lazy("attendance letter: excused (Russian У)", "E"),
}


def effective_status(recorded: str | None, noticed: bool) -> str:
    """What teachers and families see for a pupil at a lesson.

    `recorded` is the stored status (None: no row, i.e. present). A parent's
    notice turns "no row" and "absent" into excused; a late arrival, an explicit
    "present" or "excused" stay as the teacher wrote them.
    """
    if noticed and recorded in (None, ABSENT):
        return EXCUSED
    return recorded or PRESENT


@dataclass(frozen=True)
class NoticeSpans:
    """The days a pupil's parents announced as absences."""

    spans: tuple[tuple[datetime.date, datetime.date], ...] = ()

    def covers(self, day: datetime.date) -> bool:
        return any(start <= day <= end for start, end in self.spans)


@dataclass
class Rate:
    """Attendance over some lessons; `percent` counts late arrivals as present."""

    lessons: int = 0
    absent: int = 0
    late: int = 0
    excused: int = 0

    def add(self, status: str) -> None:
        self.lessons += 1
        if status in (ABSENT, LATE, EXCUSED):
            setattr(self, status, getattr(self, status) + 1)

    @property
    def present(self) -> int:
        return self.lessons - self.absent - self.excused

    @property
    def percent(self) -> int | None:
        if not self.lessons:
            return None
        return round(100 * self.present / self.lessons)

    def __add__(self, other: "Rate") -> "Rate":
        return Rate(
            lessons=self.lessons + other.lessons,
            absent=self.absent + other.absent,
            late=self.late + other.late,
            excused=self.excused + other.excused,
        )


def notice_spans_for(
    pupil_ids: Iterable[int], first: datetime.date, last: datetime.date
) -> dict[int, NoticeSpans]:
    """Notices per pupil overlapping [first, last] (one query)."""
    found: dict[int, list] = defaultdict(list)
    rows = AbsenceNotice.objects.filter(
        pupil_id__in=list(pupil_ids), starts_on__lte=last, ends_on__gte=first
    ).values_list("pupil_id", "starts_on", "ends_on")
    for pupil_id, start, end in rows:
        found[pupil_id].append((start, end))
    return {pupil_id: NoticeSpans(tuple(spans)) for pupil_id, spans in found.items()}


def _enrolment_spans(pupil: User, term: Term) -> list[tuple[int, Enrolment]]:
    return [
        (enrolment.class_group_id, enrolment)
        for enrolment in Enrolment.objects.filter(
            pupil=pupil, starts_on__lte=term.ends_on
        ).exclude(ends_on__lt=term.starts_on)
    ]


def _was_in(spans, class_id: int, day: datetime.date) -> bool:
    return any(
        cid == class_id
        and e.starts_on <= day
        and (e.ends_on is None or day <= e.ends_on)
        for cid, e in spans
    )


def attendance_rates(
    *, pupil: User, term: Term, until: datetime.date | None = None
) -> dict[int, Rate]:
    """The pupil's attendance per subject id over the term's lessons held so far.

    Counts the held (not cancelled) lessons of the pupil's classes, dated within
    the term, up to `until` (today by default) and while the pupil was in that
    class; parents' notices are merged. Four queries whatever the number of
    lessons. `attendance_overall(rates)` sums them for the whole term.
    """
    spans = _enrolment_spans(pupil, term)
    last = min(term.ends_on, until or timezone.localdate())
    lessons = (
        Lesson.objects.held()
        .filter(
            class_group_id__in={cid for cid, _e in spans},
            date__gte=term.starts_on,
            date__lte=last,
        )
        .values_list("pk", "class_group_id", "subject_id", "date")
    )
    recorded = dict(
        Attendance.objects.filter(
            pupil=pupil, lesson__date__gte=term.starts_on, lesson__date__lte=last
        ).values_list("lesson_id", "status")
    )
    notices = notice_spans_for([pupil.pk], term.starts_on, last).get(
        pupil.pk, NoticeSpans()
    )
    rates: dict[int, Rate] = defaultdict(Rate)
    for lesson_id, class_id, subject_id, day in lessons:
        if _was_in(spans, class_id, day):
            status = effective_status(recorded.get(lesson_id), notices.covers(day))
            rates[subject_id].add(status)
    return dict(rates)


def attendance_overall(rates: dict[int, Rate]) -> Rate:
    return sum(rates.values(), Rate())


@dataclass
class RegisterLine:
    pupil: User
    status: str
    noticed: bool
    note: str = ""
    letter: str = field(init=False)

    def __post_init__(self) -> None:
        self.letter = LETTERS[self.status]


def lesson_register(*, lesson: Lesson) -> list[RegisterLine]:
    """Pupils in the class on the lesson's day with what teachers see (3 queries)."""
    enrolments = (
        Enrolment.objects.current(on=lesson.date)
        .filter(class_group_id=lesson.class_group_id)
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
    pupils = list({e.pupil_id: e.pupil for e in enrolments}.values())
    rows = {
        row.pupil_id: row
        for row in Attendance.objects.filter(lesson=lesson).only(
            "pupil_id", "status", "note"
        )
    }
    notices = notice_spans_for([p.pk for p in pupils], lesson.date, lesson.date)
    lines = []
    for pupil in pupils:
        row = rows.get(pupil.pk)
        noticed = pupil.pk in notices
        status = effective_status(row.status if row else None, noticed)
        lines.append(RegisterLine(pupil, status, noticed, row.note if row else ""))
    return lines


def lessons_to_register(*, teacher: User, day: datetime.date) -> QuerySet[Lesson]:
    """The lessons a teacher gives on a day, their own or as a substitute."""
    return (
        Lesson.objects.held()
        .filter(date=day)
        .filter(Q(teacher=teacher) | Q(substitute=teacher))
        .select_related("class_group__school", "subject", "slot")
        .order_by("slot__number")
    )


def notices_of_parent(*, parent: User) -> QuerySet[AbsenceNotice]:
    """Notices about this parent's children, by whoever of the family wrote them."""
    return (
        AbsenceNotice.objects.filter(pupil__guardians__parent=parent)
        .select_related("pupil", "announced_by")
        .order_by("-starts_on", "-pk")
    )


STATUS_CHOICES = [
    (PRESENT, _("Present")),
    (ABSENT, _("Absent")),
    (LATE, _("Late")),
    (EXCUSED, _("Excused")),
]
