"""Reads for the diary: a pupil's week, shaped in three queries whatever its size.

The diary reads the journal's models directly (lessons, marks, attendance, absence
notices, homework, submissions) so that a page costs a fixed number of queries.
Two definitions live here until the gradebook and attendance areas offer theirs:
an absence is *excused* when its row says so or when an absence notice covers the
lesson's date (decided at read time), and see `school.diary.summary` for averages.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from school.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    Enrolment,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    Submission,
    User,
)

WEEK = datetime.timedelta(days=7)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week `day` falls in."""
    return day - datetime.timedelta(days=day.weekday())


def classes_of(pupil: User, start: datetime.date, end: datetime.date) -> QuerySet:
    """Ids of the classes the pupil belonged to on some day of [start, end]."""
    return (
        Enrolment.objects.filter(pupil=pupil, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values("class_group_id")
    )


def enrolled_on_lesson_day(pupil: User) -> Exists:
    """True for a lesson given while the pupil was in its class (a moved pupil
    sees the old class's lessons before the move and the new one's after)."""
    return Exists(
        Enrolment.objects.filter(
            pupil=pupil,
            class_group_id=OuterRef("class_group_id"),
            starts_on__lte=OuterRef("date"),
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("date")))
    )


def pupil_lessons(pupil: User, start: datetime.date, end: datetime.date) -> QuerySet:
    """The pupil's lessons in [start, end] with their attendance, one query."""
    attendance = Attendance.objects.filter(lesson=OuterRef("pk"), pupil=pupil)
    notice = AbsenceNotice.objects.filter(
        pupil=pupil, starts_on__lte=OuterRef("date"), ends_on__gte=OuterRef("date")
    )
    return (
        Lesson.objects.filter(
            class_group_id__in=classes_of(pupil, start, end),
            date__gte=start,
            date__lte=end,
        )
        .filter(enrolled_on_lesson_day(pupil))
        .annotate(
            attendance_status=Subquery(attendance.values("status")[:1]),
            attendance_note=Subquery(attendance.values("note")[:1]),
            noticed=Exists(notice),
        )
    )


def effective_attendance(status: str | None, noticed: bool) -> str | None:
    """An absence covered by a parent's notice counts as excused."""
    if status == AttendanceStatus.ABSENT and noticed:
        return AttendanceStatus.EXCUSED
    return status


@dataclass
class DiaryLesson:
    lesson: Lesson
    attendance: str | None
    attendance_note: str
    marks: list[Mark] = field(default_factory=list)
    homework: list[Homework] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.lesson.status == LessonStatus.CANCELLED

    @property
    def attendance_label(self) -> str:
        return AttendanceStatus(self.attendance).label if self.attendance else ""


@dataclass
class DiaryDay:
    date: datetime.date
    lessons: list[DiaryLesson] = field(default_factory=list)
    homework_due: list[Homework] = field(default_factory=list)


@dataclass
class DiaryWeek:
    pupil: User
    monday: datetime.date
    days: list[DiaryDay]

    @property
    def previous(self) -> datetime.date:
        return self.monday - WEEK

    @property
    def next(self) -> datetime.date:
        return self.monday + WEEK

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


def _marks_of(pupil: User, lesson_ids: list[int]) -> list[Mark]:
    if not lesson_ids:
        return []
    marks = Mark.objects.filter(pupil=pupil, lesson_id__in=lesson_ids)
    return list(marks.select_related("work_type").order_by("created_at", "pk"))


def _homework_of(pupil: User, start: datetime.date, end: datetime.date) -> list:
    """Homework given at the class's lessons of [start, end] or due then, with the
    pupil's submission status and mark (None when nothing was handed in).

    Reached through the class's lessons (index on class and date) rather than
    `due_date`, which has no index and would scan the whole city's homework.
    """
    submission = Submission.objects.filter(homework=OuterRef("pk"), pupil=pupil)
    homework = (
        Homework.objects.filter(
            lesson__class_group_id__in=classes_of(pupil, start, end),
            lesson__date__lte=end,
        )
        .filter(Q(lesson__date__gte=start) | Q(due_date__gte=start, due_date__lte=end))
        .select_related("lesson__subject")
        .annotate(
            submission_status=Subquery(submission.values("status")[:1]),
            submission_mark=Subquery(submission.values("mark__value")[:1]),
        )
        .order_by("due_date", "pk")
    )
    return list(homework)


def diary_days(pupil: User, start: datetime.date, end: datetime.date) -> list[DiaryDay]:
    """Each day of [start, end] (Sunday only when it has lessons); three queries."""
    lessons = list(
        pupil_lessons(pupil, start, end)
        # "plan" is the lessons app's LessonPlan and "board" the whiteboard app's
        # Board (reverse one-to-ones), named by string so school imports neither;
        # the day template links them (a board only once something was drawn, and
        # only if the board policy, which asks for the class, lets the viewer in).
        .select_related(
            "class_group",
            "slot",
            "subject",
            "teacher",
            "substitute",
            "moved_from_slot",
            "plan",
            "board",
        )
        .order_by("date", "slot__number", "pk")
    )
    ids = [lesson.pk for lesson in lessons]
    items = {
        lesson.pk: DiaryLesson(
            lesson=lesson,
            attendance=effective_attendance(lesson.attendance_status, lesson.noticed),
            attendance_note=lesson.attendance_note or "",
        )
        for lesson in lessons
    }
    for mark in _marks_of(pupil, ids):
        items[mark.lesson_id].marks.append(mark)
    days = _empty_days(start, end, {lesson.date for lesson in lessons})
    for item in items.values():
        days[item.lesson.date].lessons.append(item)
    for homework in _homework_of(pupil, start, end):
        if homework.lesson_id in items:
            items[homework.lesson_id].homework.append(homework)
        if homework.due_date in days:
            days[homework.due_date].homework_due.append(homework)
    return list(days.values())


def _empty_days(
    start: datetime.date, end: datetime.date, busy: set[datetime.date]
) -> dict[datetime.date, DiaryDay]:
    days = {}
    day = start
    while day <= end:
        if day.isoweekday() != 7 or day in busy or start == end:
            days[day] = DiaryDay(date=day)
        day += datetime.timedelta(days=1)
    return days


def diary_week(pupil: User, monday: datetime.date) -> DiaryWeek:
    days = diary_days(pupil, monday, monday + datetime.timedelta(days=6))
    return DiaryWeek(pupil=pupil, monday=monday, days=days)
