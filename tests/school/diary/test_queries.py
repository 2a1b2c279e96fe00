"""Each diary page costs a fixed number of queries, however much is in it."""

import datetime

import pytest

from school.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    Homework,
    Lesson,
    Mark,
    Submission,
    SubmissionStatus,
    WorkType,
)
from school.models.journal import Scale
from tests import factories
from tests.school.diary.conftest import signed_in, this_monday

PAGE_QUERY_BOUND = 10
SIZES = {"small": 1, "larger": 6}  # lessons a day per class


def fill_weeks(city, pupils, lessons_a_day: int, weeks: int = 2) -> None:
    """Lessons of 5А over `weeks` weeks with a mark, an attendance row and
    homework (with a submission) per lesson and pupil."""
    work_types = list(WorkType.objects.all())
    start = this_monday() - datetime.timedelta(days=7 * (weeks - 1))
    subjects = [factories.SubjectFactory() for _ in range(lessons_a_day)]
    for subject in subjects:
        city.class_in.teaching_assignments.create(teacher=city.teacher, subject=subject)
    for day in range(7 * weeks):
        date = start + datetime.timedelta(days=day)
        if date.isoweekday() == 7:
            continue
        for number, subject in enumerate(subjects, start=1):
            lesson = factories.make_lesson(
                city.class_in, subject, city.teacher, date=date, number=number
            )
            lesson.topic = f"Тема {day}.{number}"
            lesson.save(update_fields=["topic"])
            homework = Homework.objects.create(
                lesson=lesson,
                due_date=date + datetime.timedelta(days=2),
                text="Упражнение",
                created_by=city.teacher,
            )
            for index, pupil in enumerate(pupils):
                for work_type in work_types[: 1 + number % 2]:
                    Mark.objects.create(
                        lesson=lesson,
                        pupil=pupil,
                        work_type=work_type,
                        scale=Scale.FIVE_POINT,
                        value=2 + (day + index) % 4,
                        created_by=city.teacher,
                    )
                Attendance.objects.create(
                    lesson=lesson,
                    pupil=pupil,
                    status=[AttendanceStatus.LATE, AttendanceStatus.ABSENT][day % 2],
                    recorded_by=city.teacher,
                )
                Submission.objects.create(
                    homework=homework, pupil=pupil, status=SubmissionStatus.SUBMITTED
                )
    for pupil in pupils:
        AbsenceNotice.objects.create(
            pupil=pupil,
            announced_by=city.parent,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=2),
            reason="Болезнь",
        )


@pytest.fixture
def second_child(city):
    child = factories.make_pupil(city.class_in, first_name="Маша")
    city.parent.guardianships.create(pupil=child)
    return child


def lessons_this_week() -> int:
    monday = this_monday()
    return Lesson.objects.filter(
        date__gte=monday, date__lte=monday + datetime.timedelta(days=6)
    ).count()


@pytest.mark.parametrize("size", SIZES)
def test_pupil_week_query_count_does_not_grow(
    city, second_child, size, django_assert_max_num_queries
):
    fill_weeks(city, [city.pupil_in, second_child], SIZES[size])
    client = signed_in(city.pupil_in)
    with django_assert_max_num_queries(PAGE_QUERY_BOUND):
        response = client.get(f"/diary/{city.pupil_in.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("data-lesson=") == lessons_this_week()


@pytest.mark.parametrize("size", SIZES)
def test_parent_diary_with_two_children_query_count_does_not_grow(
    city, second_child, size, django_assert_max_num_queries
):
    fill_weeks(city, [city.pupil_in, second_child], SIZES[size])
    client = signed_in(city.parent)
    for child in (city.pupil_in, second_child):
        with django_assert_max_num_queries(PAGE_QUERY_BOUND):
            response = client.get(f"/diary/{child.pk}/")
        page = response.content.decode()
        assert page.count("data-lesson=") == lessons_this_week()
        assert page.count('class="mark"') >= lessons_this_week()
        assert f'href="/diary/{second_child.pk}/"' in page


@pytest.mark.parametrize("size", SIZES)
def test_parent_summary_query_count_does_not_grow(
    city, second_child, size, django_assert_max_num_queries
):
    fill_weeks(city, [city.pupil_in, second_child], SIZES[size])
    client = signed_in(city.parent)
    with django_assert_max_num_queries(PAGE_QUERY_BOUND):
        response = client.get(f"/diary/{second_child.pk}/summary/")
    assert response.status_code == 200
    assert response.content.decode().count("data-subject=") == SIZES[size]


@pytest.mark.parametrize("persona", ["teacher", "admin_one"])
def test_staff_reading_a_diary_query_count_does_not_grow(
    city, persona, django_assert_max_num_queries
):
    fill_weeks(city, [city.pupil_in], SIZES["larger"])
    client = signed_in(getattr(city, persona))
    for url in (f"/diary/{city.pupil_in.pk}/", f"/diary/{city.pupil_in.pk}/summary/"):
        with django_assert_max_num_queries(PAGE_QUERY_BOUND):
            assert client.get(url).status_code == 200
