"""What a question type's scorer returns, or raises when it cannot score."""

from dataclasses import dataclass


class Malformed(Exception):  # noqa: N818 - a verdict on the input, not a crash
    """The response cannot come from the content: the attempt is not verified."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Score:
    raw: int
    max: int
    success: bool | None = None


def percent_passed(raw: int, max_score: int, pass_percentage: float) -> bool:
    """H5P's `100 * raw / max >= passPercentage` (an empty task passes)."""
    if max_score <= 0:
        return True
    return 100 * raw / max_score >= pass_percentage


def number(value, default):
    """A content.json number, or the JS default when it is missing or not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return value
