"""The live quiz's writes: create, join, start, answer, close, next, end, award.

Every step locks the game row: the close and the answers to a question are
serialised on it, so an answer either counts before the results are drawn or is
refused — never counted after them. A step that finds the game already past the
point it wanted (a second close, a timer firing after the host's reveal) does
nothing: closing is idempotent, so every process may try.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gamification import access
from gamification.ledger import points_award
from gamification.models import (
    EntryKind,
    GameStatus,
    QuizAnswer,
    QuizGame,
    QuizPlayer,
)
from gamification.quiz import payloads, scoring
from school.models import ClassGroup, Subject, User
from school.services import broadcast_after_commit

MAX_QUESTIONS, MAX_CHOICES = 100, 6
TIME_LIMITS = (5, 240)
# Joins per user per window: enough for typos, too few to guess codes.
JOIN_LIMIT, JOIN_WINDOW = 10, 60


class JoinRateLimited(PermissionDenied):
    pass


@dataclass(frozen=True)
class AnswerOutcome:
    """`refused` is None for an accepted answer, else "not_player", "not_open",
    "late", "already" or "invalid"."""

    refused: str | None = None

    @property
    def accepted(self) -> bool:
        return self.refused is None


def quiz_group_name(game_id: int) -> str:
    return f"quiz.{game_id}"


def quiz_hosts_group_name(game_id: int) -> str:
    """The host's screens only: what players need not hear (each answer)."""
    return f"quiz.{game_id}.hosts"


def _broadcast(game_id: int, event: dict) -> None:
    broadcast_after_commit(
        quiz_group_name(game_id), {"type": "quiz.event", "event": event}
    )


def _question_clean(raw: dict) -> dict:
    text = str(raw.get("text", "")).strip()
    choices = [str(choice).strip() for choice in raw.get("choices", [])]
    correct = sorted({int(index) for index in raw.get("correct", [])})
    time_limit = int(raw.get("time_limit", 20))
    if not text or not 2 <= len(choices) <= MAX_CHOICES or not all(choices):
        raise ValidationError(
            _("Each question needs a text and two to six non-empty choices.")
        )
    if not correct or not all(0 <= index < len(choices) for index in correct):
        raise ValidationError(_("Each question needs at least one correct choice."))
    if not TIME_LIMITS[0] <= time_limit <= TIME_LIMITS[1]:
        raise ValidationError(
            _("A question's time must be %(low)s to %(high)s seconds.")
            % {"low": TIME_LIMITS[0], "high": TIME_LIMITS[1]}
        )
    return {
        "text": text,
        "choices": choices,
        "correct": correct,
        "time_limit": time_limit,
    }


def quiz_questions_clean(questions: list[dict]) -> list[dict]:
    """The questions as stored; ValidationError naming what is wrong."""
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise ValidationError(_("A game needs one to a hundred questions."))
    try:
        return [_question_clean(question) for question in questions]
    except (TypeError, ValueError, AttributeError) as error:
        raise ValidationError(_("The questions are not well-formed.")) from error


@transaction.atomic
def quiz_game_create(
    *,
    host: User,
    title: str,
    questions: list[dict],
    class_group: ClassGroup | None = None,
    subject: Subject | None = None,
) -> QuizGame:
    """A new game in the lobby with a 6-digit code no open game has.

    PermissionDenied unless `host` may host it; ValidationError for bad questions.
    """
    if not access.can_host_quiz(host, class_group):
        raise PermissionDenied
    cleaned = quiz_questions_clean(questions)
    for _attempt in range(50):
        code = f"{secrets.randbelow(1_000_000):06d}"
        try:
            with transaction.atomic():
                return QuizGame.objects.create(
                    host=host,
                    title=title[:200],
                    questions=cleaned,
                    class_group=class_group,
                    subject=subject,
                    code=code,
                )
        except IntegrityError:
            continue  # the code is taken by an open game: draw another
    raise ValidationError(_("No free game code was found; please try again."))


def _join_allowed(user_id: int) -> bool:
    key = f"quiz:join:{user_id}"
    cache.add(key, 0, JOIN_WINDOW)
    try:
        return cache.incr(key) <= JOIN_LIMIT
    except ValueError:  # expired between add and incr
        cache.add(key, 1, JOIN_WINDOW)
        return True


