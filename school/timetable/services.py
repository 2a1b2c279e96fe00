"""Writes to the timetable: dated lessons from the weekly pattern, changes to a
lesson (substitute, move, cancel, topic) and secret calendar feeds.

Every writer checks who acts first, validates, then writes in one transaction;
a change pupils must know about is announced after the commit.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from school.models import (
    Attendance,
    CalendarFeed,
    ClassGroup,
    Homework,
    Lesson,
    LessonSlot,
    LessonStatus,
    Mark,
    Role,
    Subject,
    TeachingAssignment,
    Term,
    User,
    WeeklySlot,
)
from school.services import notification_send
from school.timetable import access
from school.timetable.selectors import lesson_audience

TOPIC_MAX_LENGTH = Lesson._meta.get_field("topic").max_length


# --- Lessons from the weekly pattern


def _term_days(start: datetime.date, end: datetime.date):
    for offset in range((end - start).days + 1):
        yield start + datetime.timedelta(days=offset)


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def _regenerable(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Future lessons a change of the pattern may rewrite.

    Nothing anyone wrote is lost: lessons with marks, attendance or homework, and
    ones an administrator moved or cancelled, are kept as they are.
    """
    return (
        lessons.filter(
            date__gte=_tomorrow(),
            pattern__isnull=False,
            status=LessonStatus.SCHEDULED,
            moved_from_date__isnull=True,
        )
        .exclude(Exists(Mark.objects.filter(lesson=OuterRef("pk"))))
        .exclude(Exists(Attendance.objects.filter(lesson=OuterRef("pk"))))
        .exclude(Exists(Homework.objects.filter(lesson=OuterRef("pk"))))
    )


def _lessons_realign(lessons: QuerySet[Lesson], patterns: list[WeeklySlot]) -> None:
    """Rewrites regenerable lessons to match their pattern line; drops those whose
    line moved to another day or period (they are created again there)."""
    by_pk = {pattern.pk: pattern for pattern in patterns}
    stale, changed = [], []
    for lesson in _regenerable(lessons):
        pattern = by_pk.get(lesson.pattern_id)
        position = (lesson.date.isoweekday(), lesson.slot_id)
        if pattern is None or position != (pattern.weekday, pattern.slot_id):
            stale.append(lesson.pk)
            continue
        wanted = (pattern.subject_id, pattern.teacher_id, pattern.room)
        if (lesson.subject_id, lesson.teacher_id, lesson.room) != wanted:
            lesson.subject_id, lesson.teacher_id, lesson.room = wanted
            changed.append(lesson)
    Lesson.objects.filter(pk__in=stale).delete()
    Lesson.objects.bulk_update(changed, ["subject", "teacher", "room"])


def _lessons_fill(
    class_group: ClassGroup, term: Term, patterns: list[WeeklySlot], start
) -> int:
    """Creates the pattern's lessons from `start` to the term's end that are missing.

    A period counts as done when a lesson stands in it, or when a lesson was moved
    away from it or cancelled there, so neither comes back.
    """
    window = (start, term.ends_on)
    existing = Lesson.objects.filter(
        Q(date__range=window) | Q(moved_from_date__range=window),
        class_group=class_group,
    ).values_list("date", "slot_id", "moved_from_date", "moved_from_slot_id", "status")
    done = set()
    for day, slot_id, from_day, from_slot_id, status in existing:
        if status != LessonStatus.CANCELLED:
            done.add((day, slot_id))
        done.add((from_day or day, from_slot_id or slot_id))
    new = [
        Lesson(
            class_group=class_group,
            term=term,
            subject_id=pattern.subject_id,
            teacher_id=pattern.teacher_id,
            room=pattern.room,
            date=day,
            slot_id=pattern.slot_id,
            pattern=pattern,
        )
        for day in _term_days(start, term.ends_on)
        for pattern in patterns
        if pattern.weekday == day.isoweekday() and (day, pattern.slot_id) not in done
    ]
    Lesson.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def lessons_generate_for_term(*, class_group: ClassGroup, term: Term) -> int:
    """Creates the dated lessons of a term from the class's weekly pattern.

    The first run fills the whole term. Later runs only look at the days after
    today: lessons missing there are created, and regenerable ones (see
    `_regenerable`) follow the current pattern. Re-running changes nothing.
    Returns how many lessons were created. Locks the class row, so two runs for
    one class queue instead of colliding.
    """
    if term.academic_year_id != class_group.academic_year_id:
        raise ValidationError(
            _("The term %(term)s is not in the school year of class %(class)s.")
            % {"term": term.name, "class": class_group.name}
        )
    list(ClassGroup.objects.select_for_update().filter(pk=class_group.pk).values("pk"))
    in_term = Lesson.objects.filter(
        class_group=class_group, date__range=(term.starts_on, term.ends_on)
    )
    start = term.starts_on
    if in_term.exists():
        start = max(start, _tomorrow())
    if start > term.ends_on:
        return 0
    patterns = list(class_group.weekly_slots.all())
    _lessons_realign(in_term.filter(date__gte=start), patterns)
    return _lessons_fill(class_group, term, patterns, start)


