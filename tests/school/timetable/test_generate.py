"""Dated lessons from the weekly pattern: idempotent, inside the term, and a change
of the pattern rewrites only future lessons nobody has written in."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from school.gradebook.services import mark_set
from school.models import (
    Attendance,
    AttendanceStatus,
    Lesson,
    LessonStatus,
    Term,
    WeeklySlot,
    WorkType,
)
from school.timetable.services import (
    lesson_cancel,
    lesson_move,
    lessons_generate_for_term,
    weekly_pattern_apply,
    weekly_slot_delete,
)
from tests import factories
from tests.school.timetable.conftest import DAY

pytestmark = pytest.mark.django_db


def lessons_of(city):
    return Lesson.objects.filter(class_group=city.class_in).order_by("date", "slot")


def generate(city, timetable) -> int:
    return lessons_generate_for_term(class_group=city.class_in, term=timetable.term)


def test_one_lesson_per_pattern_line_and_week(city, timetable):
    created = generate(city, timetable)
    lessons = list(lessons_of(city))
    assert created == len(lessons) == 14  # 7 weeks × (Monday + Wednesday)
    mondays = [lesson for lesson in lessons if lesson.date.isoweekday() == 1]
    assert len(mondays) == 7
    for lesson in mondays:
        assert (lesson.slot, lesson.room, lesson.subject, lesson.teacher) == (
            timetable.bells[0],
            "21",
            city.maths,
            city.teacher,
        )
        assert lesson.term == timetable.term
        assert lesson.pattern == timetable.monday
    assert {lesson.date.isoweekday() for lesson in lessons} == {1, 3}


def test_days_outside_the_term_are_skipped(city, timetable):
    # Tuesday to the Monday two weeks later: two Mondays, two Wednesdays.
    tuesday = timetable.term.starts_on - datetime.timedelta(weeks=8) + DAY
    term = Term.objects.create(
        academic_year=city.class_in.academic_year,
        name="Короткая",
        starts_on=tuesday,
        ends_on=tuesday + 13 * DAY,
    )
    assert lessons_generate_for_term(class_group=city.class_in, term=term) == 4
    dates = list(lessons_of(city).values_list("date", flat=True))
    assert min(dates) == tuesday + DAY  # the Wednesday; the Monday before is out
    assert max(dates) == term.ends_on  # the last Monday is in
    assert all(term.starts_on <= day <= term.ends_on for day in dates)


def test_running_again_creates_nothing_and_keeps_topics_and_marks(city, timetable):
    generate(city, timetable)
    past = lessons_of(city).filter(date__lt=timezone.localdate()).first()
    past.topic = "Дроби"
    past.save(update_fields=["topic"])
    classwork = WorkType.objects.get(code="classwork")
    mark_set(
        teacher=city.teacher,
        lesson=past,
        pupil=city.pupil_in,
        work_type=classwork,
        value=5,
    )
    before = list(lessons_of(city).values_list("pk", "date", "slot", "topic"))
    assert generate(city, timetable) == 0
    assert list(lessons_of(city).values_list("pk", "date", "slot", "topic")) == before
    assert past.marks.get().value == 5


def test_moved_and_cancelled_lessons_do_not_come_back(city, timetable):
    generate(city, timetable)
    future = list(lessons_of(city).filter(date__gt=timezone.localdate() + DAY))
    lesson_cancel(lesson=future[0], by=city.admin_one)
    lesson_move(
        lesson=future[1],
        date=future[1].date + DAY,
        slot=timetable.bells[3],
        by=city.admin_one,
    )
    count = lessons_of(city).count()
    assert generate(city, timetable) == 0
    assert weekly_pattern_apply(class_group=city.class_in) == 0
    assert lessons_of(city).count() == count


def test_a_changed_line_rewrites_only_future_lessons_nobody_wrote_in(city, timetable):
    generate(city, timetable)
    today = timezone.localdate()
    future = list(lessons_of(city).filter(date__gt=today, pattern=timetable.monday))
    marked, attended = future[0], future[1]
    classwork = WorkType.objects.get(code="classwork")
    mark_set(
        teacher=city.teacher,
        lesson=marked,
        pupil=city.pupil_in,
        work_type=classwork,
        value=4,
    )
    Attendance.objects.create(
        lesson=attended,
        pupil=city.pupil_in,
        status=AttendanceStatus.LATE,
        recorded_by=city.teacher,
    )
    WeeklySlot.objects.filter(pk=timetable.monday.pk).update(
        teacher=timetable.substitute, room="305"
    )
    weekly_pattern_apply(class_group=city.class_in)

    mondays = lessons_of(city).filter(pattern=timetable.monday)
    for lesson in mondays:
        kept = lesson.date <= today or lesson.pk in (marked.pk, attended.pk)
        expected = (city.teacher, "21") if kept else (timetable.substitute, "305")
        assert (lesson.teacher, lesson.room) == expected, lesson.date


def test_a_line_moved_to_another_day_moves_only_future_lessons(city, timetable):
    generate(city, timetable)
    today = timezone.localdate()
    past_mondays = set(
        lessons_of(city)
        .filter(date__lte=today, pattern=timetable.monday)
        .values_list("pk", flat=True)
    )
    WeeklySlot.objects.filter(pk=timetable.monday.pk).update(weekday=2)
    weekly_pattern_apply(class_group=city.class_in)

    lines = lessons_of(city).filter(pattern=timetable.monday)
    assert set(lines.filter(date__lte=today).values_list("pk", flat=True)) == (
        past_mondays
    )
    future = lines.filter(date__gt=today)
    assert future.exists()
    assert {lesson.date.isoweekday() for lesson in future} == {2}
    assert not lines.filter(date__lte=today, date__week_day=3).exists()  # no past Tue


def test_deleting_a_line_removes_its_future_lessons_only(city, timetable):
    generate(city, timetable)
    today = timezone.localdate()
    past = lessons_of(city).filter(date__lte=today, pattern=timetable.monday).count()
    weekly_slot_delete(weekly_slot=timetable.monday, by=city.admin_one)
    mondays = lessons_of(city).filter(date__week_day=2)  # Django: Sunday is 1
    assert mondays.count() == past
    assert not mondays.filter(date__gt=today).exists()
    assert not mondays.filter(pattern__isnull=False).exists()


def test_a_term_of_another_school_year_is_refused(city, timetable):
    other_term = factories.make_term(city.class_out)
    with pytest.raises(ValidationError, match="school year"):
        lessons_generate_for_term(class_group=city.class_in, term=other_term)
    assert not lessons_of(city).exists()


def test_first_run_fills_a_term_that_already_began(city, timetable):
    generate(city, timetable)
    past = lessons_of(city).filter(date__lt=timezone.localdate())
    assert past.count() >= 6  # three whole weeks before this one
    assert not lessons_of(city).filter(status=LessonStatus.CANCELLED).exists()
