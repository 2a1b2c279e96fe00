"""How an answer is scored: Kahoot's formula, by the server's clock.

- A correct answer earns round(1000 × (1 − (response time / time limit) / 2)):
  1000 for an instant answer, 500 at the last moment; a wrong answer or none, 0.
- Answer streak: the n-th correct answer in a row adds 100 × (n − 1), at most
  500 (the 2nd in a row +100 … the 6th and later +500). A wrong or missing answer
  starts the streak again.
- Ledger points: an answer worth P game points awards round(P / 100) points
  (0 to 15), and the winner of the game (every player sharing the top score, if
  above 0) another WIN_POINTS.
"""

BASE = 1000
STREAK_STEP, STREAK_MAX = 100, 500
WIN_POINTS = 10


def answer_points(
    *, correct: bool, response_ms: int, time_limit_s: int, streak: int
) -> int:
    """Game points for one answer; `streak` counts this answer if it is correct."""
    if not correct:
        return 0
    fraction = min(max(response_ms / (time_limit_s * 1000), 0.0), 1.0)
    bonus = min(STREAK_STEP * max(streak - 1, 0), STREAK_MAX)
    return round(BASE * (1 - fraction / 2)) + bonus


def ledger_points(game_points: int) -> int:
    return round(game_points / 100)


def competition_ranks(scores: list[int]) -> list[int]:
    """Ranks for scores sorted high to low, ties sharing a rank: 1, 1, 3."""
    ranks: list[int] = []
    for position, score in enumerate(scores):
        tied = position and scores[position - 1] == score
        ranks.append(ranks[-1] if tied else position + 1)
    return ranks