def weekly_pattern_apply(*, class_group: ClassGroup) -> int:
    """After a change of the weekly pattern: brings the future lessons of every
    term already generated in line with it. Returns how many lessons were created."""
    terms = Term.objects.filter(
        academic_year_id=class_group.academic_year_id,
        ends_on__gte=_tomorrow(),
        lessons__class_group=class_group,
    ).distinct()
    return sum(
        lessons_generate_for_term(class_group=class_group, term=term) for term in terms
    )


def weekly_slot_check(
    *,
    class_group: ClassGroup,
    weekday: int,
    slot: LessonSlot,
    subject: Subject,
    teacher: User,
    exclude_pk: int | None = None,
) -> None:
    """Raises ValidationError (by field) if a pattern line cannot stand as given.

    The teacher must be assigned to the class and subject: only then may they
    keep the gradebook of the lessons the line makes.
    """
    school = class_group.school
    if slot.school_id != school.pk:
        raise ValidationError({"slot": _("This bell belongs to another school.")})
    if not (
        teacher.has_role(Role.TEACHER) and teacher.schools.filter(pk=school.pk).exists()
    ):
        raise ValidationError(
            {
                "teacher": _("%(person)s is not a teacher of %(school)s.")
                % {"person": teacher, "school": school}
            }
        )
    assigned = TeachingAssignment.objects.filter(
        teacher=teacher, class_group=class_group, subject=subject
    )
    if not assigned.exists():
        raise ValidationError(
            {
                "teacher": _(
                    "%(person)s does not teach %(subject)s in class %(class)s; "
                    "add the teaching assignment first."
                )
                % {"person": teacher, "subject": subject, "class": class_group.name}
            }
        )
    busy = (
        WeeklySlot.objects.filter(teacher=teacher, weekday=weekday, slot=slot)
        .exclude(pk=exclude_pk)
        .select_related("class_group")
        .first()
    )
    if busy is not None:
        raise ValidationError(
            {
                "teacher": _("%(person)s already teaches class %(class)s then.")
                % {"person": teacher, "class": busy.class_group.name}
            }
        )


@transaction.atomic
def weekly_slot_delete(*, weekly_slot: WeeklySlot, by: User) -> None:
    """Removes a pattern line and its regenerable future lessons; lessons already
    held (or with marks, attendance, homework) stay, unlinked from the line."""
    if not access.can_manage_timetable(by, weekly_slot.class_group.school):
        raise PermissionDenied(
            _("Only the school's administrator changes its timetable.")
        )
    _regenerable(Lesson.objects.filter(pattern=weekly_slot)).delete()
    weekly_slot.delete()


# --- Changes of one lesson


def _lesson_locked(lesson: Lesson) -> Lesson:
    # `of` keeps PostgreSQL from refusing FOR UPDATE on the nullable outer joins.
    return (
        Lesson.objects.select_for_update(of=("self",))
        .select_related("class_group__school", "subject", "slot", "term")
        .select_related("teacher", "substitute")
        .get(pk=lesson.pk)
    )


def _check_manage(by: User, lesson: Lesson) -> None:
    if not access.can_manage_timetable(by, lesson.class_group.school):
        raise PermissionDenied(
            _("Only the school's administrator changes its timetable.")
        )


