"""Attendance rates per subject and overall, as the diaries and the grid read them."""

import datetime

import pytest

from school.attendance.selectors import Rate, attendance_overall, attendance_rates
from school.models import AbsenceNotice, Attendance, LessonStatus, Subject
from tests import factories

pytestmark = pytest.mark.django_db


def test_rates_per_subject_count_notices_and_skip_cancelled_and_future(city):
    term = factories.make_term(city.class_in)
    today = term.starts_on + datetime.timedelta(days=10)  # "today" for the rates
    russian = Subject.objects.create(code="russian", name="Русский язык")
    factories.make_teacher(city.class_in, russian)
    days = [today - datetime.timedelta(days=n) for n in (1, 2, 3, 4)]
    maths = [
        factories.make_lesson(city.class_in, city.maths, city.teacher, date=d)
        for d in days
    ]
    factories.make_lesson(city.class_in, russian, city.teacher, date=days[0], number=2)
    factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=today + datetime.timedelta(days=1),
    )
    maths[3].status = LessonStatus.CANCELLED
    maths[3].save(update_fields=["status"])
    for lesson, status in ((maths[0], "absent"), (maths[1], "late")):
        Attendance.objects.create(
            lesson=lesson,
            pupil=city.pupil_in,
            status=status,
            recorded_by=city.teacher,
        )
    AbsenceNotice.objects.create(
        pupil=city.pupil_in,
        announced_by=city.parent,
        reason="врач",
        starts_on=days[0],
        ends_on=days[0],
    )
    rates = attendance_rates(pupil=city.pupil_in, term=term, until=today)
    # maths: 3 held lessons so far — excused (notice over an absence), late, present
    assert rates[city.maths.pk] == Rate(lessons=3, absent=0, late=1, excused=1)
    assert rates[city.maths.pk].percent == 67
    assert rates[russian.pk] == Rate(lessons=1, excused=1)
    overall = attendance_overall(rates)
    assert (overall.lessons, overall.present, overall.percent) == (4, 2, 50)
    assert attendance_rates(pupil=city.pupil_out, term=term, until=today) == {}
