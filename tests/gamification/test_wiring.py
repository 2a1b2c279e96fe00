"""Points from elsewhere: verified H5P games, practice quizzes, homework on time.

Each through the real service that records the pupil's work (lessons' intake and
practice, school's homework), so the award is tested as pupils cause it.
"""

import datetime
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from gamification.ledger import points_award
from gamification.models import EntryKind, PointsAccount, PointsEntry
from gamification.wiring import replay_points
from lessons import points
from lessons.h5p import intake
from lessons.h5p.models import H5PAttempt
from lessons.models import LessonPlan, PracticeAttempt
from lessons.services import practice_attempt_submit
from school.homework import services as homework_services
from tests import factories
from tests.lessons.h5p import xapi
from tests.lessons.h5p.activity import GAME_ID, package_make, plan_make
from tests.lessons.school_day.conftest import ACCEPTED, QUIZ_ID, library_lesson

RIGHT = "0[,]2"  # both correct choices of the multichoice game: 2 of 2
HALF = "0"  # one of them: 1 of 2
WRONG = "1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def balance(pupil) -> int:
    account = PointsAccount.objects.filter(pupil=pupil).first()
    return account.balance if account else 0


def entries(pupil, kind) -> list[PointsEntry]:
    return list(PointsEntry.objects.filter(pupil=pupil, kind=kind).order_by("pk"))


# --- The rule


@pytest.mark.parametrize(
    ("scaled", "best", "points"),
    [
        ("1", None, 10),
        ("0.5", None, 5),
        ("0", None, 0),
        ("0.8", "0.5", 3),
        ("0.5", "0.8", 0),
        ("1", "1", 0),
        ("0.3333", "0", 3),
        ("0.6667", "0.3333", 4),
        ("1", "0.6667", 3),
    ],
)
def test_an_attempt_earns_its_improvement_on_the_best(scaled, best, points):
    best = Decimal(best) if best is not None else None
    assert replay_points(scaled=Decimal(scaled), best_before=best) == points


# --- H5P games


@pytest.fixture
def game(city):
    return plan_make(city, package_make("multichoice", xapi.MC, title="Дроби"))


def play(pupil, plan, response: str, raw: int):
    return intake.h5p_statement_record(
        pupil=pupil,
        plan=plan,
        block_id=GAME_ID,
        statement=xapi.statement(raw, 2, response=response),
        report=None,
    )


@pytest.mark.django_db
def test_a_verified_game_awards_its_points_in_the_lessons_class(city, game):
    attempt = play(city.pupil_in, game, RIGHT, 2)
    [entry] = entries(city.pupil_in, EntryKind.H5P)
    assert entry.source_key == f"h5p:{attempt.pk}"
    assert entry.amount == entry.xp == 10
    assert (entry.class_group, entry.subject) == (city.class_in, city.maths)
    assert entry.reason == "Дроби"


@pytest.mark.django_db
def test_one_game_attached_to_two_lessons_earns_its_points_once(city, game):
    """The same package on another dated lesson (the page attached again next
    week) is the same activity: playing it there earns nothing more."""
    start = city.class_in.academic_year.starts_on
    next_week = factories.make_lesson(
        city.class_in, city.maths, city.teacher, date=start + datetime.timedelta(14)
    )
    again = LessonPlan.objects.create(
        lesson=next_week, page=game.page, attached_by=city.teacher
    )
    play(city.pupil_in, game, RIGHT, 2)
    play(city.pupil_in, again, RIGHT, 2)

    assert balance(city.pupil_in) == 10
    assert len(entries(city.pupil_in, EntryKind.H5P)) == 1


@pytest.mark.django_db
def test_a_statement_posted_twice_awards_once(city, game):
    statement = xapi.statement(2, 2, response=RIGHT)
    for _ in range(2):
        intake.h5p_statement_record(
            pupil=city.pupil_in,
            plan=game,
            block_id=GAME_ID,
            statement=statement,
            report=None,
        )
    assert H5PAttempt.objects.count() == 2
    assert len(entries(city.pupil_in, EntryKind.H5P)) == 1
    assert balance(city.pupil_in) == 10


