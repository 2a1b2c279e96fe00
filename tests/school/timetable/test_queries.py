"""Every timetable page costs a fixed number of queries, whatever the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from school.models import WeeklySlot
from school.timetable.services import (
    calendar_feed_create,
    lesson_substitute,
    lessons_generate_for_term,
)
from tests import factories
from tests.school.timetable.conftest import make_school_teacher, signed_in

pytestmark = pytest.mark.django_db
PAGE_QUERY_BOUND = 10


def fill_week(city, timetable, lines: int) -> None:
    """`lines` more pattern lines (each a different teacher), then the lessons."""
    slots = [factories.make_slot(city.school_one, n) for n in range(1, 9)]
    for index in range(lines):
        teacher = make_school_teacher(city.school_one)
        WeeklySlot.objects.create(
            class_group=city.class_in,
            weekday=index % 5 + 1,
            slot=slots[4 + index // 5],
            subject=city.maths,
            teacher=teacher,
            room=str(100 + index),
        )
    lessons_generate_for_term(class_group=city.class_in, term=timetable.term)
    for lesson in city.class_in.lessons.filter(pattern__isnull=False)[: lines + 1]:
        lesson.topic = "Тема"
        lesson.save(update_fields=["topic"])
    substitutable = city.class_in.lessons.filter(teacher=city.teacher).first()
    lesson_substitute(
        lesson=substitutable, substitute=timetable.substitute, by=city.admin_one
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, follow=True)  # one timetable opens at once
    assert response.status_code == 200
    return len(captured)


def pages(city):
    feed = calendar_feed_create(user=city.parent, pupil=city.pupil_in)
    return [
        (city.parent, reverse("timetable:class_week", args=[city.class_in.pk])),
        (city.admin_one, reverse("timetable:class_week", args=[city.class_in.pk])),
        (city.teacher, reverse("timetable:class_week", args=[city.class_in.pk])),
        (city.teacher, reverse("timetable:my_week")),
        (city.pupil_in, reverse("timetable:index")),
        (city.parent, reverse("timetable:index")),
        (city.admin_one, reverse("timetable:index")),
        (city.parent, reverse("timetable:feeds")),
        (None, reverse("timetable:feed", args=[feed.token])),
    ]


def measure(city):
    from django.test import Client

    return [
        count_queries(signed_in(user) if user else Client(), url)
        for user, url in pages(city)
    ]


def test_pages_cost_the_same_for_few_and_many_lessons(city, timetable):
    fill_week(city, timetable, lines=0)
    few = measure(city)
    fill_week(city, timetable, lines=10)
    for n in range(6):  # more classes for the administrator's list
        factories.ClassGroupFactory(
            academic_year=city.class_in.academic_year,
            school=city.school_one,
            grade=6 + n % 5,
        )
    many = measure(city)
    assert few == many
    assert max(many) <= PAGE_QUERY_BOUND