@transaction.atomic
def quiz_join(*, user: User, code: str) -> QuizPlayer:
    """`user`'s player row in the open game with `code`, made on their first join
    and returned as it is (score intact) on every later one; late joiners play on
    from the current question.

    JoinRateLimited after JOIN_LIMIT tries a minute; ValidationError for no open
    game with this code; PermissionDenied if `user` may not play it.
    """
    if not _join_allowed(user.pk):
        raise JoinRateLimited
    game = (
        QuizGame.objects.exclude(status=GameStatus.FINISHED)
        .select_related("class_group")
        .filter(code=code.strip())
        .first()
    )
    if game is None:
        raise ValidationError(_("No game is open with this code."))
    if not access.can_join_quiz(user, game):
        raise PermissionDenied
    player, created = QuizPlayer.objects.get_or_create(game=game, user=user)
    if created:
        _broadcast(
            game.pk,
            {
                "type": "joined",
                "name": payloads.shown_name(user, payloads.names_hidden([user.pk])),
                "players": game.players.count(),
            },
        )
    return player


def _locked(game_id: int) -> QuizGame:
    return QuizGame.objects.select_for_update().get(pk=game_id)


def _locked_for_host(host: User, game_id: int) -> QuizGame:
    game = _locked(game_id)
    if game.host_id != host.pk:
        raise PermissionDenied
    return game


def _open(game: QuizGame, index: int, now: datetime) -> None:
    game.status, game.current = GameStatus.QUESTION, index
    game.opened_at = now
    game.closes_at = now + timedelta(seconds=game.questions[index]["time_limit"])
    game.save(update_fields=["status", "current", "opened_at", "closes_at"])
    _broadcast(game.pk, payloads.question_payload(game))


@transaction.atomic
def quiz_start(*, host: User, game_id: int, now: datetime | None = None) -> QuizGame:
    """Opens the first question. ValidationError unless the game is in its lobby."""
    game = _locked_for_host(host, game_id)
    if game.status != GameStatus.LOBBY:
        raise ValidationError(_("This game has already started."))
    _open(game, 0, now or timezone.now())
    return game


def _close(game: QuizGame, now: datetime) -> dict:
    game.status = GameStatus.REVEAL
    game.closes_at = min(game.closes_at, now)
    game.save(update_fields=["status", "closes_at"])
    # No answer breaks the streak as a wrong one does.
    QuizPlayer.objects.filter(game=game).exclude(answers__question=game.current).update(
        streak=0
    )
    results = payloads.results_payload(game, game.current)
    _broadcast(game.pk, results)
    return results


@transaction.atomic
def quiz_close(*, game_id: int, index: int, now: datetime | None = None) -> bool:
    """Closes question `index` once its time is up: the results go out. Returns
    False (and changes nothing) if it is not open any more or not yet due."""
    now = now or timezone.now()
    game = _locked(game_id)
    if game.status != GameStatus.QUESTION or game.current != index:
        return False
    if now < game.closes_at:
        return False
    _close(game, now)
    return True


@transaction.atomic
def quiz_reveal(*, host: User, game_id: int, now: datetime | None = None) -> bool:
    """The host closes the open question before its time is up (reveal or skip)."""
    game = _locked_for_host(host, game_id)
    if game.status != GameStatus.QUESTION:
        return False
    _close(game, now or timezone.now())
    return True


@transaction.atomic
def quiz_next(*, host: User, game_id: int, now: datetime | None = None) -> QuizGame:
    """The next question after a reveal, or the podium after the last one."""
    game = _locked_for_host(host, game_id)
    if game.status != GameStatus.REVEAL:
        raise ValidationError(_("Show the answer before the next question."))
    if game.current + 1 >= len(game.questions):
        return _finish(game, now or timezone.now())
    _open(game, game.current + 1, now or timezone.now())
    return game


def _finish(game: QuizGame, now: datetime) -> QuizGame:
    if game.status == GameStatus.QUESTION:
        _close(game, now)
    game.status, game.finished_at = GameStatus.FINISHED, now
    game.save(update_fields=["status", "finished_at"])
    _broadcast(game.pk, payloads.podium_payload(game))
    return game