@pytest.mark.django_db
def test_an_unverified_game_awards_nothing(city):
    plan = plan_make(city, package_make("multichoice", "H5P.Essay 1.5"))
    attempt = intake.h5p_statement_record(
        pupil=city.pupil_in,
        plan=plan,
        block_id=GAME_ID,
        statement=xapi.statement(4, 4, success=True),
        report=None,
    )
    assert attempt.verification == "unverified"
    assert not PointsEntry.objects.exists()


@pytest.mark.django_db
def test_forged_full_marks_award_nothing_and_do_not_block_a_real_score(city, game):
    forged = play(city.pupil_in, game, WRONG, 2)  # claims 2 of 2, the server says 0
    assert forged.verification == "mismatch"
    assert not PointsEntry.objects.exists()
    play(city.pupil_in, game, HALF, 1)
    assert balance(city.pupil_in) == 5


@pytest.mark.django_db
def test_a_better_replay_awards_the_difference_and_a_worse_one_nothing(city, game):
    play(city.pupil_in, game, HALF, 1)
    play(city.pupil_in, game, RIGHT, 2)
    play(city.pupil_in, game, HALF, 1)
    play(city.pupil_in, game, RIGHT, 2)
    assert [e.amount for e in entries(city.pupil_in, EntryKind.H5P)] == [5, 5]
    assert balance(city.pupil_in) == 10


@pytest.mark.django_db
def test_each_pupil_earns_for_their_own_play(city, game):
    classmate = factories.make_pupil(city.class_in)
    play(city.pupil_in, game, RIGHT, 2)
    play(classmate, game, RIGHT, 2)
    assert balance(city.pupil_in) == 10
    assert balance(classmate) == 10


@pytest.mark.django_db
def test_a_game_that_is_not_stored_awards_nothing(city, game):
    with pytest.raises(RuntimeError), transaction.atomic():
        play(city.pupil_in, game, RIGHT, 2)
        raise RuntimeError("the request failed after recording")
    assert not H5PAttempt.objects.exists()
    assert not PointsEntry.objects.exists()
    assert balance(city.pupil_in) == 0


@pytest.mark.django_db(transaction=True)
def test_games_recorded_at_once_are_worth_ten_points_in_all(city, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs them one by one)")
    # A transactional test starts from a flushed database: Wagtail's tree is gone.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root"))
    plan = plan_make(city, package_make("multichoice", xapi.MC))
    award = points.replay_award

    def slow_award(**fields):
        # Widens the gap between reading the best score and writing the award,
        # where attempts recorded at once would otherwise both be paid.
        time.sleep(0.2)
        return award(**fields)

    monkeypatch.setattr(points, "replay_award", slow_award)
    # An account that exists already: creating it would queue the writers anyway.
    points_award(
        pupil=city.pupil_in, source_key="teacher:x", kind=EntryKind.TEACHER, amount=1
    )

    def record(_):
        try:
            return play(city.pupil_in, plan, RIGHT, 2)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(record, range(8)))
    assert H5PAttempt.objects.count() == 8
    assert balance(city.pupil_in) == 1 + 10
    assert len(entries(city.pupil_in, EntryKind.H5P)) == 1


# --- Practice quizzes (two questions: a choice and a short answer)


def practise(city, plan, answers):
    attempt, _marked = practice_attempt_submit(
        pupil=city.pupil_in, page=plan.page, block_id=QUIZ_ID, answers=answers
    )
    return attempt


@pytest.fixture
def practice_plan(city):
    start = city.class_in.academic_year.starts_on
    lesson = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=start + datetime.timedelta(days=7),
    )
    return LessonPlan.objects.create(
        lesson=lesson, page=library_lesson(city.maths), attached_by=city.teacher
    )


@pytest.mark.django_db
def test_a_practice_quiz_awards_its_score_in_the_class(city, practice_plan):
    attempt = practise(city, practice_plan, [[0, 2], ACCEPTED])
    [entry] = entries(city.pupil_in, EntryKind.PRACTICE)
    assert entry.source_key == f"practice:{attempt.pk}"
    assert entry.amount == 10
    assert (entry.class_group, entry.subject) == (city.class_in, city.maths)


