"""Levels from XP, and the daily streak in the city's time zone."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gamification.models import Streak
from school.models import User

# XP needed for each level, from level 1; past the table every level costs the
# last step again.
LEVEL_XP = (0, 50, 120, 220, 350, 520, 740, 1000, 1300, 1650, 2050, 2500)
# A freeze is earned every this many days of streak, and at most this many kept.
FREEZE_EVERY_DAYS = 7
FREEZES_KEPT = 2


@dataclass(frozen=True)
class Level:
    number: int
    xp: int
    floor: int  # XP at which this level began
    next: int  # XP at which the next one begins

    @property
    def progress(self) -> float:
        """How far into this level, from 0 to 1."""
        return (self.xp - self.floor) / (self.next - self.floor)


def level_for(xp: int) -> Level:
    thresholds = getattr(settings, "GAMIFICATION_LEVEL_XP", LEVEL_XP)
    xp = max(xp, 0)
    number = sum(1 for threshold in thresholds if xp >= threshold)
    if number < len(thresholds):
        return Level(number, xp, thresholds[number - 1], thresholds[number])
    step = thresholds[-1] - thresholds[-2]
    beyond = (xp - thresholds[-1]) // step
    floor = thresholds[-1] + beyond * step
    return Level(len(thresholds) + beyond, xp, floor, floor + step)


def city_today(at: datetime.datetime | None = None) -> datetime.date:
    """The day in the city's time zone (settings.TIME_ZONE), which is the day
    pupils live in wherever the server runs."""
    return timezone.localdate(at or timezone.now())


@transaction.atomic
def streak_record_activity(*, pupil: User, day: datetime.date) -> Streak:
    """Counts `day` in the pupil's streak: the same day again changes nothing, the
    next day adds one, a gap that freezes can bridge uses them up, a longer gap
    starts again at one. Days before the last one counted change nothing."""
    Streak.objects.bulk_create([Streak(pupil=pupil)], ignore_conflicts=True)
    streak = Streak.objects.select_for_update().get(pupil=pupil)
    if streak.last_day is not None and day <= streak.last_day:
        return streak
    missed = 0 if streak.last_day is None else (day - streak.last_day).days - 1
    if streak.last_day is not None and missed <= streak.freezes:
        streak.freezes -= missed
        streak.current += 1
    else:
        streak.current = 1
    if streak.current % FREEZE_EVERY_DAYS == 0:
        streak.freezes = min(streak.freezes + 1, FREEZES_KEPT)
    streak.longest = max(streak.longest, streak.current)
    streak.last_day = day
    streak.save()
    return streak


def streak_current(streak: Streak | None, *, today: datetime.date) -> int:
    """The streak as the pupil sees it today: still alive while the days missed
    since the last one can be covered by freezes (today itself may still come)."""
    if streak is None or streak.last_day is None:
        return 0
    missed = (today - streak.last_day).days - 1
    return streak.current if missed <= streak.freezes else 0
