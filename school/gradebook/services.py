"""Writes to the gradebook: marks with their history, final term marks."""

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from school import access
from school.models import Enrolment, Lesson, Mark, MarkChange, User, WorkType
from school.models.journal import SCALE_RANGES, Gradebook, Scale
from school.services import family_event_send


def gradebook_for(*, lesson: Lesson) -> Gradebook:
    gradebook, _created = Gradebook.objects.get_or_create(
        class_group_id=lesson.class_group_id,
        subject_id=lesson.subject_id,
        term_id=lesson.term_id,
    )
    return gradebook


def mark_value_check(*, scale: str, value) -> int:
    """The value as an int if the scale allows it; ValidationError otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(_("Enter a mark."))
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(_("A mark must be a whole number."))
    try:
        number = int(str(value).strip())
    except ValueError as error:
        raise ValidationError(_("A mark must be a whole number.")) from error
    low, high = SCALE_RANGES[Scale(scale)]
    if not low <= number <= high:
        raise ValidationError(
            _("On this scale a mark is from %(low)d to %(high)d.")
            % {"low": low, "high": high}
        )
    return number


def _check_can_mark(*, teacher: User, lesson: Lesson, pupil: User) -> None:
    if not access.can_edit_gradebook(teacher, lesson.class_group, lesson.subject):
        raise PermissionDenied(_("You do not teach this subject in this class."))
    enrolled = Enrolment.objects.current(on=lesson.date).filter(
        pupil=pupil, class_group_id=lesson.class_group_id
    )
    if not enrolled.exists():
        raise ValidationError(_("This pupil was not in the class on that day."))


@transaction.atomic
def mark_set(
    *,
    teacher: User,
    lesson: Lesson,
    pupil: User,
    work_type: WorkType,
    value,
    comment: str = "",
) -> Mark:
    """Creates or changes a pupil's mark for a piece of work at a lesson.

    Checks the teacher's right and the scale, records the change (who, when,
    old → new) and tells the family's open pages after commit. Raises
    PermissionDenied or ValidationError and writes nothing on bad input.
    """
    _check_can_mark(teacher=teacher, lesson=lesson, pupil=pupil)
    scale = gradebook_for(lesson=lesson).scale
    number = mark_value_check(scale=scale, value=value)
    mark = (
        Mark.objects.select_for_update()
        .filter(lesson=lesson, pupil=pupil, work_type=work_type)
        .first()
    )
    old_value, old_comment = (mark.value, mark.comment) if mark else (None, "")
    if mark is None:
        mark = Mark(lesson=lesson, pupil=pupil, work_type=work_type, created_by=teacher)
    if mark.pk and (old_value, old_comment) == (number, comment):
        return mark
    mark.scale, mark.value, mark.comment = scale, number, comment
    mark.save()
    MarkChange.objects.create(
        mark=mark,
        lesson=lesson,
        pupil=pupil,
        work_type=work_type,
        old_value=old_value,
        new_value=number,
        old_comment=old_comment,
        new_comment=comment,
        changed_by=teacher,
    )
    family_event_send(
        pupil_id=pupil.pk,
        kind="mark",
        data={
            "lesson_id": lesson.pk,
            "date": lesson.date.isoformat(),
            "subject": lesson.subject.name,
            "work_type": work_type.name,
            "value": number,
            "scale": scale,
        },
    )
    return mark


@transaction.atomic
def mark_delete(*, teacher: User, mark: Mark) -> None:
    """Removes a mark; its history keeps the old value with a `None` new value."""
    _check_can_mark(teacher=teacher, lesson=mark.lesson, pupil=mark.pupil)
    MarkChange.objects.create(
        mark=None,
        lesson=mark.lesson,
        pupil=mark.pupil,
        work_type=mark.work_type,
        old_value=mark.value,
        new_value=None,
        old_comment=mark.comment,
        changed_by=teacher,
    )
    family_event_send(
        pupil_id=mark.pupil_id,
        kind="mark_removed",
        data={"lesson_id": mark.lesson_id, "work_type": mark.work_type.name},
    )
    mark.delete()
