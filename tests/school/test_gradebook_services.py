"""Marks: only the subject's teacher writes them, within the scale, with history."""

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from school.gradebook import services
from school.models import Mark, MarkChange, WorkType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def classwork(db):
    return WorkType.objects.get(code="classwork")


def test_teacher_sets_and_changes_a_mark_and_the_history_keeps_both(
    city, lesson, classwork
):
    services.mark_set(
        teacher=city.teacher,
        lesson=lesson,
        pupil=city.pupil_in,
        work_type=classwork,
        value=4,
    )
    services.mark_set(
        teacher=city.teacher,
        lesson=lesson,
        pupil=city.pupil_in,
        work_type=classwork,
        value="5",
        comment="Исправил",
    )
    mark = Mark.objects.get()
    assert (mark.value, mark.comment) == (5, "Исправил")
    history = list(
        MarkChange.objects.order_by("pk").values_list("old_value", "new_value")
    )
    assert history == [(None, 4), (4, 5)]
    assert MarkChange.objects.last().changed_by == city.teacher


@pytest.mark.parametrize("value", [0, 6, -1, "пять", "4.5", math.nan, None, True, ""])
def test_a_mark_outside_the_scale_is_refused_and_nothing_is_written(
    city, lesson, classwork, value
):
    with pytest.raises(ValidationError):
        services.mark_set(
            teacher=city.teacher,
            lesson=lesson,
            pupil=city.pupil_in,
            work_type=classwork,
            value=value,
        )
    assert not Mark.objects.exists()
    assert not MarkChange.objects.exists()


@pytest.mark.parametrize(
    "persona", ["other_teacher", "admin_one", "parent", "pupil_in"]
)
def test_only_the_subject_teacher_may_mark(city, lesson, classwork, persona):
    with pytest.raises(PermissionDenied):
        services.mark_set(
            teacher=getattr(city, persona),
            lesson=lesson,
            pupil=city.pupil_in,
            work_type=classwork,
            value=5,
        )
    assert not Mark.objects.exists()


def test_a_pupil_of_another_class_cannot_get_a_mark_here(city, lesson, classwork):
    with pytest.raises(ValidationError):
        services.mark_set(
            teacher=city.teacher,
            lesson=lesson,
            pupil=city.pupil_out,
            work_type=classwork,
            value=5,
        )


def test_deleting_a_mark_keeps_its_history(city, lesson, classwork):
    mark = services.mark_set(
        teacher=city.teacher,
        lesson=lesson,
        pupil=city.pupil_in,
        work_type=classwork,
        value=3,
    )
    services.mark_delete(teacher=city.teacher, mark=mark)
    assert not Mark.objects.exists()
    assert MarkChange.objects.filter(old_value=3, new_value=None).exists()
