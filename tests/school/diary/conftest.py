"""A week of school for Петя (5А): lessons, marks, attendance and homework.

Dates are relative to this week's Monday, so the pages show them by default.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from school.models import (
    Attendance,
    AttendanceStatus,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    Submission,
    SubmissionStatus,
    WorkType,
)
from school.models.journal import Scale
from tests import factories

BACKEND = "school.backends.LocalPasswordBackend"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def this_monday() -> datetime.date:
    return monday_of(timezone.localdate())


def give_mark(lesson: Lesson, pupil, code: str, value: int, comment: str = "") -> Mark:
    return Mark.objects.create(
        lesson=lesson,
        pupil=pupil,
        work_type=WorkType.objects.get(code=code),
        scale=Scale.FIVE_POINT,
        value=value,
        comment=comment,
        created_by=lesson.teacher,
    )


def record(lesson: Lesson, pupil, status: str, note: str = "") -> Attendance:
    return Attendance.objects.create(
        lesson=lesson,
        pupil=pupil,
        status=status,
        note=note,
        recorded_by=lesson.teacher,
    )


@dataclass
class Week:
    monday: datetime.date
    algebra: Lesson  # Monday 1st: topic, two marks, homework due Wednesday
    cancelled: Lesson  # Tuesday 2nd
    moved: Lesson  # Wednesday 3rd: moved from Tuesday, substitute, pupil late
    friday: Lesson  # Friday 1st: pupil absent
    homework: Homework


@pytest.fixture
def week(city) -> Week:
    monday = this_monday()
    teacher, maths, class_in = city.teacher, city.maths, city.class_in
    substitute = factories.UserFactory(last_name="Замена", first_name="Зоя")

    def lesson(days: int, number: int, **fields) -> Lesson:
        made = factories.make_lesson(
            class_in,
            maths,
            teacher,
            date=monday + datetime.timedelta(days),
            number=number,
        )
        Lesson.objects.filter(pk=made.pk).update(**fields)
        made.refresh_from_db()
        return made

    algebra = lesson(0, 1, topic="Дроби", room="214")
    cancelled = lesson(1, 2, status=LessonStatus.CANCELLED)
    moved = lesson(
        2,
        3,
        substitute=substitute,
        moved_from_date=monday + datetime.timedelta(1),
        moved_from_slot=factories.make_slot(class_in.school, 4),
    )
    friday = lesson(4, 1)
    give_mark(algebra, city.pupil_in, "classwork", 5, comment="Молодец")
    give_mark(algebra, city.pupil_in, "test", 2)
    record(moved, city.pupil_in, AttendanceStatus.LATE)
    record(friday, city.pupil_in, AttendanceStatus.ABSENT)
    homework = Homework.objects.create(
        lesson=algebra,
        due_date=monday + datetime.timedelta(2),
        text="Задача № 12",
        created_by=teacher,
    )
    Submission.objects.create(
        homework=homework, pupil=city.pupil_in, status=SubmissionStatus.DONE
    )
    return Week(monday, algebra, cancelled, moved, friday, homework)


def ru(text: str) -> str:
    """What the page shows for `text` (Russian is the default language)."""
    with translation.override("ru"):
        return gettext(text)
