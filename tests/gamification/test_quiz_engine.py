"""The live quiz engine: scoring by server time, fair play, results, the ledger."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from gamification.models import GameStatus, PointsEntry, QuizAnswer, QuizPlayer
from gamification.quiz import payloads, scoring, services
from tests import factories

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"text": "2+2", "choices": ["3", "4", "5"], "correct": [1], "time_limit": 20},
    {"text": "3×3", "choices": ["9", "6"], "correct": [0], "time_limit": 10},
    {"text": "Чётные", "choices": ["2", "3", "4"], "correct": [0, 2], "time_limit": 30},
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def game(city):
    return services.quiz_game_create(
        host=city.teacher,
        title="Счёт",
        questions=QUESTIONS,
        class_group=city.class_in,
        subject=city.maths,
    )


@pytest.fixture
def masha(city):
    return factories.make_pupil(city.class_in, username="masha", first_name="Маша")


def answer(user, game, question, choices, after=1.0):
    game.refresh_from_db()
    return services.quiz_answer(
        user=user,
        game_id=game.pk,
        question=question,
        choices=choices,
        at=(game.opened_at or timezone.now()) + timedelta(seconds=after),
    )


def close(game):
    game.refresh_from_db()
    return services.quiz_close(game_id=game.pk, index=game.current, now=game.closes_at)


def score(user, game) -> int:
    return QuizPlayer.objects.get(game=game, user=user).score


# --- Scoring


@pytest.mark.parametrize(
    ("response_ms", "streak", "points"),
    [
        (0, 1, 1000),
        (10_000, 1, 750),
        (20_000, 1, 500),
        (30_000, 1, 500),
        (0, 2, 1100),
        (0, 6, 1500),
        (0, 9, 1500),
    ],
)
def test_kahoot_formula_with_the_streak_bonus(response_ms, streak, points):
    assert (
        scoring.answer_points(
            correct=True, response_ms=response_ms, time_limit_s=20, streak=streak
        )
        == points
    )


def test_a_wrong_answer_scores_nothing():
    assert (
        scoring.answer_points(correct=False, response_ms=0, time_limit_s=20, streak=3)
        == 0
    )


def test_ranks_share_ties():
    assert scoring.competition_ranks([900, 900, 500, 0]) == [1, 1, 3, 4]


# --- Creating and joining


def test_codes_are_six_digits_and_unique_among_open_games(city):
    games = [
        services.quiz_game_create(host=city.teacher, title="x", questions=QUESTIONS)
        for _ in range(20)
    ]
    codes = {game.code for game in games}
    assert len(codes) == 20
    assert all(len(code) == 6 and code.isdigit() for code in codes)


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [{"text": "", "choices": ["a", "b"], "correct": [0]}],
        [{"text": "q", "choices": ["a"], "correct": [0]}],
        [{"text": "q", "choices": ["a", "b"], "correct": [2]}],
        [{"text": "q", "choices": ["a", "b"], "correct": []}],
        [{"text": "q", "choices": ["a", "b"], "correct": [0], "time_limit": 1}],
        [{"text": "q", "choices": ["a", "b"], "correct": ["x"]}],
        ["not a question"],
    ],
)
def test_bad_questions_are_refused(city, bad):
    with pytest.raises(ValidationError):
        services.quiz_game_create(host=city.teacher, title="x", questions=bad)


@pytest.mark.parametrize("persona", ["pupil_in", "parent", "other_teacher"])
def test_only_a_teacher_of_the_class_hosts_its_game(city, persona):
    with pytest.raises(PermissionDenied):
        services.quiz_game_create(
            host=getattr(city, persona),
            title="x",
            questions=QUESTIONS,
            class_group=city.class_in,
        )


@pytest.mark.parametrize("persona", ["pupil_out", "parent", "teacher"])
def test_only_pupils_of_the_class_join_its_game(city, game, persona):
    with pytest.raises(PermissionDenied):
        services.quiz_join(user=getattr(city, persona), code=game.code)
    assert not QuizPlayer.objects.exists()


def test_any_pupil_joins_a_game_without_a_class(city):
    game = services.quiz_game_create(host=city.teacher, title="x", questions=QUESTIONS)
    assert services.quiz_join(user=city.pupil_out, code=game.code).game == game
    with pytest.raises(PermissionDenied):
        services.quiz_join(user=city.parent, code=game.code)


def test_a_wrong_or_finished_code_is_refused(city, game):
    with pytest.raises(ValidationError):
        services.quiz_join(user=city.pupil_in, code="not-a-code")
    services.quiz_end(host=city.teacher, game_id=game.pk)
    with pytest.raises(ValidationError):
        services.quiz_join(user=city.pupil_in, code=game.code)


def test_joins_are_rate_limited_per_user(city, game, masha):
    for _ in range(services.JOIN_LIMIT):
        try:
            services.quiz_join(user=city.pupil_in, code="bad")
        except ValidationError:
            pass
    with pytest.raises(services.JoinRateLimited):
        services.quiz_join(user=city.pupil_in, code=game.code)
    # Another pupil is not held back by Petya's tries.
    assert services.quiz_join(user=masha, code=game.code)


# --- Playing


def test_answers_are_scored_by_server_time_with_the_streak(city, game, masha):
    for pupil in (city.pupil_in, masha):
        services.quiz_join(user=pupil, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    assert answer(city.pupil_in, game, 0, [1], after=0).accepted
    assert answer(masha, game, 0, [0], after=2).accepted
    assert close(game)
    services.quiz_next(host=city.teacher, game_id=game.pk)
    assert answer(city.pupil_in, game, 1, [0], after=5).accepted  # half the time
    assert score(city.pupil_in, game) == 1000 + 750 + 100
    assert score(masha, game) == 0
    stored = QuizAnswer.objects.get(player__user=city.pupil_in, question=1)
    assert (stored.response_ms, stored.correct, stored.points) == (5000, True, 850)


def test_several_correct_choices_must_all_be_picked(city, game):
    services.quiz_join(user=city.pupil_in, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    for _index in (0, 1):
        assert services.quiz_reveal(host=city.teacher, game_id=game.pk)
        services.quiz_next(host=city.teacher, game_id=game.pk)
    assert answer(city.pupil_in, game, 2, [2, 0, 0]).accepted
    assert QuizAnswer.objects.get(question=2).correct


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("late", "late"),
        ("second", "already"),
        ("stranger", "not_player"),
        ("other question", "not_open"),
        ("bad choice", "invalid"),
        ("lobby", "not_open"),
    ],
)
def test_unfair_answers_are_refused(city, game, masha, case, reason):
    services.quiz_join(user=city.pupil_in, code=game.code)
    if case != "lobby":
        services.quiz_start(host=city.teacher, game_id=game.pk)
    user, question, choices, after = city.pupil_in, 0, [1], 1.0
    if case == "late":
        after = 20.001
    elif case == "second":
        assert answer(user, game, 0, [0]).accepted
    elif case == "stranger":
        user = masha
    elif case == "other question":
        question = 1
    elif case == "bad choice":
        choices = [7]
    outcome = answer(user, game, question, choices, after=after)
    assert outcome.refused == reason
    assert score(city.pupil_in, game) == 0
    assert QuizAnswer.objects.count() == (case == "second")


def test_an_answer_after_the_host_revealed_is_refused(city, game):
    services.quiz_join(user=city.pupil_in, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    services.quiz_reveal(host=city.teacher, game_id=game.pk)
    assert answer(city.pupil_in, game, 0, [1]).refused == "not_open"


def test_closing_is_idempotent_and_never_early(city, game):
    services.quiz_start(host=city.teacher, game_id=game.pk)
    game.refresh_from_db()
    early = game.closes_at - timedelta(milliseconds=1)
    assert not services.quiz_close(game_id=game.pk, index=0, now=early)
    assert close(game)
    assert not services.quiz_close(game_id=game.pk, index=0, now=timezone.now())
    game.refresh_from_db()
    assert game.status == GameStatus.REVEAL


@pytest.mark.parametrize(
    "command", ["quiz_start", "quiz_reveal", "quiz_next", "quiz_end"]
)
def test_host_commands_from_anyone_else_are_refused(city, game, command):
    services.quiz_join(user=city.pupil_in, code=game.code)
    for intruder in (city.pupil_in, city.other_teacher):
        with pytest.raises(PermissionDenied):
            getattr(services, command)(host=intruder, game_id=game.pk)
    game.refresh_from_db()
    assert game.status == GameStatus.LOBBY


def test_a_late_joiner_plays_on_and_a_rejoin_keeps_the_score(city, game, masha):
    services.quiz_join(user=city.pupil_in, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    answer(city.pupil_in, game, 0, [1], after=0)
    close(game)
    services.quiz_next(host=city.teacher, game_id=game.pk)
    services.quiz_join(user=masha, code=game.code)  # late
    assert answer(masha, game, 1, [0], after=0).accepted
    again = services.quiz_join(user=city.pupil_in, code=game.code)  # reloaded
    assert again.score == 1000
    assert QuizPlayer.objects.filter(game=game).count() == 2


def test_the_question_payload_never_holds_the_answer(city, game):
    services.quiz_start(host=city.teacher, game_id=game.pk)
    game.refresh_from_db()
    for payload in (
        payloads.question_payload(game),
        payloads.state_payload(game, user_id=city.pupil_in.pk, is_host=False),
        payloads.state_payload(game, user_id=city.teacher.pk, is_host=True),
    ):
        assert "correct" not in str(payload)


def test_results_show_the_distribution_top_five_and_own_rank(city, game, masha):
    for pupil in (city.pupil_in, masha):
        services.quiz_join(user=pupil, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    answer(city.pupil_in, game, 0, [1], after=0)
    answer(masha, game, 0, [2], after=1)
    close(game)
    game.refresh_from_db()
    results = payloads.results_payload(game, 0)
    assert results["distribution"] == [0, 1, 1]
    assert results["correct"] == [1]
    assert [entry["score"] for entry in results["top"]] == [1000, 0]
    standings = payloads.standings_map(game.pk, 0)
    own = payloads.personal(results, standings[masha.pk])
    assert own["you"] == {"score": 0, "rank": 2, "points": 0, "correct": False}


def test_points_go_through_the_ledger_once_and_the_winner_wins(city, game, masha):
    for pupil in (city.pupil_in, masha):
        services.quiz_join(user=pupil, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    answer(city.pupil_in, game, 0, [1], after=0)  # 1000 → 10 points
    answer(masha, game, 0, [1], after=20)  # 500 → 5 points
    close(game)
    assert services.quiz_points_award(game_id=game.pk) == 2
    assert services.quiz_points_award(game_id=game.pk) == 0
    services.quiz_end(host=city.teacher, game_id=game.pk)
    assert services.quiz_points_award(game_id=game.pk) == 1
    entries = {
        (entry.pupil_id, entry.source_key): entry.amount
        for entry in PointsEntry.objects.all()
    }
    assert entries == {
        (city.pupil_in.pk, f"quiz:{game.pk}:0"): 10,
        (masha.pk, f"quiz:{game.pk}:0"): 5,
        (city.pupil_in.pk, f"quizwin:{game.pk}"): scoring.WIN_POINTS,
    }
    game.refresh_from_db()
    assert game.status == GameStatus.FINISHED


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_from_one_player_count_once(city):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs them one by one)")
    game = services.quiz_game_create(host=city.teacher, title="x", questions=QUESTIONS)
    services.quiz_join(user=city.pupil_in, code=game.code)
    services.quiz_start(host=city.teacher, game_id=game.pk)
    game.refresh_from_db()

    def send(n: int):
        try:
            return services.quiz_answer(
                user=city.pupil_in,
                game_id=game.pk,
                question=0,
                choices=[1],
                at=game.opened_at + timedelta(seconds=1),
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(send, range(50)))
    assert sum(outcome.accepted for outcome in outcomes) == 1
    assert {outcome.refused for outcome in outcomes} == {None, "already"}
    assert QuizAnswer.objects.count() == 1
    assert score(city.pupil_in, game) == 975  # 1 s of 20
