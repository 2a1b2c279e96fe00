"""Gradebook writes: scales, averages, history, final marks and refusals."""

import datetime
import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from school.gradebook import selectors, services
from school.gradebook.averages import weighted_average
from school.models import (
    Enrolment,
    Gradebook,
    LessonStatus,
    Mark,
    MarkChange,
    Scale,
    TermMark,
)
from tests import factories

pytestmark = pytest.mark.django_db


def give(city, lesson, work_type, value, **kwargs):
    return services.mark_set(
        teacher=city.teacher,
        lesson=lesson,
        pupil=kwargs.pop("pupil", city.pupil_in),
        work_type=work_type,
        value=value,
        **kwargs,
    )


def gradebook_of(lesson) -> Gradebook:
    return services.gradebook_for(lesson=lesson)


def test_hundred_point_scale_takes_0_to_100(city, lesson, classwork):
    gradebook = gradebook_of(lesson)
    services.gradebook_scale_set(
        teacher=city.teacher, gradebook=gradebook, scale=Scale.HUNDRED_POINT
    )
    assert give(city, lesson, classwork, "87").value == 87
    with pytest.raises(ValidationError, match="0 to 100|от 0 до 100"):
        give(city, lesson, classwork, 101)
    assert Mark.objects.get().value == 87


def test_pass_fail_takes_only_1_and_0(city, lesson, classwork):
    gradebook = gradebook_of(lesson)
    services.gradebook_scale_set(
        teacher=city.teacher, gradebook=gradebook, scale=Scale.PASS_FAIL
    )
    give(city, lesson, classwork, 1)
    with pytest.raises(ValidationError):
        give(city, lesson, classwork, 2)
    assert Mark.objects.get().scale == Scale.PASS_FAIL


def test_changing_the_scale_is_refused_once_marks_exist(city, lesson, classwork):
    give(city, lesson, classwork, 5)
    gradebook = gradebook_of(lesson)
    with pytest.raises(ValidationError) as refused:
        services.gradebook_scale_set(
            teacher=city.teacher, gradebook=gradebook, scale=Scale.HUNDRED_POINT
        )
    assert "1" in refused.value.messages[0]
    gradebook.refresh_from_db()
    assert gradebook.scale == Scale.FIVE_POINT


def test_only_the_subject_teacher_changes_the_scale(city, lesson, homeroom):
    gradebook = gradebook_of(lesson)
    for person in (city.other_teacher, homeroom, city.admin_one):
        with pytest.raises(PermissionDenied):
            services.gradebook_scale_set(
                teacher=person, gradebook=gradebook, scale=Scale.PASS_FAIL
            )
    gradebook.refresh_from_db()
    assert gradebook.scale == Scale.FIVE_POINT


def test_an_unknown_scale_is_refused(city, lesson):
    with pytest.raises(ValidationError):
        services.gradebook_scale_set(
            teacher=city.teacher, gradebook=gradebook_of(lesson), scale="ten"
        )


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, "NaN", "nan", "5_0", "٥", "+5", " ", [], {}, 4.0]
)
def test_values_that_are_not_plain_whole_numbers_are_refused(
    city, lesson, classwork, value
):
    with pytest.raises(ValidationError):
        give(city, lesson, classwork, value)
    assert not Mark.objects.exists()
    assert not MarkChange.objects.exists()


def test_weighted_average_uses_the_work_type_weights(
    city, lesson, classwork, test_work
):
    give(city, lesson, classwork, 5)
    give(city, lesson, test_work, 3)  # weight 3: (5·1 + 3·3) / 4 = 3.5
    grid = selectors.gradebook_grid(gradebook=gradebook_of(lesson))
    average = grid.rows[0].average
    assert average.value == Decimal("3.5")
    assert average.display == "3.50"
    assert average.suggested == 4  # 3.5 rounds half up


def test_pass_fail_average_is_a_pass_ratio():
    average = weighted_average(Scale.PASS_FAIL, [(1, 1), (1, 3), (0, 1), (1, 2)])
    assert average.display == "3/4"
    assert average.suggested == 1
    assert weighted_average(Scale.PASS_FAIL, [(0, 1), (1, 1), (0, 1)]).suggested == 0


def test_hundred_point_average_shows_one_decimal():
    average = weighted_average(Scale.HUNDRED_POINT, [(90, 1), (71, 2)])
    assert average.display == "77.3"
    assert average.suggested == 77


