"""The counted attempt, the results of an activity and marks from scores."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lessons.h5p import grading, intake, selectors
from lessons.h5p.models import CountedAttempt, H5PAttempt
from school.models import Mark, MarkChange, WorkType
from school.models.journal import Scale
from tests import factories
from tests.lessons.h5p import xapi
from tests.lessons.h5p.activity import GAME_ID, package_make, plan_make


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(city):
    return plan_make(city, package_make("multichoice", xapi.MC))


def play(pupil, plan, response, claimed_raw=None):
    """One attempt; the claim agrees with the server unless told otherwise."""
    raw = {"": 0, "0": 1, "0[,]2": 2, "1": 0}[response]
    claim = xapi.statement(
        raw if claimed_raw is None else claimed_raw, 2, response=response
    )
    return intake.h5p_statement_record(
        pupil=pupil, plan=plan, block_id=GAME_ID, statement=claim, report=None
    )


def attempt(scaled):
    return H5PAttempt(scaled=None if scaled is None else Decimal(scaled))


def test_counted_attempt_as_in_moodle():
    first, best, tie, last = (
        attempt("0.5"),
        attempt("0.9"),
        attempt("0.9"),
        attempt(None),
    )
    attempts = [first, best, tie, last]

    assert selectors.counted_attempt(attempts, CountedAttempt.BEST) is best
    assert selectors.counted_attempt(attempts, CountedAttempt.FIRST) is first
    assert selectors.counted_attempt(attempts, CountedAttempt.LAST) is last
    assert selectors.counted_attempt([], CountedAttempt.BEST) is None


def test_activity_results_per_pupil(city, plan):
    sasha = factories.make_pupil(city.class_in, username="sasha", last_name="Яковлев")
    play(city.pupil_in, plan, "0")
    play(city.pupil_in, plan, "0[,]2")
    play(city.pupil_in, plan, "1")

    found = selectors.activity_results(plan.lesson, GAME_ID)

    rows = {row.pupil: row for row in found.rows}
    assert set(rows) == {city.pupil_in, sasha}  # not Вася of 7Б
    assert found.counts == CountedAttempt.BEST
    assert [a.raw_score for a in rows[city.pupil_in].attempts] == [1, 2, 0]
    assert rows[city.pupil_in].counted.raw_score == 2
    assert rows[sasha].attempts == [] and rows[sasha].counted is None
    assert found.played == 1


def test_activity_results_take_three_queries(city, plan, django_assert_num_queries):
    for number in range(4):
        pupil = factories.make_pupil(city.class_in, username=f"pupil{number}")
        play(pupil, plan, "0")
        play(pupil, plan, "0[,]2", claimed_raw=1)

    with django_assert_num_queries(3):
        found = selectors.activity_results(plan.lesson, GAME_ID)
        marks = [row.counted.verification for row in found.rows if row.counted]

    assert len(marks) == 4


def test_counts_choice_changes_the_counted_attempt(city, plan):
    play(city.pupil_in, plan, "0")
    play(city.pupil_in, plan, "0[,]2")
    play(city.pupil_in, plan, "")

    def counted():
        rows = selectors.activity_results(plan.lesson, GAME_ID).rows
        return next(r for r in rows if r.pupil == city.pupil_in).counted.raw_score

    assert counted() == 2
    for counts, raw in (("first", 1), ("last", 0), ("best", 2)):
        grading.h5p_counts_set(
            teacher=city.teacher, lesson=plan.lesson, block_id=GAME_ID, counts=counts
        )
        assert counted() == raw


def test_counts_choice_is_checked(city, plan):
    with pytest.raises(ValidationError):
        grading.h5p_counts_set(
            teacher=city.teacher, lesson=plan.lesson, block_id=GAME_ID, counts="avg"
        )
    with pytest.raises(PermissionDenied):
        grading.h5p_counts_set(
            teacher=city.admin_one, lesson=plan.lesson, block_id=GAME_ID, counts="last"
        )


@pytest.mark.parametrize(
    ("scale", "scaled", "mark"),
    [
        (Scale.FIVE_POINT, "1", 5),
        (Scale.FIVE_POINT, "0.9", 5),
        (Scale.FIVE_POINT, "0.8999", 4),
        (Scale.FIVE_POINT, "0.75", 4),
        (Scale.FIVE_POINT, "0.5", 3),
        (Scale.FIVE_POINT, "0.4999", 2),
        (Scale.FIVE_POINT, "0", 2),
        (Scale.HUNDRED_POINT, "0.755", 76),
        (Scale.HUNDRED_POINT, "0", 0),
        (Scale.HUNDRED_POINT, "1", 100),
        (Scale.PASS_FAIL, "0.5", 1),
        (Scale.PASS_FAIL, "0.4999", 0),
    ],
)
def test_mark_from_scaled(scale, scaled, mark):
    assert grading.mark_from_scaled(scale, Decimal(scaled)) == mark


def send(city, plan, work_type):
    return grading.h5p_marks_send(
        teacher=city.teacher,
        lesson=plan.lesson,
        block_id=GAME_ID,
        work_type=work_type,
        title="Дроби",
    )


def test_marks_only_for_verified_counted_attempts(city, plan):
    forger = factories.make_pupil(city.class_in, username="forger")
    idle = factories.make_pupil(city.class_in, username="idle")
    play(city.pupil_in, plan, "0")  # verified 1/2 → 3
    play(forger, plan, "1", claimed_raw=2)  # mismatch
    classwork = WorkType.objects.first()

    sent = send(city, plan, classwork)

    assert [(m.pupil, m.value) for m in sent.marks] == [(city.pupil_in, 3)]
    assert set(sent.skipped) == {forger, idle}
    mark = Mark.objects.get()
    assert (mark.lesson, mark.work_type, mark.scale) == (plan.lesson, classwork, "five")
    assert "Дроби" in mark.comment


def test_sending_again_updates_the_mark(city, plan):
    play(city.pupil_in, plan, "0")
    work_type = WorkType.objects.first()
    send(city, plan, work_type)
    play(city.pupil_in, plan, "0[,]2")

    send(city, plan, work_type)

    assert list(Mark.objects.values_list("value", flat=True)) == [5]
    history = MarkChange.objects.order_by("pk").values_list("old_value", "new_value")
    assert list(history) == [(None, 3), (3, 5)]


def test_only_the_subject_teacher_sends_marks(city, plan):
    play(city.pupil_in, plan, "0[,]2")

    with pytest.raises(PermissionDenied):
        grading.h5p_marks_send(
            teacher=city.admin_one,
            lesson=plan.lesson,
            block_id=GAME_ID,
            work_type=WorkType.objects.first(),
            title="Дроби",
        )

    assert not Mark.objects.exists()
