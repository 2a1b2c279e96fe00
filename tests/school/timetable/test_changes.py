"""Substitutions, moves, cancellations and topics: who may, what is refused, and
who hears about it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from school.models import Lesson, LessonStatus, Notification
from school.timetable.services import (
    lesson_cancel,
    lesson_move,
    lesson_restore,
    lesson_substitute,
    lesson_topic_set,
    lessons_generate_for_term,
)
from tests import factories
from tests.school.timetable.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(city, timetable) -> list[Lesson]:
    """5А's future maths lessons, generated from the pattern."""
    lessons_generate_for_term(class_group=city.class_in, term=timetable.term)
    return list(
        Lesson.objects.filter(
            class_group=city.class_in, date__gt=timezone.localdate()
        ).order_by("date")
    )


def notified(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).values_list("text", flat=True)
    )


# --- Substitutions


def test_admin_sets_a_substitute_and_the_family_hears_after_commit(
    city, timetable, lessons, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        lesson = lesson_substitute(
            lesson=lessons[0], substitute=timetable.substitute, by=city.admin_one
        )
    assert callbacks, "the notification is pushed only once the change is committed"
    lesson.refresh_from_db()
    assert lesson.substitute == timetable.substitute
    for person in (city.pupil_in, city.parent, timetable.substitute):
        [text] = notified(person)
        assert "Математика" in text and timetable.substitute.last_name in text
    assert notified(city.pupil_out) == notified(city.other_parent) == []


def test_removing_the_substitute_gives_the_lesson_back(city, timetable, lessons):
    lesson_substitute(
        lesson=lessons[0], substitute=timetable.substitute, by=city.admin_one
    )
    lesson = lesson_substitute(lesson=lessons[0], substitute=None, by=city.admin_one)
    assert lesson.substitute is None
    assert Lesson.objects.get(pk=lesson.pk).given_by == city.teacher


def test_substitute_must_teach_at_that_school(city, timetable, lessons):
    with pytest.raises(ValidationError, match="is not a teacher of"):
        lesson_substitute(
            lesson=lessons[0], substitute=timetable.outsider, by=city.admin_one
        )
    with pytest.raises(ValidationError, match="is not a teacher of"):
        lesson_substitute(
            lesson=lessons[0], substitute=city.pupil_in, by=city.admin_one
        )
    assert Lesson.objects.get(pk=lessons[0].pk).substitute is None
    assert notified(city.pupil_in) == []


def test_a_busy_substitute_is_refused(city, timetable, lessons):
    other_class = factories.ClassGroupFactory(
        academic_year=city.class_in.academic_year, school=city.school_one, letter="Я"
    )
    factories.make_lesson(
        other_class,
        city.maths,
        timetable.substitute,
        date=lessons[0].date,
        number=lessons[0].slot.number,
    )
    with pytest.raises(ValidationError, match="already gives a lesson in class 5Я"):
        lesson_substitute(
            lesson=lessons[0], substitute=timetable.substitute, by=city.admin_one
        )


@pytest.mark.parametrize("persona", ["teacher", "admin_two", "parent", "pupil_in"])
def test_only_the_schools_admin_changes_lessons(city, timetable, lessons, persona):
    person = getattr(city, persona)
    lesson = lessons[0]
    with pytest.raises(PermissionDenied):
        lesson_substitute(lesson=lesson, substitute=timetable.substitute, by=person)
    with pytest.raises(PermissionDenied):
        lesson_cancel(lesson=lesson, by=person)
    with pytest.raises(PermissionDenied):
        lesson_move(lesson=lesson, date=lesson.date + DAY, slot=lesson.slot, by=person)
    lesson.refresh_from_db()
    assert (lesson.status, lesson.substitute, lesson.moved_from_date) == (
        LessonStatus.SCHEDULED,
        None,
        None,
    )


# --- Moves


def test_a_move_keeps_where_the_lesson_stood(city, timetable, lessons):
    lesson = lessons[0]
    origin = (lesson.date, lesson.slot)
    moved = lesson_move(
        lesson=lesson,
        date=lesson.date + DAY,
        slot=timetable.bells[2],
        by=city.admin_one,
    )
    assert (moved.date, moved.slot) == (origin[0] + DAY, timetable.bells[2])
    assert (moved.moved_from_date, moved.moved_from_slot) == origin
    again = lesson_move(
        lesson=moved,
        date=origin[0] + 2 * DAY,
        slot=timetable.bells[3],
        by=city.admin_one,
    )
    assert (again.moved_from_date, again.moved_from_slot) == origin
    back = lesson_move(lesson=again, date=origin[0], slot=origin[1], by=city.admin_one)
    assert (back.moved_from_date, back.moved_from_slot) == (None, None)
    [first, *_] = notified(city.parent)
    assert "Математика" in first


def test_a_move_outside_the_term_is_refused(city, timetable, lessons):
    after = timetable.term.ends_on + DAY
    with pytest.raises(ValidationError) as error:
        lesson_move(
            lesson=lessons[0], date=after, slot=timetable.bells[0], by=city.admin_one
        )
    assert "outside the term Четверть" in error.value.messages[0]
    assert Lesson.objects.get(pk=lessons[0].pk).date == lessons[0].date
    assert notified(city.pupil_in) == []


def test_a_move_into_a_taken_period_is_refused(city, timetable, lessons):
    monday, wednesday = lessons[0], lessons[1]
    with pytest.raises(ValidationError) as error:
        lesson_move(
            lesson=monday, date=wednesday.date, slot=wednesday.slot, by=city.admin_one
        )
    assert "is already taken by Математика" in error.value.messages[0]
    assert Lesson.objects.get(pk=monday.pk).date == monday.date


def test_a_move_to_a_bell_of_another_school_is_refused(city, timetable, lessons):
    foreign = factories.make_slot(city.school_two, 6)
    with pytest.raises(ValidationError, match="another school"):
        lesson_move(
            lesson=lessons[0], date=lessons[0].date, slot=foreign, by=city.admin_one
        )


# --- Cancellations


def test_cancel_frees_the_period_and_restore_takes_it_back(city, timetable, lessons):
    lesson = lesson_cancel(lesson=lessons[0], by=city.admin_one)
    assert lesson.status == LessonStatus.CANCELLED
    [text] = notified(city.pupil_in)
    assert "is cancelled" in text
    with pytest.raises(ValidationError):
        lesson_cancel(lesson=lesson, by=city.admin_one)
    # The free period can now be used by another lesson...
    lesson_move(
        lesson=lessons[1], date=lesson.date, slot=lesson.slot, by=city.admin_one
    )
    with pytest.raises(ValidationError, match="already taken"):
        lesson_restore(lesson=lesson, by=city.admin_one)
    # ...and once it is free again the cancelled lesson comes back.
    lesson_cancel(lesson=lessons[1], by=city.admin_one)
    restored = lesson_restore(lesson=lesson, by=city.admin_one)
    assert restored.status == LessonStatus.SCHEDULED


def test_a_cancelled_lesson_cannot_be_moved_or_substituted(city, timetable, lessons):
    lesson = lesson_cancel(lesson=lessons[0], by=city.admin_one)
    with pytest.raises(ValidationError, match="cancelled"):
        lesson_move(
            lesson=lesson, date=lesson.date + DAY, slot=lesson.slot, by=city.admin_one
        )
    with pytest.raises(ValidationError, match="cancelled"):
        lesson_substitute(
            lesson=lesson, substitute=timetable.substitute, by=city.admin_one
        )


# --- Topics


def test_the_teacher_sets_the_topic(city, lessons):
    lesson = lesson_topic_set(
        lesson=lessons[0], topic="  Дроби   и доли ", by=city.teacher
    )
    assert Lesson.objects.get(pk=lesson.pk).topic == "Дроби и доли"


def test_a_substitute_sets_the_topic_the_own_teacher_no_longer(
    city, timetable, lessons
):
    lesson = lesson_substitute(
        lesson=lessons[0], substitute=timetable.substitute, by=city.admin_one
    )
    lesson_topic_set(lesson=lesson, topic="Проценты", by=timetable.substitute)
    with pytest.raises(PermissionDenied):
        lesson_topic_set(lesson=lesson, topic="Другое", by=city.teacher)
    assert Lesson.objects.get(pk=lesson.pk).topic == "Проценты"


@pytest.mark.parametrize(
    "persona", ["other_teacher", "admin_one", "pupil_in", "parent"]
)
def test_nobody_else_sets_a_topic(city, lessons, persona):
    with pytest.raises(PermissionDenied):
        lesson_topic_set(
            lesson=lessons[0], topic="Чужая тема", by=getattr(city, persona)
        )
    assert Lesson.objects.get(pk=lessons[0].pk).topic == ""


def test_a_too_long_topic_is_refused(city, lessons):
    with pytest.raises(ValidationError, match="at most 255"):
        lesson_topic_set(lesson=lessons[0], topic="я" * 256, by=city.teacher)


def test_moved_lesson_dates_stay_within_the_term(city, timetable, lessons):
    last_day = timetable.term.ends_on
    moved = lesson_move(
        lesson=lessons[-1], date=last_day, slot=timetable.bells[3], by=city.admin_one
    )
    assert moved.date == last_day
    assert isinstance(moved.moved_from_date, datetime.date)