@pytest.mark.django_db
def test_practice_replays_award_only_improvements(city, practice_plan):
    practise(city, practice_plan, [[1], "нет"])  # 0 of 2
    practise(city, practice_plan, [[0, 2], "нет"])  # 1 of 2
    practise(city, practice_plan, [[0, 2], "нет"])  # the same again
    practise(city, practice_plan, [[0, 2], ACCEPTED])  # 2 of 2
    practise(city, practice_plan, [[0, 2], ACCEPTED])
    assert PracticeAttempt.objects.count() == 5
    assert [e.amount for e in entries(city.pupil_in, EntryKind.PRACTICE)] == [5, 5]
    assert balance(city.pupil_in) == 10


@pytest.mark.django_db
def test_refused_answers_store_nothing_and_award_nothing(city, practice_plan):
    with pytest.raises(ValidationError):
        practise(city, practice_plan, [[0, 2]])
    assert not PracticeAttempt.objects.exists()
    assert not PointsEntry.objects.exists()


# --- Homework on time


@pytest.fixture
def homework(city):
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    return homework_services.homework_assign(
        teacher=city.teacher,
        lesson=lesson,
        due_date=lesson.date,
        text="Задачи 1–5",
        files=[],
    )


@pytest.fixture
def at_city_time(monkeypatch):
    """Sets the clock to `hour`:30 on `day` in the city (Moscow, UTC+3)."""

    def set_clock(day: datetime.date, hour: int) -> None:
        moment = datetime.datetime.combine(
            day, datetime.time(hour, 30), tzinfo=timezone.get_current_timezone()
        )
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock


def submit(city, homework, text="Готово"):
    return homework_services.submission_submit(
        pupil=city.pupil_in, homework=homework, text=text
    )


@pytest.mark.django_db
def test_homework_sent_by_the_end_of_the_due_day_awards_five(
    city, homework, at_city_time
):
    at_city_time(homework.due_date, 23)
    submit(city, homework)
    [entry] = entries(city.pupil_in, EntryKind.HOMEWORK)
    assert entry.source_key == f"homework:{homework.pk}"
    assert entry.amount == 5
    assert (entry.class_group, entry.subject) == (city.class_in, city.maths)


@pytest.mark.django_db
def test_late_homework_awards_nothing(city, homework, at_city_time):
    # Half past midnight in the city is still the due date in UTC: the city counts.
    at_city_time(homework.due_date + datetime.timedelta(days=1), 0)
    assert timezone.now().astimezone(datetime.UTC).date() == homework.due_date
    submit(city, homework)
    assert not PointsEntry.objects.exists()


@pytest.mark.django_db
def test_sending_again_does_not_award_twice(city, homework, at_city_time):
    at_city_time(homework.due_date, 9)
    submit(city, homework)
    submit(city, homework, text="Исправил")
    assert balance(city.pupil_in) == 5


@pytest.mark.django_db
def test_homework_marked_done_on_time_awards_too(city, homework, at_city_time):
    at_city_time(homework.due_date, 12)
    homework_services.submission_mark_done(pupil=city.pupil_in, homework=homework)
    assert [e.amount for e in entries(city.pupil_in, EntryKind.HOMEWORK)] == [5]


@pytest.mark.django_db
def test_refused_homework_awards_nothing(city, homework, at_city_time):
    at_city_time(homework.due_date, 12)
    with pytest.raises(ValidationError):
        submit(city, homework, text="")
    outsider = factories.make_pupil(city.class_out)
    with pytest.raises(PermissionDenied):
        homework_services.submission_submit(
            pupil=outsider, homework=homework, text="Чужое"
        )
    assert not PointsEntry.objects.exists()


def failing_hook(*, submission):
    raise RuntimeError("the points could not be written")


@pytest.mark.django_db
def test_a_failing_hook_leaves_no_submission(city, homework, settings):
    settings.SCHOOL_HOMEWORK_SUBMITTED_HOOKS = [f"{__name__}.failing_hook"]
    with pytest.raises(RuntimeError):
        submit(city, homework)
    assert not homework.submissions.exists()
