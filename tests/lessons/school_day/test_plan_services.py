"""Attaching a library lesson to a dated lesson, and its homework suggestion."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lessons.models import LessonPlan
from lessons.services import (
    lesson_plan_attach,
    lesson_plan_detach,
    lesson_plan_homework_assign,
)
from school.models import Homework, LessonStatus, Role
from tests import factories
from tests.lessons.school_day.conftest import (
    HOMEWORK_TEXT,
    SUGGESTION_ID,
    library_lesson,
)

pytestmark = pytest.mark.django_db


def test_teacher_attaches_and_replaces(city, lesson, page):
    plan = lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=page)
    assert (plan.lesson, plan.page, plan.attached_by) == (lesson, page, city.teacher)
    other = library_lesson(city.maths, title="Другой урок")
    lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=other)
    assert LessonPlan.objects.get(lesson=lesson).page == other
    assert LessonPlan.objects.count() == 1


def test_detach(city, plan):
    lesson_plan_detach(teacher=city.teacher, lesson=plan.lesson)
    assert not LessonPlan.objects.exists()


@pytest.mark.parametrize(
    "persona", ["other_teacher", "pupil_in", "parent", "admin_one", "admin_two"]
)
def test_only_the_lessons_teacher_plans(city, lesson, page, persona):
    user = getattr(city, persona)
    with pytest.raises(PermissionDenied):
        lesson_plan_attach(teacher=user, lesson=lesson, page=page)
    assert not LessonPlan.objects.exists()


def test_substitute_plans_instead_of_the_teacher(city, lesson, page):
    substitute = factories.UserFactory(roles=[Role.TEACHER])
    lesson.substitute = substitute
    lesson.save(update_fields=["substitute"])
    with pytest.raises(PermissionDenied):
        lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=page)
    lesson_plan_attach(teacher=substitute, lesson=lesson, page=page)
    with pytest.raises(PermissionDenied):
        lesson_plan_detach(teacher=city.teacher, lesson=lesson)


def test_unpublished_page_cannot_be_attached(city, lesson):
    draft = library_lesson(city.maths, title="Черновик", live=False)
    with pytest.raises(ValidationError):
        lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=draft)
    assert not LessonPlan.objects.exists()


def test_cancelled_lesson_cannot_be_planned(city, lesson, page):
    lesson.status = LessonStatus.CANCELLED
    lesson.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=page)


def test_suggestion_is_due_at_the_next_lesson_of_the_subject(city, plan):
    lesson = plan.lesson
    day = datetime.timedelta(days=1)
    # Another subject's lesson sooner, and a cancelled maths lesson, do not count.
    factories.make_lesson(
        city.class_in, factories.SubjectFactory(), city.teacher, date=lesson.date + day
    )
    cancelled = factories.make_lesson(
        city.class_in, city.maths, city.teacher, date=lesson.date + day, number=2
    )
    cancelled.status = LessonStatus.CANCELLED
    cancelled.save(update_fields=["status"])
    factories.make_lesson(
        city.class_in, city.maths, city.teacher, date=lesson.date + 5 * day
    )
    homework = lesson_plan_homework_assign(
        teacher=city.teacher, lesson=lesson, block_id=SUGGESTION_ID
    )
    assert homework.text == HOMEWORK_TEXT
    assert homework.lesson == lesson
    assert homework.due_date == lesson.date + 5 * day


def test_suggestion_without_a_next_lesson_uses_its_days(city, plan):
    homework = lesson_plan_homework_assign(
        teacher=city.teacher, lesson=plan.lesson, block_id=SUGGESTION_ID
    )
    assert homework.due_date == plan.lesson.date + datetime.timedelta(days=3)


@pytest.mark.parametrize("block_id", ["no-such", "quiz-one", ""])
def test_unknown_suggestion_sets_nothing(city, plan, block_id):
    with pytest.raises(ValidationError):
        lesson_plan_homework_assign(
            teacher=city.teacher, lesson=plan.lesson, block_id=block_id
        )
    assert not Homework.objects.exists()


def test_suggestion_needs_an_attached_lesson(city, lesson):
    with pytest.raises(ValidationError):
        lesson_plan_homework_assign(
            teacher=city.teacher, lesson=lesson, block_id=SUGGESTION_ID
        )


def test_only_the_lessons_teacher_sets_the_suggestion(city, plan):
    with pytest.raises(PermissionDenied):
        lesson_plan_homework_assign(
            teacher=city.other_teacher, lesson=plan.lesson, block_id=SUGGESTION_ID
        )
    assert not Homework.objects.exists()
