"""The grid page costs the same few queries for 5 pupils × 10 lessons and 30 × 60."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from school.models import AbsenceNotice, Attendance, Mark, TermMark
from tests import factories
from tests.school.gradebook.conftest import gradebook_url, signed_in

pytestmark = pytest.mark.django_db

BUDGET = 10


def fill(city, pupils: int, lessons: int) -> None:
    """Marks, absences, notices and final marks on every pupil and lesson."""
    term = factories.make_term(city.class_in)
    class_pupils = [city.pupil_in] + [
        factories.make_pupil(city.class_in) for _ in range(pupils - 1)
    ]
    dated = [
        factories.make_lesson(
            city.class_in,
            city.maths,
            city.teacher,
            date=term.starts_on + datetime.timedelta(days=day),
        )
        for day in range(lessons)
    ]
    Mark.objects.bulk_create(
        Mark(
            lesson=lesson,
            pupil=pupil,
            work_type_id=1 + index % 6,
            scale="five",
            value=1 + index % 5,
            comment="к",
            created_by=city.teacher,
        )
        for index, (lesson, pupil) in enumerate(
            (lesson, pupil) for lesson in dated for pupil in class_pupils
        )
    )
    Attendance.objects.bulk_create(
        Attendance(
            lesson=lesson, pupil=pupil, status="absent", recorded_by=city.teacher
        )
        for lesson in dated[::3]
        for pupil in class_pupils[::2]
    )
    AbsenceNotice.objects.bulk_create(
        AbsenceNotice(
            pupil=pupil,
            announced_by=city.parent,
            reason="болеет",
            starts_on=term.starts_on,
            ends_on=term.starts_on,
        )
        for pupil in class_pupils
    )
    TermMark.objects.bulk_create(
        TermMark(
            pupil=pupil,
            class_group=city.class_in,
            subject=city.maths,
            term=term,
            scale="five",
            value=4,
            set_by=city.teacher,
        )
        for pupil in class_pupils
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["teacher", "admin_one", "homeroom"])
def test_grid_page_queries_do_not_grow_with_pupils_or_lessons(
    city, homeroom, name, django_assert_max_num_queries
):
    user = homeroom if name == "homeroom" else getattr(city, name)
    client = signed_in(user)
    signed_in(city.teacher).get(gradebook_url(city))  # creates the gradebook row
    fill(city, pupils=5, lessons=10)
    small = count_queries(client, gradebook_url(city))
    fill_more(city)
    url = gradebook_url(city)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url)
    assert response.content.decode().count('role="gridcell"') == 30 * 60
    assert count_queries(client, gradebook_url(city)) == small <= BUDGET


def fill_more(city) -> None:
    """From 5 × 10 to 30 × 60: 25 more pupils and 50 more lessons, all marked."""
    Mark.objects.all().delete()
    Attendance.objects.all().delete()
    AbsenceNotice.objects.all().delete()
    TermMark.objects.all().delete()
    from school.models import Enrolment, Lesson

    Enrolment.objects.filter(class_group=city.class_in).exclude(
        pupil=city.pupil_in
    ).delete()
    Lesson.objects.filter(class_group=city.class_in).delete()
    fill(city, pupils=30, lessons=60)


@pytest.mark.parametrize("name", ["teacher", "admin_one"])
def test_exports_cost_the_same_few_queries(city, name, django_assert_max_num_queries):
    client = signed_in(getattr(city, name))
    signed_in(city.teacher).get(gradebook_url(city))
    fill(city, pupils=30, lessons=60)
    for page in ("export_xlsx", "export_csv"):
        url = gradebook_url(city, page)
        with django_assert_max_num_queries(BUDGET):
            assert client.get(url).status_code == 200
