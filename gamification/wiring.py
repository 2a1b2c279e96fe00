"""Points for what pupils do elsewhere: games, practice quizzes, homework on time.

lessons calls `replay_award` when it records a verified H5P attempt or a practice
attempt; school calls `homework_submitted` through the setting
SCHOOL_HOMEWORK_SUBMITTED_HOOKS (school never imports gamification). Every award
is made in the caller's transaction, so the attempt and its points commit or
roll back together.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from gamification.ledger import points_award
from gamification.models import EntryKind, PointsAccount, PointsEntry
from gamification.progress import city_today
from school.models import Submission, User

# An activity (a game, a quiz) is worth at most this many points in total.
ACTIVITY_POINTS = 10
HOMEWORK_POINTS = 5


def activity_points(scaled: Decimal | None) -> int:
    """The points a scaled score (0..1) is worth: 10 × score, rounded half up."""
    if scaled is None or scaled <= 0:
        return 0
    worth = Decimal(ACTIVITY_POINTS) * min(Decimal(scaled), Decimal(1))
    return int(worth.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def replay_points(*, scaled: Decimal | None, best_before: Decimal | None) -> int:
    """What a new attempt earns: its worth less the worth of the pupil's best
    score on the activity before it, if that is more than nothing.

    Rounding each score (not the difference) makes the awards add up to exactly
    the best score's worth: 0.33, 0.67 and 1.0 earn 3 + 4 + 3 = 10, never 9 or 11.
    """
    return max(activity_points(scaled) - activity_points(best_before), 0)


def pupil_awards_lock(*, pupil: User) -> None:
    """Locks the pupil's points account until the transaction ends.

    Taken before reading the pupil's earlier attempts: two attempts recorded at
    once then see each other, so both cannot be paid against the same old best.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("pupil_awards_lock needs a transaction.")
    PointsAccount.objects.bulk_create(
        [PointsAccount(pupil_id=pupil.pk)], ignore_conflicts=True
    )
    PointsAccount.objects.select_for_update().filter(pupil_id=pupil.pk).first()


@transaction.atomic
def replay_award(
    *,
    pupil: User,
    source_key: str,
    kind: EntryKind,
    scaled: Decimal | None,
    best_before: Decimal | None,
    reason: str = "",
    class_group=None,
    subject=None,
) -> PointsEntry | None:
    """Awards an attempt its improvement (`replay_points`) under `source_key`.

    None when it improved nothing or was awarded already. The caller holds
    `pupil_awards_lock` while it reads `best_before`.
    """
    amount = replay_points(scaled=scaled, best_before=best_before)
    if amount <= 0:
        return None
    return points_award(
        pupil=pupil,
        source_key=source_key,
        kind=kind,
        amount=amount,
        reason=reason[:200],
        class_group=class_group,
        subject=subject,
    )


def homework_on_time(submission: Submission) -> bool:
    """Handed in by the end of the due date, in the city's time zone."""
    return city_today() <= submission.homework.due_date


@transaction.atomic
def homework_submitted(*, submission: Submission) -> PointsEntry | None:
    """Five points for homework sent or marked done on time; once per homework
    and pupil ("homework:<id>"), so sending it again earns nothing more.

    Called by school.homework.services in the submission's transaction.
    """
    if not homework_on_time(submission):
        return None
    homework = submission.homework
    lesson = homework.lesson
    return points_award(
        pupil=submission.pupil,
        source_key=f"homework:{homework.pk}",
        kind=EntryKind.HOMEWORK,
        amount=HOMEWORK_POINTS,
        reason=lesson.subject.name[:200],
        class_group=lesson.class_group,
        subject=lesson.subject,
    )
