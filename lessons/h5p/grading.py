"""The teacher's grading of an H5P activity: which attempt counts, and marks.

Only verified scores become marks: an unverified or mismatched score is the
browser's word (or a refused one) and must not reach the gradebook.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from lessons.h5p import access
from lessons.h5p.models import CountedAttempt, H5PActivitySettings
from lessons.h5p.selectors import activity_results
from school import access as school_access
from school.gradebook.services import gradebook_for, mark_set
from school.models import Lesson, Mark, User, WorkType
from school.models.journal import Scale

# Scaled score (0..1) → mark. The only place these thresholds live.
FIVE_POINT_STEPS = ((Decimal("0.9"), 5), (Decimal("0.75"), 4), (Decimal("0.5"), 3))
FIVE_POINT_LOWEST = 2
PASS_AT = Decimal("0.5")


def mark_from_scaled(scale: str, scaled: Decimal) -> int:
    """The mark a scaled score earns on the gradebook's scale."""
    if scale == Scale.HUNDRED_POINT:
        return int((scaled * 100).quantize(Decimal(1)))
    if scale == Scale.PASS_FAIL:
        return int(scaled >= PASS_AT)
    for threshold, mark in FIVE_POINT_STEPS:
        if scaled >= threshold:
            return mark
    return FIVE_POINT_LOWEST


def h5p_counts_set(
    *, teacher: User, lesson: Lesson, block_id: str, counts: str
) -> H5PActivitySettings:
    """Chooses which attempt counts (best, first, last) for one activity."""
    if not access.can_choose_counted_attempt(teacher, lesson):
        raise PermissionDenied(_("Only the class's teachers choose this."))
    if counts not in CountedAttempt.values:
        raise ValidationError(_("Choose the best, the first or the last attempt."))
    found, _created = H5PActivitySettings.objects.update_or_create(
        lesson=lesson, block_id=block_id, defaults={"counts": counts}
    )
    return found


@dataclass
class MarksSent:
    marks: list[Mark] = field(default_factory=list)
    # Pupils with no verified counted attempt, or whom the gradebook refused.
    skipped: list[User] = field(default_factory=list)


def h5p_marks_send(
    *, teacher: User, lesson: Lesson, block_id: str, work_type: WorkType, title: str
) -> MarksSent:
    """Puts each pupil's counted score into the gradebook as a mark for
    `work_type` at `lesson`, on the gradebook's scale.

    Only verified counted attempts become marks; a pupil's existing mark for
    that work is changed (with its history), never duplicated. Each mark is its
    own transaction (`mark_set`), so one refused pupil does not stop the rest.
    """
    class_group, subject = lesson.class_group, lesson.subject
    if not school_access.can_edit_gradebook(teacher, class_group, subject):
        raise PermissionDenied(_("You do not teach this subject in this class."))
    scale = gradebook_for(lesson=lesson).scale
    sent = MarksSent()
    for row in activity_results(lesson, block_id).rows:
        counted = row.counted
        if not row.counted_verified or counted is None or counted.scaled is None:
            sent.skipped.append(row.pupil)
            continue
        comment = _("Game “%(title)s”: %(raw)s of %(max)s points.") % {
            "title": title[:300],
            "raw": f"{counted.raw_score.normalize():f}",
            "max": f"{counted.max_score.normalize():f}",
        }
        try:
            mark = mark_set(
                teacher=teacher,
                lesson=lesson,
                pupil=row.pupil,
                work_type=work_type,
                value=mark_from_scaled(scale, counted.scaled),
                comment=comment,
            )
        except ValidationError:
            sent.skipped.append(row.pupil)
        else:
            sent.marks.append(mark)
    return sent
