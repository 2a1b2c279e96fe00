"""The term summary per subject: weighted average, marks, attendance."""

import datetime
import re

from school.models import (
    AbsenceNotice,
    AttendanceStatus,
    Gradebook,
    LessonStatus,
    Mark,
    WorkType,
)
from school.models.journal import Scale
from tests import factories
from tests.school.diary.conftest import give_mark, record, ru, signed_in


def row_of(response, subject: str) -> str:
    page = response.content.decode()
    match = re.search(rf'<tr data-subject="{subject}">.*?</tr>', page, re.S)
    assert match, f"no row for {subject}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match[0]))


def test_weighted_average_counts_and_last_marks(city, week):
    # The week gives 5 (classwork, weight 1) and 2 (test, weight 3).
    response = signed_in(city.parent).get(f"/diary/{city.pupil_in.pk}/summary/")
    row = row_of(response, "Математика")
    assert "2,75" in row or "2.75" in row  # (5·1 + 2·3) / (1 + 3)
    assert re.search(r"\b2\b", row)  # number of marks
    assert "Молодец" in row


def test_marks_on_other_scales_are_listed_but_not_averaged(city, week):
    physics = factories.SubjectFactory(code="physics", name="Физика")
    # Slot 6: the week already holds lessons at slot 1, today among them on Fridays.
    lesson = factories.make_lesson(city.class_in, physics, city.teacher, number=6)
    Gradebook.objects.create(
        class_group=city.class_in,
        subject=physics,
        term=lesson.term,
        scale=Scale.HUNDRED_POINT,
    )
    Mark.objects.create(
        lesson=lesson,
        pupil=city.pupil_in,
        work_type=WorkType.objects.get(code="test"),
        scale=Scale.HUNDRED_POINT,
        value=87,
        created_by=city.teacher,
    )
    response = signed_in(city.pupil_in).get(f"/diary/{city.pupil_in.pk}/summary/")
    row = row_of(response, "Физика")
    assert "87" in row
    assert "—" in row  # no 5-point marks, so no average


def test_attendance_counts_missed_late_excused_and_rate(city, week):
    # Held this week: Monday (present), Wednesday (late), Friday (absent);
    # Tuesday's lesson was cancelled and does not count.
    extra = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=week.monday - datetime.timedelta(days=3),
    )
    record(extra, city.pupil_in, AttendanceStatus.ABSENT)
    AbsenceNotice.objects.create(
        pupil=city.pupil_in,
        announced_by=city.parent,
        starts_on=extra.date,
        ends_on=extra.date,
        reason="Соревнования",
    )
    future = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=week.monday + datetime.timedelta(days=30),
    )
    assert future.status == LessonStatus.SCHEDULED
    today = week.monday + datetime.timedelta(days=6)
    from school.diary.summary import term_summary

    [maths] = term_summary(city.pupil_in, today=today).subjects
    assert (maths.held, maths.missed, maths.excused, maths.late) == (4, 2, 1, 1)
    assert maths.rate == 50
    response = signed_in(city.parent).get(f"/diary/{city.pupil_in.pk}/summary/")
    assert ru("Attendance") in response.content.decode()


def test_summary_of_a_pupil_without_a_term_says_so(city):
    response = signed_in(city.pupil_in).get(f"/diary/{city.pupil_in.pk}/summary/")
    assert ru("There is no current term.") in response.content.decode()


def test_a_lesson_mark_added_later_changes_the_average(city, week):
    give_mark(week.friday, city.pupil_in, "oral", 5)
    response = signed_in(city.parent).get(f"/diary/{city.pupil_in.pk}/summary/")
    assert re.search(r"3[,.]20", row_of(response, "Математика"))  # 16 / 5