@transaction.atomic
def quiz_end(*, host: User, game_id: int, now: datetime | None = None) -> QuizGame:
    """Ends the game now (closing an open question first): the podium goes out."""
    game = _locked_for_host(host, game_id)
    if game.status == GameStatus.FINISHED:
        return game
    return _finish(game, now or timezone.now())


@transaction.atomic
def quiz_answer(
    *, user: User, game_id: int, question: int, choices: list[int], at: datetime
) -> AnswerOutcome:
    """Records `user`'s answer received at server time `at`, scored at once.

    Refused (nothing stored) for a non-player, a question not open, after its
    deadline ("late": the caller should then close it), a second answer, or
    choices out of range.
    """
    game = _locked(game_id)
    player = QuizPlayer.objects.filter(game=game, user=user).first()
    if player is None:
        return AnswerOutcome("not_player")
    if game.status != GameStatus.QUESTION or game.current != question:
        return AnswerOutcome("not_open")
    if at > game.closes_at:
        return AnswerOutcome("late")
    asked = game.questions[question]
    picked = sorted(set(choices))
    if not picked or not all(0 <= c < len(asked["choices"]) for c in picked):
        return AnswerOutcome("invalid")
    correct = picked == asked["correct"]
    response_ms = max(int((at - game.opened_at).total_seconds() * 1000), 0)
    streak = player.streak + 1 if correct else 0
    points = scoring.answer_points(
        correct=correct,
        response_ms=response_ms,
        time_limit_s=asked["time_limit"],
        streak=streak,
    )
    try:
        with transaction.atomic():
            QuizAnswer.objects.create(
                player=player,
                question=question,
                choices=picked,
                answered_at=at,
                response_ms=response_ms,
                correct=correct,
                points=points,
            )
    except IntegrityError:
        return AnswerOutcome("already")
    QuizPlayer.objects.filter(pk=player.pk).update(
        score=F("score") + points, streak=streak
    )
    answered = QuizAnswer.objects.filter(player__game=game, question=question)
    broadcast_after_commit(
        quiz_hosts_group_name(game.pk),
        {
            "type": "quiz.event",
            "event": {
                "type": "answered",
                "index": question,
                "answered": answered.count(),
            },
        },
    )
    return AnswerOutcome()


def quiz_points_award(*, game_id: int) -> int:
    """Puts the points of every closed question not yet awarded through the
    ledger ("quiz:<game>:<question>"), and the winners' "quizwin:<game>" once the
    game is over. Safe to run twice or in two processes at once: the ledger's
    source keys count each award once. Returns the number of new entries."""
    # Called by the host's or a player's socket, authorised when it connected.
    game = QuizGame.objects.get(pk=game_id)  # nosemgrep
    closed = game.current - (game.status == GameStatus.QUESTION)
    if game.status == GameStatus.LOBBY:
        return 0
    added = 0
    for index in range(game.awarded_through + 1, closed + 1):
        answers = QuizAnswer.objects.filter(
            player__game=game, question=index, points__gte=50
        ).select_related("player__user")
        for answer in answers:
            added += _award(
                game,
                answer.player.user,
                f"quiz:{game.pk}:{index}",
                scoring.ledger_points(answer.points),
            )
        QuizGame.objects.filter(pk=game.pk, awarded_through__lt=index).update(
            awarded_through=index
        )
    if game.status == GameStatus.FINISHED:
        for player in _winners(game):
            added += _award(game, player.user, f"quizwin:{game.pk}", scoring.WIN_POINTS)
    return added


def _winners(game: QuizGame) -> list[QuizPlayer]:
    top = game.players.order_by("-score").values_list("score", flat=True).first()
    if not top:
        return []
    return list(game.players.filter(score=top).select_related("user"))


def _award(game: QuizGame, pupil: User, source_key: str, amount: int) -> int:
    entry = points_award(
        pupil=pupil,
        source_key=source_key,
        kind=EntryKind.QUIZ_GAME,
        amount=amount,
        reason=game.title[:200],
        class_group=game.class_group,
        subject=game.subject,
        awarded_by=game.host,
    )
    return int(entry is not None)
