"""Levels from XP and the daily streak with freezes."""

import datetime

import pytest

from gamification import progress

MONDAY = datetime.date(2026, 11, 23)


def day(n: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("xp", "number", "floor", "next_at"),
    [
        (0, 1, 0, 50),
        (49, 1, 0, 50),
        (50, 2, 50, 120),
        (2500, 12, 2500, 2950),
        (3000, 13, 2950, 3400),
        (-5, 1, 0, 50),
    ],
)
def test_levels_follow_the_thresholds(xp, number, floor, next_at):
    level = progress.level_for(xp)
    assert (level.number, level.floor, level.next) == (number, floor, next_at)
    assert 0 <= level.progress < 1


def test_the_city_day_is_moscows_not_utc():
    late_evening_utc = datetime.datetime(2026, 11, 23, 22, 30, tzinfo=datetime.UTC)
    assert progress.city_today(late_evening_utc) == datetime.date(2026, 11, 24)


@pytest.mark.django_db
class TestStreak:
    def record(self, pupil, n: int):
        return progress.streak_record_activity(pupil=pupil, day=day(n))

    def test_consecutive_days_count_once_each(self, city):
        for n in (0, 0, 1, 2):
            streak = self.record(city.pupil_in, n)
        assert (streak.current, streak.longest) == (3, 3)

    def test_a_missed_day_without_a_freeze_starts_again(self, city):
        self.record(city.pupil_in, 0)
        self.record(city.pupil_in, 1)
        streak = self.record(city.pupil_in, 3)
        assert (streak.current, streak.longest) == (1, 2)

    def test_a_week_earns_a_freeze_that_covers_a_missed_day(self, city):
        for n in range(7):
            streak = self.record(city.pupil_in, n)
        assert (streak.current, streak.freezes) == (7, 1)
        assert progress.streak_current(streak, today=day(8)) == 7
        streak = self.record(city.pupil_in, 8)  # day 7 missed
        assert (streak.current, streak.freezes) == (8, 0)
        assert progress.streak_current(streak, today=day(10)) == 0

    def test_freezes_are_capped(self, city):
        for n in range(35):
            streak = self.record(city.pupil_in, n)
        assert streak.freezes == progress.FREEZES_KEPT

    def test_an_earlier_day_changes_nothing(self, city):
        self.record(city.pupil_in, 5)
        streak = self.record(city.pupil_in, 4)
        assert (streak.current, streak.last_day) == (1, day(5))
