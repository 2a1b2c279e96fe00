"""Reads for the teacher's side of H5P results: attempts per pupil of a class."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from lessons.h5p.models import (
    CountedAttempt,
    H5PActivitySettings,
    H5PAttempt,
    Verification,
)
from lessons.selectors import class_pupils
from school.models import Lesson, User, WorkType
from school.models.journal import Gradebook, Scale


def counted_attempt(attempts: Sequence[H5PAttempt], counts: str) -> H5PAttempt | None:
    """The attempt that counts, as in Moodle: the best (highest scaled score,
    the earliest of equals), the first or the last. `attempts` in time order."""
    if not attempts:
        return None
    if counts == CountedAttempt.FIRST:
        return attempts[0]
    if counts == CountedAttempt.LAST:
        return attempts[-1]
    # max() keeps the first of equal keys: the earliest best attempt.
    return max(attempts, key=lambda a: -1 if a.scaled is None else a.scaled)


def activity_counts(lesson: Lesson, block_id: str) -> str:
    """The teacher's choice of the attempt that counts (best by default)."""
    found = (
        H5PActivitySettings.objects.filter(lesson=lesson, block_id=block_id)
        .values_list("counts", flat=True)
        .first()
    )
    return found or CountedAttempt.BEST


@dataclass
class PupilActivity:
    pupil: User
    attempts: list[H5PAttempt] = field(default_factory=list)
    counted: H5PAttempt | None = None

    @property
    def counted_verified(self) -> bool:
        return (
            self.counted is not None
            and self.counted.verification == Verification.VERIFIED
        )

    @property
    def mismatches(self) -> int:
        return sum(a.verification == Verification.MISMATCH for a in self.attempts)


@dataclass
class ActivityResults:
    counts: str
    rows: list[PupilActivity]

    @property
    def played(self) -> int:
        return sum(bool(row.attempts) for row in self.rows)


def activity_results(lesson: Lesson, block_id: str) -> ActivityResults:
    """Per pupil enrolled in the lesson's class today (register order): every
    attempt at the activity in time order and the one that counts. Three
    queries; the statements themselves are not loaded."""
    counts = activity_counts(lesson, block_id)
    pupils = list(class_pupils(lesson.class_group))
    by_pupil: dict[int, list[H5PAttempt]] = defaultdict(list)
    attempts = H5PAttempt.objects.filter(
        lesson=lesson, block_id=block_id, pupil__in=[p.pk for p in pupils]
    ).defer("statement", "report")
    for attempt in attempts.order_by("created_at", "pk"):
        by_pupil[attempt.pupil_id].append(attempt)
    rows = [
        PupilActivity(
            pupil=pupil,
            attempts=by_pupil[pupil.pk],
            counted=counted_attempt(by_pupil[pupil.pk], counts),
        )
        for pupil in pupils
    ]
    return ActivityResults(counts=counts, rows=rows)


def gradebook_scale(lesson: Lesson) -> str:
    """The scale of the lesson's gradebook; the default while it has none yet
    (read only: showing results must not create the gradebook)."""
    found = (
        Gradebook.objects.filter(
            class_group_id=lesson.class_group_id,
            subject_id=lesson.subject_id,
            term_id=lesson.term_id,
        )
        .values_list("scale", flat=True)
        .first()
    )
    return found or Scale.FIVE_POINT


def work_types():
    """What a mark can be for, in the gradebook's order."""
    return WorkType.objects.all()