def test_every_change_is_kept_with_who_and_what(city, lesson, classwork):
    give(city, lesson, classwork, 3, comment="У доски")
    give(city, lesson, classwork, 4, comment=None)  # None keeps the comment
    mark = Mark.objects.get()
    assert mark.comment == "У доски"
    services.mark_delete(teacher=city.teacher, mark=mark)
    changes = list(selectors.mark_history(lesson=lesson, pupil_id=city.pupil_in.pk))
    assert [(c.old_value, c.new_value) for c in changes] == [
        (4, None),
        (3, 4),
        (None, 3),
    ]
    assert {c.changed_by for c in changes} == {city.teacher}
    assert changes[-1].new_comment == "У доски"


def test_a_comment_longer_than_500_characters_is_refused(city, lesson, classwork):
    with pytest.raises(ValidationError):
        give(city, lesson, classwork, 5, comment="x" * 501)
    assert not Mark.objects.exists()


def test_a_lesson_dated_outside_its_term_takes_no_marks(city, classwork):
    term = factories.make_term(city.class_in)
    outside = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=term.ends_on + datetime.timedelta(days=3),
    )
    with pytest.raises(ValidationError, match=str(term.ends_on.year)):
        give(city, outside, classwork, 5)
    assert not Mark.objects.exists()


def test_a_cancelled_lesson_takes_no_marks(city, lesson, classwork):
    lesson.status = LessonStatus.CANCELLED
    lesson.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        give(city, lesson, classwork, 5)


def test_a_pupil_of_another_class_gets_no_mark(city, lesson, classwork):
    with pytest.raises(ValidationError):
        give(city, lesson, classwork, 5, pupil=city.pupil_out)
    assert not Mark.objects.exists()


def test_another_teacher_cannot_mark_or_remove(city, lesson, classwork):
    mark = give(city, lesson, classwork, 5)
    with pytest.raises(PermissionDenied):
        services.mark_delete(teacher=city.other_teacher, mark=mark)
    assert Mark.objects.filter(pk=mark.pk).exists()


def test_term_mark_is_set_by_the_teacher_within_the_scale(city, lesson, classwork):
    gradebook = gradebook_of(lesson)
    give(city, lesson, classwork, 4)
    services.term_mark_set(
        teacher=city.teacher, gradebook=gradebook, pupil=city.pupil_in, value="4"
    )
    assert TermMark.objects.get().value == 4
    with pytest.raises(ValidationError):
        services.term_mark_set(
            teacher=city.teacher, gradebook=gradebook, pupil=city.pupil_in, value=7
        )
    assert TermMark.objects.get().value == 4
    row = selectors.gradebook_grid(gradebook=gradebook).rows[0]
    assert (row.term_mark, row.average.suggested) == (4, 4)
    services.term_mark_set(
        teacher=city.teacher, gradebook=gradebook, pupil=city.pupil_in, value=""
    )
    assert not TermMark.objects.exists()


def test_term_mark_refused_for_others_and_for_pupils_outside(city, lesson, homeroom):
    gradebook = gradebook_of(lesson)
    with pytest.raises(PermissionDenied):
        services.term_mark_set(
            teacher=homeroom, gradebook=gradebook, pupil=city.pupil_in, value=5
        )
    with pytest.raises(ValidationError):
        services.term_mark_set(
            teacher=city.teacher, gradebook=gradebook, pupil=city.pupil_out, value=5
        )
    assert not TermMark.objects.exists()


def test_a_pupil_who_left_stays_with_cells_after_leaving_inactive(city, classwork):
    term = factories.make_term(city.class_in)
    early = factories.make_lesson(
        city.class_in, city.maths, city.teacher, date=term.starts_on
    )
    late = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=term.starts_on + datetime.timedelta(days=20),
    )
    Enrolment.objects.filter(pupil=city.pupil_in).update(
        ends_on=term.starts_on + datetime.timedelta(days=10)
    )
    give(city, early, classwork, 5)
    with pytest.raises(ValidationError):
        give(city, late, classwork, 5)
    row = selectors.gradebook_grid(gradebook=gradebook_of(early)).rows[0]
    assert row.left_on == term.starts_on + datetime.timedelta(days=10)
    assert [cell.active for cell in row.cells] == [True, False]


def test_pupil_term_averages_for_the_diary(city, lesson, classwork, test_work):
    give(city, lesson, classwork, 5)
    give(city, lesson, test_work, 4)
    averages = selectors.pupil_term_averages(pupil=city.pupil_in, term=lesson.term)
    assert averages[city.maths.pk].display == "4.25"
    assert selectors.pupil_term_averages(pupil=city.pupil_out, term=lesson.term) == {}
