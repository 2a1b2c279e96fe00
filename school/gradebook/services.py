"""Writes to the gradebook: marks with their history, final term marks, the scale."""

import math
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from school import access
from school.models import (
    Enrolment,
    Lesson,
    LessonStatus,
    Mark,
    MarkChange,
    TermMark,
    User,
    WorkType,
)
from school.models.journal import SCALE_RANGES, Gradebook, Scale
from school.services import family_event_send

COMMENT_MAX = 500
# Plain ASCII digits only: int() would also take "5_0", "٥" or "+5".
WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")


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
    text = str(value).strip()
    if not isinstance(value, int) and not WHOLE_NUMBER.fullmatch(text):
        raise ValidationError(_("A mark must be a whole number."))
    number = int(text)
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
    if lesson.status == LessonStatus.CANCELLED:
        raise ValidationError(_("This lesson was cancelled; it takes no marks."))
    term = lesson.term
    if not term.starts_on <= lesson.date <= term.ends_on:
        raise ValidationError(
            _("The lesson of %(date)s is outside the term (%(start)s – %(end)s).")
            % {"date": lesson.date, "start": term.starts_on, "end": term.ends_on}
        )
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
    comment: str | None = "",
) -> Mark:
    """Creates or changes a pupil's mark for a piece of work at a lesson.

    Checks the teacher's right and the scale, records the change (who, when,
    old → new) and tells the family's open pages after commit. A `comment` of
    None keeps the mark's comment. Raises PermissionDenied or ValidationError and
    writes nothing on bad input.
    """
    _check_can_mark(teacher=teacher, lesson=lesson, pupil=pupil)
    scale = gradebook_for(lesson=lesson).scale
    number = mark_value_check(scale=scale, value=value)
    _comment_check(comment)
    mark = (
        Mark.objects.select_for_update()
        .filter(lesson=lesson, pupil=pupil, work_type=work_type)
        .first()
    )
    old_value, old_comment = (mark.value, mark.comment) if mark else (None, "")
    if comment is None:
        comment = old_comment
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


def _comment_check(comment: str | None) -> None:
    if comment is not None and not isinstance(comment, str):
        raise ValidationError(_("A comment must be text."))
    if comment is not None and len(comment) > COMMENT_MAX:
        raise ValidationError(
            _("A comment is at most %(max)d characters long.") % {"max": COMMENT_MAX}
        )


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


def gradebook_marks(gradebook: Gradebook):
    """Every mark on the lessons of a gradebook, cancelled lessons included."""
    return Mark.objects.filter(
        lesson__class_group_id=gradebook.class_group_id,
        lesson__subject_id=gradebook.subject_id,
        lesson__term_id=gradebook.term_id,
    )


def _check_can_edit(*, teacher: User, gradebook: Gradebook) -> None:
    if not access.can_edit_gradebook(teacher, gradebook.class_group, gradebook.subject):
        raise PermissionDenied(_("You do not teach this subject in this class."))


@transaction.atomic
def gradebook_scale_set(*, teacher: User, gradebook: Gradebook, scale: str) -> None:
    """Switches the gradebook to another scale while it has no marks.

    Marks keep the scale they were given on, so switching under them would mix
    5-point and 100-point values in one average; the teacher is told why.
    """
    _check_can_edit(teacher=teacher, gradebook=gradebook)
    if scale not in Scale.values:
        raise ValidationError(_("Choose one of the offered scales."))
    locked = Gradebook.objects.select_for_update().get(pk=gradebook.pk)
    if locked.scale == scale:
        return
    given = gradebook_marks(locked).count()
    given += TermMark.objects.filter(
        class_group_id=locked.class_group_id,
        subject_id=locked.subject_id,
        term_id=locked.term_id,
    ).count()
    if given:
        raise ValidationError(
            _(
                "The scale cannot be changed: %(count)d marks were already given on "
                "the current scale. Remove them first."
            )
            % {"count": given}
        )
    gradebook.scale = locked.scale = scale
    locked.save(update_fields=["scale"])


def _check_pupil_in_term(*, gradebook: Gradebook, pupil: User) -> None:
    term = gradebook.term
    enrolled = Enrolment.objects.filter(
        pupil=pupil,
        class_group_id=gradebook.class_group_id,
        starts_on__lte=term.ends_on,
    ).exclude(ends_on__lt=term.starts_on)
    if not enrolled.exists():
        raise ValidationError(_("This pupil was not in the class during the term."))


@transaction.atomic
def term_mark_set(
    *, teacher: User, gradebook: Gradebook, pupil: User, value
) -> TermMark | None:
    """Sets (or, with an empty value, removes) a pupil's final mark for the term."""
    _check_can_edit(teacher=teacher, gradebook=gradebook)
    _check_pupil_in_term(gradebook=gradebook, pupil=pupil)
    keys = {"pupil": pupil, "subject_id": gradebook.subject_id}
    keys["term_id"] = gradebook.term_id
    if value is None or value == "":
        TermMark.objects.filter(**keys).delete()
        return None
    number = mark_value_check(scale=gradebook.scale, value=value)
    term_mark, _created = TermMark.objects.update_or_create(
        **keys,
        defaults={
            "class_group_id": gradebook.class_group_id,
            "scale": gradebook.scale,
            "value": number,
            "set_by": teacher,
        },
    )
    family_event_send(
        pupil_id=pupil.pk,
        kind="term_mark",
        data={
            "subject": gradebook.subject.name,
            "term": gradebook.term.name,
            "value": number,
            "scale": gradebook.scale,
        },
    )
    return term_mark
