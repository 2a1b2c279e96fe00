"""Reads for a pupil's term summary per subject: marks and attendance, three queries.

Definitions (to be unified with the gradebook and attendance areas):
- weighted average = sum(value × weight) / sum(weight) over the term's marks on the
  5-point scale (100-point and pass/fail marks are counted and listed, not averaged);
- an absence is excused when its row says so or an absence notice covers its date;
- missed = absent + excused; attendance rate = (held − missed) / held, over the held
  (not cancelled) lessons of the term up to today while the pupil was in the class.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from school.diary.selectors import classes_of, effective_attendance, pupil_lessons
from school.models import AttendanceStatus, LessonStatus, Mark, Term, User
from school.models.journal import Scale

LAST_MARKS = 5


@dataclass
class SubjectSummary:
    name: str
    marks: list[Mark] = field(default_factory=list)
    held: int = 0
    missed: int = 0
    late: int = 0
    excused: int = 0

    @property
    def average(self) -> float | None:
        weighted = [
            (mark.value, mark.work_type.weight)
            for mark in self.marks
            if mark.scale == Scale.FIVE_POINT
        ]
        total_weight = sum(weight for _value, weight in weighted)
        if not total_weight:
            return None
        return sum(value * weight for value, weight in weighted) / total_weight

    @property
    def last_marks(self) -> list[Mark]:
        return self.marks[-LAST_MARKS:]

    @property
    def rate(self) -> int | None:
        """Percentage of held lessons attended (late counts as attended)."""
        if not self.held:
            return None
        return round(100 * (self.held - self.missed) / self.held)


@dataclass
class TermSummary:
    pupil: User
    term: Term | None
    subjects: list[SubjectSummary]


def current_term(pupil: User, today: datetime.date) -> Term | None:
    """The term of the pupil's class that started last on or before today."""
    return (
        Term.objects.filter(
            academic_year__classes__pk__in=classes_of(pupil, today, today),
            starts_on__lte=today,
        )
        .order_by("-starts_on")
        .first()
    )


def _count_attendance(subjects: dict, pupil: User, term: Term, today) -> None:
    rows = (
        pupil_lessons(pupil, term.starts_on, min(today, term.ends_on))
        .filter(term=term)
        .exclude(status=LessonStatus.CANCELLED)
        .values("subject_id", "subject__name", "attendance_status", "noticed")
    )
    for row in rows:
        summary = subjects.setdefault(
            row["subject_id"], SubjectSummary(name=row["subject__name"])
        )
        status = effective_attendance(row["attendance_status"], row["noticed"])
        summary.held += 1
        summary.missed += status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)
        summary.excused += status == AttendanceStatus.EXCUSED
        summary.late += status == AttendanceStatus.LATE


def _collect_marks(subjects: dict, pupil: User, term: Term) -> None:
    marks = (
        Mark.objects.filter(pupil=pupil, lesson__term=term)
        .select_related("work_type", "lesson__subject")
        .order_by("lesson__date", "lesson__slot__number", "pk")
    )
    for mark in marks:
        subject = mark.lesson.subject
        subjects.setdefault(subject.pk, SubjectSummary(name=subject.name))
        subjects[subject.pk].marks.append(mark)


def term_summary(pupil: User, today: datetime.date | None = None) -> TermSummary:
    """Per subject of the current term: marks, average and attendance (3 queries)."""
    today = today or timezone.localdate()
    term = current_term(pupil, today)
    subjects: dict[int, SubjectSummary] = {}
    if term is not None:
        _count_attendance(subjects, pupil, term, today)
        _collect_marks(subjects, pupil, term)
    ordered = sorted(subjects.values(), key=lambda summary: summary.name)
    return TermSummary(pupil=pupil, term=term, subjects=ordered)


def chart_data(summary: TermSummary) -> dict:
    """What the term chart draws (JSON-ready): each subject's 5-point marks by
    date and its attendance rate. The summary table shows the same in words."""
    return {
        "subjects": [
            {
                "name": subject.name,
                "marks": [
                    {"x": mark.lesson.date.isoformat(), "y": mark.value}
                    for mark in subject.marks
                    if mark.scale == Scale.FIVE_POINT
                ],
                "rate": subject.rate,
            }
            for subject in summary.subjects
        ]
    }