def _check_scheduled(lesson: Lesson) -> None:
    if lesson.status == LessonStatus.CANCELLED:
        raise ValidationError(_("The lesson is cancelled; restore it first."))


def _when(day: datetime.date, slot: LessonSlot) -> dict:
    return {
        "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
        "number": slot.number,
    }


def _announce(lesson: Lesson, text: str) -> None:
    notification_send(recipients=lesson_audience(lesson), text=text)


def _check_teacher_free(teacher: User, lesson: Lesson, day, slot) -> None:
    busy = (
        Lesson.objects.held()
        .taught_by(teacher)
        .filter(date=day, slot=slot)
        .exclude(pk=lesson.pk)
        .select_related("class_group")
        .first()
    )
    if busy is not None:
        raise ValidationError(
            _("%(person)s already gives a lesson in class %(class)s at that time.")
            % {"person": teacher, "class": busy.class_group.name}
        )


@transaction.atomic
def lesson_cancel(*, lesson: Lesson, by: User) -> Lesson:
    """Cancels a lesson (its period becomes free) and tells the class's families."""
    lesson = _lesson_locked(lesson)
    _check_manage(by, lesson)
    _check_scheduled(lesson)
    lesson.status = LessonStatus.CANCELLED
    lesson.save(update_fields=["status"])
    _announce(
        lesson,
        _("%(subject)s on %(date)s (lesson %(number)d) is cancelled.")
        % {"subject": lesson.subject.name, **_when(lesson.date, lesson.slot)},
    )
    return lesson


@transaction.atomic
def lesson_restore(*, lesson: Lesson, by: User) -> Lesson:
    """Brings a cancelled lesson back if its period is still free."""
    lesson = _lesson_locked(lesson)
    _check_manage(by, lesson)
    if lesson.status != LessonStatus.CANCELLED:
        raise ValidationError(_("The lesson is not cancelled."))
    _check_period_free(lesson, lesson.date, lesson.slot)
    lesson.status = LessonStatus.SCHEDULED
    _save_or_taken(lesson, ["status"], lesson.date, lesson.slot)
    _announce(
        lesson,
        _("%(subject)s on %(date)s (lesson %(number)d) takes place after all.")
        % {"subject": lesson.subject.name, **_when(lesson.date, lesson.slot)},
    )
    return lesson


@transaction.atomic
def lesson_substitute(*, lesson: Lesson, substitute: User | None, by: User) -> Lesson:
    """Another teacher of the school gives the lesson (None: its own teacher again).

    Raises ValidationError if the substitute is not a teacher of the school or
    gives another lesson then. Tells the class's families and the substitute.
    """
    lesson = _lesson_locked(lesson)
    _check_manage(by, lesson)
    _check_scheduled(lesson)
    if substitute is not None and substitute.pk == lesson.teacher_id:
        substitute = None
    if substitute is not None:
        school = lesson.class_group.school
        is_teacher = substitute.has_role(Role.TEACHER) and substitute.is_active
        if not (is_teacher and substitute.schools.filter(pk=school.pk).exists()):
            raise ValidationError(
                _("%(person)s is not a teacher of %(school)s.")
                % {"person": substitute, "school": school}
            )
        _check_teacher_free(substitute, lesson, lesson.date, lesson.slot)
    if lesson.substitute_id == (substitute.pk if substitute else None):
        return lesson
    lesson.substitute = substitute
    lesson.save(update_fields=["substitute"])
    values = {
        "subject": lesson.subject.name,
        "teacher": lesson.given_by,
        **_when(lesson.date, lesson.slot),
    }
    _announce(
        lesson,
        _("%(subject)s on %(date)s (lesson %(number)d) is given by %(teacher)s.")
        % values,
    )
    return lesson


def _check_period_free(lesson: Lesson, day, slot) -> None:
    other = (
        Lesson.objects.held()
        .filter(class_group_id=lesson.class_group_id, date=day, slot=slot)
        .exclude(pk=lesson.pk)
        .select_related("subject")
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("Lesson %(number)d on %(date)s is already taken by %(subject)s.")
            % {"subject": other.subject.name, **_when(day, slot)}
        )


