"""Reads for homework pages, shaped once: a fixed number of queries per page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from school.access import administered_schools
from school.models import (
    Enrolment,
    Homework,
    Lesson,
    Submission,
    SubmissionStatus,
    User,
)

# How far back the lists reach: last month's homework still matters, older does not.
RECENT_DAYS = 30
LESSON_WINDOW_DAYS = 7


@dataclass(frozen=True)
class PupilHomework:
    homework: Homework
    submission: Submission | None
    overdue: bool


@dataclass(frozen=True)
class SubmissionRow:
    pupil: User
    submission: Submission | None


def _homework_base() -> QuerySet[Homework]:
    return Homework.objects.select_related(
        "lesson__subject", "lesson__class_group", "created_by"
    ).prefetch_related("attachments")


def _own_submissions(pupil: User) -> Prefetch:
    return Prefetch(
        "submissions",
        queryset=Submission.objects.filter(pupil=pupil)
        .select_related("mark")
        .prefetch_related("files"),
        to_attr="own_submissions",
    )


def pupil_homework(*, pupil: User, today: datetime.date) -> list[PupilHomework]:
    """The pupil's homework: what is due soonest first, then last month's, newest first.

    Each row carries the pupil's own submission (with files and mark) or None.
    Four queries whatever the number of rows.
    """
    class_ids = Enrolment.objects.current(on=today).filter(pupil=pupil)
    homework = _homework_base().filter(
        lesson__class_group_id__in=class_ids.values("class_group_id"),
        due_date__gte=today - datetime.timedelta(days=RECENT_DAYS),
    )
    rows = [
        PupilHomework(
            homework=item,
            submission=next(iter(item.own_submissions), None),
            overdue=item.due_date < today,
        )
        for item in homework.prefetch_related(_own_submissions(pupil))
    ]
    upcoming = sorted((r for r in rows if not r.overdue), key=_due_key)
    past = sorted((r for r in rows if r.overdue), key=_due_key, reverse=True)
    return upcoming + past


def _due_key(row: PupilHomework) -> tuple:
    return (row.homework.due_date, row.homework.pk)


def pupil_submission(*, pupil: User, homework: Homework) -> Submission | None:
    return (
        Submission.objects.filter(pupil=pupil, homework=homework)
        .select_related("mark")
        .prefetch_related("files")
        .first()
    )


def homework_submissions(*, homework: Homework) -> list[SubmissionRow]:
    """Every pupil of the class (then or now) with their submission or None.

    Three queries: the pupils, the submissions with marks, their files.
    """
    lesson = homework.lesson
    in_class = Enrolment.objects.filter(class_group_id=lesson.class_group_id)
    enrolled = in_class.current(on=lesson.date) | in_class.current()
    pupils = User.objects.filter(pk__in=enrolled.values("pupil_id"))
    submissions = {
        s.pupil_id: s
        for s in homework.submissions.select_related("mark", "pupil").prefetch_related(
            "files"
        )
    }
    # Someone who has left the class keeps their answer visible to the teacher.
    people = list(pupils.order_by("last_name", "first_name", "pk"))
    missing = set(submissions) - {p.pk for p in people}
    people += [submissions[pk].pupil for pk in sorted(missing)]
    return [SubmissionRow(pupil=p, submission=submissions.get(p.pk)) for p in people]


def teacher_homework(*, teacher: User, today: datetime.date) -> QuerySet[Homework]:
    """Homework at lessons this teacher gives or set, with answers awaiting review."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    lessons = Lesson.objects.taught_by(teacher).values("pk")
    return (
        Homework.objects.filter(Q(lesson__in=lessons) | Q(created_by=teacher))
        .filter(due_date__gte=since)
        .select_related("lesson__subject", "lesson__class_group")
        .annotate(
            answers=Count("submissions"),
            to_review=Count(
                "submissions",
                filter=~Q(submissions__status=SubmissionStatus.REVIEWED),
            ),
        )
        .order_by("-due_date", "-pk")
    )


def school_homework(*, admin: User, today: datetime.date) -> QuerySet[Homework]:
    """Recent homework of every class in the schools this person administers, with
    the answers handed in and those still to review: where a school sees how its
    homework goes."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    return (
        Homework.objects.filter(
            lesson__class_group__school__in=administered_schools(admin),
            due_date__gte=since,
        )
        .select_related("lesson__subject", "lesson__class_group", "lesson__teacher")
        .annotate(
            answers=Count("submissions"),
            to_review=Count(
                "submissions",
                filter=~Q(submissions__status=SubmissionStatus.REVIEWED),
            ),
        )
        .order_by(
            "lesson__class_group__grade",
            "lesson__class_group__letter",
            "-due_date",
            "-pk",
        )
    )


def teacher_lessons(*, teacher: User, today: datetime.date) -> QuerySet[Lesson]:
    """Lessons around today this teacher gives, to set homework from."""
    window = datetime.timedelta(days=LESSON_WINDOW_DAYS)
    return (
        Lesson.objects.taught_by(teacher)
        .held()
        .filter(date__range=(today - window, today + window))
        .select_related("class_group", "subject", "slot")
        .order_by("date", "slot__number")
    )


def lesson_homework(*, lesson: Lesson) -> QuerySet[Homework]:
    return _homework_base().filter(lesson=lesson).order_by("due_date", "pk")


def guardian_children(*, parent: User) -> QuerySet[User]:
    return User.objects.filter(guardians__parent=parent, is_active=True).order_by(
        "last_name", "first_name"
    )
