"""A finished (or running) game's results as CSV rows, for the host."""

from gamification.models import QuizAnswer, QuizGame
from gamification.quiz.payloads import standings
from lib.spreadsheet_cells import cell_safe


def results_rows(game: QuizGame) -> list[list]:
    """A header, then one row per player, best first: rank, name, score, correct
    answers, and the points of each question (empty where not answered)."""
    count = len(game.questions)
    points: dict[tuple[int, int], int] = {}
    correct: dict[int, int] = {}
    for answer in QuizAnswer.objects.filter(player__game=game):
        points[(answer.player_id, answer.question)] = answer.points
        correct[answer.player_id] = correct.get(answer.player_id, 0) + answer.correct
    header = ["rank", "name", "username", "score", "correct"]
    rows = [header + [f"q{index + 1}" for index in range(count)]]
    for player, rank in standings(game):
        user = player.user
        name = cell_safe(" ".join(p for p in (user.last_name, user.first_name) if p))
        rows.append(
            [
                rank,
                name,
                cell_safe(user.username),
                player.score,
                correct.get(player.pk, 0),
            ]
            + [points.get((player.pk, index), "") for index in range(count)]
        )
    return rows