def _save_or_taken(lesson: Lesson, fields: list[str], day, slot) -> None:
    """Saves; a lesson that took the period a moment ago (unique index) is reported
    as the same clear error as one found before."""
    try:
        with transaction.atomic():
            lesson.save(update_fields=fields)
    except IntegrityError as error:
        raise ValidationError(
            _("Lesson %(number)d on %(date)s is already taken.") % _when(day, slot)
        ) from error


def _check_move_target(lesson: Lesson, day: datetime.date, slot: LessonSlot) -> None:
    if slot.school_id != lesson.class_group.school_id:
        raise ValidationError(_("This bell belongs to another school."))
    term = lesson.term
    if not term.starts_on <= day <= term.ends_on:
        raise ValidationError(
            _("%(date)s is outside the term %(term)s (%(start)s – %(end)s).")
            % {
                "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
                "term": term.name,
                "start": formats.date_format(term.starts_on, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(term.ends_on, "SHORT_DATE_FORMAT"),
            }
        )
    if (day, slot.pk) == (lesson.date, lesson.slot_id):
        raise ValidationError(_("The lesson is already at that time."))
    _check_period_free(lesson, day, slot)
    _check_teacher_free(lesson.given_by, lesson, day, slot)


@transaction.atomic
def lesson_move(
    *, lesson: Lesson, date: datetime.date, slot: LessonSlot, by: User
) -> Lesson:
    """Moves a lesson to another day or period of its term.

    Keeps where the pattern put it (`moved_from_*`; cleared when moved back there).
    Raises ValidationError for a day outside the term, a period the class or the
    teacher already has, or a bell of another school.
    """
    lesson = _lesson_locked(lesson)
    _check_manage(by, lesson)
    _check_scheduled(lesson)
    _check_move_target(lesson, date, slot)
    old = _when(lesson.date, lesson.slot)
    if lesson.moved_from_date is None:
        lesson.moved_from_date, lesson.moved_from_slot = lesson.date, lesson.slot
    elif (date, slot.pk) == (lesson.moved_from_date, lesson.moved_from_slot_id):
        lesson.moved_from_date, lesson.moved_from_slot = None, None
    lesson.date, lesson.slot = date, slot
    _save_or_taken(
        lesson, ["date", "slot", "moved_from_date", "moved_from_slot"], date, slot
    )
    new = _when(date, slot)
    _announce(
        lesson,
        _(
            "%(subject)s on %(old_date)s (lesson %(old_number)d) is moved to "
            "%(date)s, lesson %(number)d."
        )
        % {
            "subject": lesson.subject.name,
            "old_date": old["date"],
            "old_number": old["number"],
            **new,
        },
    )
    return lesson


@transaction.atomic
def lesson_topic_set(*, lesson: Lesson, topic: str, by: User) -> Lesson:
    """The teacher who gives the lesson (or substitutes) writes its topic."""
    if not access.gives_lesson(by, lesson):
        raise PermissionDenied(_("Only the teacher who gives a lesson sets its topic."))
    topic = " ".join(topic.split())
    if len(topic) > TOPIC_MAX_LENGTH:
        raise ValidationError(
            _("A topic has at most %(limit)d characters.") % {"limit": TOPIC_MAX_LENGTH}
        )
    if lesson.topic != topic:
        lesson.topic = topic
        lesson.save(update_fields=["topic"])
    return lesson


# --- Calendar feeds


@transaction.atomic
def calendar_feed_create(*, user: User, pupil: User | None = None) -> CalendarFeed:
    """A new secret URL for the teacher's own lessons (`pupil` None), the pupil's
    own class, or a parent's child. The URL made before for the same timetable is
    revoked, so "new URL" locks out whoever had the old one."""
    if not access.can_have_feed_for(user, pupil):
        raise PermissionDenied(_("You cannot subscribe to this timetable."))
    CalendarFeed.objects.filter(user=user, pupil=pupil, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarFeed.objects.create(user=user, pupil=pupil)


def calendar_feed_revoke(*, feed: CalendarFeed, by: User) -> CalendarFeed:
    """Revokes a feed at once: its URL answers 404 from now on."""
    if feed.user_id != by.pk:
        raise PermissionDenied(_("This calendar feed is not yours."))
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed
