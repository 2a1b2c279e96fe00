"""Fixtures for the timetable tests: a term around today, bells, 5А's weekly pattern.

Dates are relative to today because the services treat "after today" specially.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from school.models import ClassGroup, LessonSlot, Role, Term, User, WeeklySlot
from tests import factories

BACKEND = "school.backends.LocalPasswordBackend"
DAY = datetime.timedelta(days=1)


def signed_in(user) -> Client:
    """A browser of this person that chose English, so the assertions below hold
    whatever the Russian catalogue says."""
    client = Client()
    client.force_login(user, backend=BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def english():
    """Services word their errors and notifications in the active language."""
    with translation.override("en"):
        yield


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def make_term_around_today(class_group: ClassGroup, name: str = "Четверть") -> Term:
    """Three weeks back to four weeks ahead, Monday to Sunday."""
    monday = monday_of(timezone.localdate())
    return Term.objects.create(
        academic_year=class_group.academic_year,
        name=name,
        starts_on=monday - 3 * datetime.timedelta(weeks=1),
        ends_on=monday + 4 * datetime.timedelta(weeks=1) - DAY,
    )


def make_school_teacher(school, **kwargs) -> User:
    teacher = factories.UserFactory(roles=[Role.TEACHER], **kwargs)
    teacher.schools.add(school)
    return teacher


@dataclass
class Timetable:
    term: Term
    bells: list[LessonSlot]
    monday: WeeklySlot  # maths, 1st lesson, room 21
    wednesday: WeeklySlot  # maths, 2nd lesson
    substitute: User  # another teacher of school one
    outsider: User  # a teacher of school two


@pytest.fixture
def timetable(city) -> Timetable:
    school = city.school_one
    bells = [factories.make_slot(school, number) for number in range(1, 5)]
    for number in range(1, 5):
        factories.make_slot(city.school_two, number)
    line = {
        "class_group": city.class_in,
        "subject": city.maths,
        "teacher": city.teacher,
    }
    return Timetable(
        term=make_term_around_today(city.class_in),
        bells=bells,
        monday=WeeklySlot.objects.create(weekday=1, slot=bells[0], room="21", **line),
        wednesday=WeeklySlot.objects.create(weekday=3, slot=bells[1], **line),
        substitute=make_school_teacher(school, username="sub", last_name="Заменова"),
        outsider=city.other_teacher,
    )
