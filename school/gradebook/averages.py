"""Weighted term averages and the final mark they suggest (plain data, no queries)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import pgettext

from school.models import Scale


def mark_display(scale: str, value: int) -> str:
    """How a mark reads in the grid: the number, or pass/fail words."""
    if scale == Scale.PASS_FAIL:
        if value:
            return pgettext("pass/fail mark", "pass")
        return pgettext("pass/fail mark", "fail")
    return str(value)


@dataclass(frozen=True)
class Average:
    """A pupil's average for a subject in a term.

    Numeric scales: `value` is the mean weighted by the work types' weights.
    Pass/fail: `value` is the share of passes (weights do not apply), shown as
    "passed/count".
    """

    scale: str
    value: Decimal | None
    count: int
    passed: int = 0

    @property
    def display(self) -> str:
        if self.value is None:
            return ""
        if self.scale == Scale.PASS_FAIL:
            return f"{self.passed}/{self.count}"
        places = Decimal("0.01") if self.scale == Scale.FIVE_POINT else Decimal("0.1")
        return str(self.value.quantize(places, rounding=ROUND_HALF_UP))

    @property
    def suggested(self) -> int | None:
        """The final mark a teacher would usually give: 4.5 rounds up to 5."""
        if self.value is None:
            return None
        if self.scale == Scale.PASS_FAIL:
            return 1 if 2 * self.passed >= self.count else 0
        return int(self.value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def weighted_average(scale: str, marks: Iterable[tuple[int, int]]) -> Average:
    """`marks` are (value, weight) pairs of one scale."""
    pairs = list(marks)
    if not pairs:
        return Average(scale=scale, value=None, count=0)
    if scale == Scale.PASS_FAIL:
        passed = sum(1 for value, _weight in pairs if value)
        value = Decimal(passed) / Decimal(len(pairs))
        return Average(scale=scale, value=value, count=len(pairs), passed=passed)
    total = sum(Decimal(value) * weight for value, weight in pairs)
    weights = sum(weight for _value, weight in pairs)
    return Average(scale=scale, value=total / weights, count=len(pairs))
