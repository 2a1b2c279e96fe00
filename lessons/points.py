"""Points for pupils' H5P games and practice quizzes, through gamification's ledger.

An activity is worth at most 10 points in total: each attempt earns only its
improvement on the pupil's best earlier score there (gamification.wiring), so
replaying a game, or the browser posting a result twice, earns nothing more.
Called inside the transaction that stores the attempt.
"""

from decimal import Decimal

from django.db.models import Max

from gamification.models import EntryKind, PointsEntry
from gamification.wiring import pupil_awards_lock, replay_award
from lessons.h5p.models import H5PAttempt, Verification
from lessons.models import LessonPlan, PracticeAttempt
from school.models import Enrolment, Lesson


def h5p_attempt_points(attempt: H5PAttempt, *, title: str) -> PointsEntry | None:
    """Points for a verified attempt ("h5p:<attempt id>"), against the pupil's
    best verified score at the same activity: the H5P package, wherever it is
    attached (several lessons, several pages), so one game earns its points once.

    Unverified and mismatched scores are the browser's word: they earn nothing
    and do not count as a best either. Locks the pupil's points account.
    """
    if attempt.verification != Verification.VERIFIED:
        return None
    pupil_awards_lock(pupil=attempt.pupil)
    earlier = H5PAttempt.objects.filter(
        pupil_id=attempt.pupil_id,
        package_id=attempt.package_id,
        verification=Verification.VERIFIED,
    ).exclude(pk=attempt.pk)
    lesson = attempt.lesson
    return replay_award(
        pupil=attempt.pupil,
        source_key=f"h5p:{attempt.pk}",
        kind=EntryKind.H5P,
        scaled=attempt.scaled,
        best_before=earlier.aggregate(best=Max("scaled"))["best"],
        reason=title,
        class_group=lesson.class_group,
        subject=lesson.subject,
    )


def _scaled(score: int, max_score: int) -> Decimal | None:
    return Decimal(score) / Decimal(max_score) if max_score else None


def _practice_lesson(attempt: PracticeAttempt) -> Lesson | None:
    """The pupil's class's latest dated lesson with this page attached: where the
    points count on leaderboards (a page may be attached in several classes)."""
    classes = Enrolment.objects.current().filter(pupil_id=attempt.pupil_id)
    plan = (
        LessonPlan.objects.usable()
        .filter(
            page_id=attempt.page_id,
            lesson__class_group_id__in=classes.values("class_group_id"),
        )
        .select_related("lesson__class_group", "lesson__subject")
        .order_by("-lesson__date", "-pk")
        .first()
    )
    return plan.lesson if plan else None


def practice_attempt_points(
    attempt: PracticeAttempt, *, title: str
) -> PointsEntry | None:
    """Points for a practice attempt ("practice:<attempt id>"), against the
    pupil's best earlier score at the same quiz block of the page. Locks the
    pupil's points account."""
    pupil_awards_lock(pupil=attempt.pupil)
    earlier = (
        PracticeAttempt.objects.filter(
            pupil_id=attempt.pupil_id,
            page_id=attempt.page_id,
            block_id=attempt.block_id,
        )
        .exclude(pk=attempt.pk)
        .values_list("score", "max_score")
    )
    scores = [_scaled(score, top) for score, top in earlier if top]
    lesson = _practice_lesson(attempt)
    return replay_award(
        pupil=attempt.pupil,
        source_key=f"practice:{attempt.pk}",
        kind=EntryKind.PRACTICE,
        scaled=_scaled(attempt.score, attempt.max_score),
        best_before=max(scores, default=None),
        reason=title,
        class_group=lesson.class_group if lesson else None,
        subject=lesson.subject if lesson else None,
    )
