"""What the game sends. Nothing here puts a question's correct answer into a
frame before that question has closed."""

from django.utils import timezone
from django.utils.translation import gettext

from gamification.models import (
    GameStatus,
    PupilGamificationSettings,
    QuizAnswer,
    QuizGame,
    QuizPlayer,
)
from gamification.quiz.scoring import competition_ranks

TOP = 5


def display_name(user) -> str:
    """First name and the initial of the surname: enough for a class screen."""
    initial = f" {user.last_name[:1]}." if user.last_name else ""
    return f"{user.first_name}{initial}".strip() or user.username


def names_hidden(user_ids) -> set[int]:
    """Of these people, the pupils who chose "hide my name" (as on leaderboards):
    the class screen shows them as a hidden player. One query."""
    return set(
        PupilGamificationSettings.objects.filter(
            pupil_id__in=list(user_ids), hide_name=True
        ).values_list("pupil_id", flat=True)
    )


def shown_name(user, hidden: set[int]) -> str:
    return gettext("Hidden player") if user.pk in hidden else display_name(user)


def question_payload(game: QuizGame) -> dict:
    question = game.questions[game.current]
    return {
        "type": "question",
        "index": game.current,
        "count": len(game.questions),
        "text": question["text"],
        "choices": list(question["choices"]),
        "multiple": len(question["correct"]) > 1,
        "time_limit": question["time_limit"],
        "closes_at": game.closes_at.isoformat(),
        "server_now": timezone.now().isoformat(),
    }


def standings(game: QuizGame) -> list[tuple[QuizPlayer, int]]:
    players = list(
        QuizPlayer.objects.filter(game=game)
        .select_related("user")
        .order_by("-score", "joined_at", "pk")
    )
    ranks = competition_ranks([player.score for player in players])
    return list(zip(players, ranks, strict=True))


def _entries(ranked: list[tuple[QuizPlayer, int]]) -> list[dict]:
    hidden = names_hidden(player.user_id for player, _rank in ranked)
    return [
        {"name": shown_name(player.user, hidden), "score": player.score, "rank": rank}
        for player, rank in ranked
    ]


def results_payload(game: QuizGame, index: int) -> dict:
    """After question `index` closed: how the class answered, the answer and the
    top five. The same for everyone: each player's own place is added by their
    socket (see `standings_map`), so the broadcast stays small in a big game."""
    question = game.questions[index]
    distribution = [0] * len(question["choices"])
    answered = 0
    for choices in QuizAnswer.objects.filter(
        player__game=game, question=index
    ).values_list("choices", flat=True):
        answered += 1
        for choice in choices:
            distribution[choice] += 1
    ranked = standings(game)
    return {
        "type": "results",
        "index": index,
        "count": len(game.questions),
        "correct": list(question["correct"]),
        "distribution": distribution,
        "answered": answered,
        "players": len(ranked),
        "top": _entries(ranked[:TOP]),
    }


def podium_payload(game: QuizGame) -> dict:
    ranked = standings(game)
    return {
        "type": "podium",
        "index": game.current,
        "podium": _entries(ranked[:3]),
        "players": len(ranked),
    }


Standing = tuple[int, int, int, bool]  # score, rank, points of the question, correct


def standings_map(game_id: int, index: int) -> dict[int, Standing]:
    """Every player's standing once question `index` closed, by user id: counted
    from the answers up to it, so a later question's answers never show early.
    One query for the whole game: a process loads it once for all its sockets."""
    totals: dict[int, int] = dict.fromkeys(
        QuizPlayer.objects.filter(game_id=game_id).values_list("user_id", flat=True), 0
    )
    this: dict[int, tuple[int, bool]] = {}
    answers = QuizAnswer.objects.filter(
        player__game_id=game_id, question__lte=index
    ).values_list("player__user_id", "question", "points", "correct")
    for user_id, question, points, correct in answers:
        totals[user_id] = totals.get(user_id, 0) + points
        if question == index:
            this[user_id] = (points, correct)
    order = sorted(totals.items(), key=lambda item: -item[1])
    ranks = competition_ranks([score for _user, score in order])
    return {
        user_id: (score, rank, *this.get(user_id, (0, False)))
        for (user_id, score), rank in zip(order, ranks, strict=True)
    }


def personal(event: dict, own: Standing | None) -> dict:
    """`event` (results or podium) as one player's socket sends it."""
    if own is None:
        return event
    score, rank, points, correct = own
    you = {"score": score, "rank": rank, "points": points, "correct": correct}
    return {**event, "you": you}


def _score_shown(game: QuizGame, user_id: int) -> int:
    """The player's score without the open question's points: those would tell
    whether the answer was right before the reveal."""
    own = game.players.filter(user_id=user_id).values("pk", "score").first()
    if own is None:
        return 0
    if game.status != GameStatus.QUESTION:
        return own["score"]
    pending = QuizAnswer.objects.filter(player_id=own["pk"], question=game.current)
    return own["score"] - sum(pending.values_list("points", flat=True))


def state_payload(game: QuizGame, *, user_id: int, is_host: bool) -> dict:
    """Everything a socket needs on (re)connecting, for the host or a player."""
    state = {
        "type": "state",
        "game": game.pk,
        "code": game.code,
        "title": game.title,
        "status": game.status,
        "index": game.current,
        "count": len(game.questions),
    }
    if game.status == GameStatus.QUESTION:
        state["question"] = question_payload(game)
        # A player: whether they answered; the host gets the count below.
        state["answered"] = QuizAnswer.objects.filter(
            player__game=game, player__user_id=user_id, question=game.current
        ).exists()
    elif game.status == GameStatus.REVEAL:
        state["results"] = results_payload(game, game.current)
    elif game.status == GameStatus.FINISHED:
        state["podium"] = podium_payload(game)
    if is_host:
        if game.status == GameStatus.QUESTION:
            state["answered"] = QuizAnswer.objects.filter(
                player__game=game, question=game.current
            ).count()
        players = list(game.players.select_related("user").order_by("joined_at"))
        hidden = names_hidden(player.user_id for player in players)
        state["lobby"] = [shown_name(player.user, hidden) for player in players]
        return state
    state["score"] = _score_shown(game, user_id)
    for key in ("results", "podium"):
        if key in state:
            own = standings_map(game.pk, game.current).get(user_id)
            state[key] = personal(state[key], own)
    return state
