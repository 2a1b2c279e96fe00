"""Writes for attendance: the register of a lesson and parents' absence notices."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.attendance import access
from school.attendance.selectors import effective_status
from school.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    Enrolment,
    Lesson,
    LessonStatus,
    User,
)
from school.services import family_event_send

NOTE_MAX = 255
REASON_MAX = 255
# A notice covers an illness or a family trip; a longer absence is the school's
# business (a transfer, home schooling), not a parent's note.
NOTICE_MAX_DAYS = 31


def _check_register(*, teacher: User, lesson: Lesson, pupil: User) -> None:
    if not access.can_take_register(teacher, lesson):
        raise PermissionDenied(_("Only the teacher of this lesson takes its register."))
    if lesson.status == LessonStatus.CANCELLED:
        raise ValidationError(_("This lesson was cancelled; it has no register."))
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


def _check_status(status, note) -> None:
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Choose present, absent, late or excused."))
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise ValidationError(
            _("A note is text of at most %(max)d characters.") % {"max": NOTE_MAX}
        )


def notice_covers(*, pupil: User, date: datetime.date) -> bool:
    return AbsenceNotice.objects.filter(
        pupil=pupil, starts_on__lte=date, ends_on__gte=date
    ).exists()


@transaction.atomic
def attendance_set(
    *, teacher: User, lesson: Lesson, pupil: User, status: str, note: str = ""
) -> str:
    """Records a pupil's attendance at a lesson; returns the status teachers see.

    Present is no row, unless a parent's notice covers the day: then an explicit
    "present" row says the pupil came after all. An absence within a notice is
    stored as the teacher entered it and shown as excused (merged at read time,
    see selectors.effective_status). Tells the family's open pages after commit.
    """
    _check_register(teacher=teacher, lesson=lesson, pupil=pupil)
    _check_status(status, note)
    noticed = notice_covers(pupil=pupil, date=lesson.date)
    rows = Attendance.objects.filter(lesson=lesson, pupil=pupil)
    if status == AttendanceStatus.PRESENT and not noticed and not note:
        rows.delete()
    else:
        Attendance.objects.update_or_create(
            lesson=lesson,
            pupil=pupil,
            defaults={"status": status, "note": note, "recorded_by": teacher},
        )
    shown = effective_status(status, noticed)
    family_event_send(
        pupil_id=pupil.pk,
        kind="attendance",
        data={
            "lesson_id": lesson.pk,
            "date": lesson.date.isoformat(),
            "subject": lesson.subject.name,
            "status": shown,
        },
    )
    return shown


def _check_notice_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if starts_on < timezone.localdate():
        raise ValidationError(_("An absence can be announced for today or later."))
    if ends_on < starts_on:
        raise ValidationError(_("The last day cannot come before the first day."))
    if (ends_on - starts_on).days >= NOTICE_MAX_DAYS:
        raise ValidationError(
            _("A notice covers at most %(days)d days; please talk to the school.")
            % {"days": NOTICE_MAX_DAYS}
        )


@transaction.atomic
def absence_notice_create(
    *,
    parent: User,
    pupil: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
) -> AbsenceNotice:
    """A parent announces that their child will be away from `starts_on` to `ends_on`.

    Writes no attendance rows: the lessons in the range show as excused wherever
    attendance is read, and the teacher's own record stays as they entered it.
    """
    if not access.can_announce_absence(parent, pupil):
        raise PermissionDenied(_("You can announce absences only for your children."))
    _check_notice_dates(starts_on, ends_on)
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationError(
            _("Give a reason of at most %(max)d characters.") % {"max": REASON_MAX}
        )
    notice = AbsenceNotice.objects.create(
        pupil=pupil,
        announced_by=parent,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    family_event_send(
        pupil_id=pupil.pk,
        kind="absence_notice",
        data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return notice
