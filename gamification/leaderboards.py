"""Leaderboards: who earned most XP in a class, a school or a class's teams.

The score of a period is the sum of the XP of the pupil's entries created in
it, wherever the points were earned (games and quizzes carry no class): awards
count positive, a reversal counts negative in the period it was made (so an
award reversed in the same week cancels out), purchases count nothing (they
carry no XP). Each board is one query; ranks are shared on a tie.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from gamification.models import PointsEntry, PupilGamificationSettings, Team
from gamification.models.teams import TeamMembership
from gamification.progress import city_today
from school.models import ClassGroup, Enrolment, School, Term, User

WEEK, TERM = "week", "term"
PERIODS = (WEEK, TERM)


@dataclass(frozen=True)
class Period:
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date  # inclusive

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes [start, end) of the period's days in the city."""
        start = datetime.datetime.combine(self.starts_on, datetime.time.min)
        end = datetime.datetime.combine(
            self.ends_on + datetime.timedelta(days=1), datetime.time.min
        )
        return timezone.make_aware(start), timezone.make_aware(end)


def period_for(kind: str, *, school: School, today=None) -> Period | None:
    """This week (Monday to Sunday in the city) or the school's current term;
    None when the school has no term today."""
    today = today or city_today()
    if kind == WEEK:
        monday = today - datetime.timedelta(days=today.weekday())
        return Period(WEEK, monday, monday + datetime.timedelta(days=6))
    term = (
        Term.objects.filter(
            academic_year__school=school, starts_on__lte=today, ends_on__gte=today
        )
        .order_by("starts_on")
        .first()
    )
    return term and Period(TERM, term.starts_on, term.ends_on)


@dataclass(frozen=True)
class Row:
    rank: int
    pupil_id: int | None
    name: str
    score: int
    hidden: bool = False


def _xp_in(period: Period, pupil_ref) -> Coalesce:
    start, end = period.bounds
    total = (
        PointsEntry.objects.filter(
            pupil_id=pupil_ref, created_at__gte=start, created_at__lt=end
        )
        .order_by()
        # SUM without GROUP BY: one number per outer row.
        .annotate(total=Func(F("xp"), function="SUM"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def _ranked(rows) -> list[Row]:
    ranked, rank, previous = [], 0, None
    for position, (pupil_id, name, score, hidden) in enumerate(rows, start=1):
        if score != previous:
            rank, previous = position, score
        ranked.append(Row(rank, pupil_id, name, score, hidden))
    return ranked


def _pupil_board(pupils, period: Period, *, names_opt_in: bool = False) -> list[Row]:
    """Ranked pupils; `hidden` where the pupil hid their name, and, on a board
    where names are opt-in, wherever the pupil did not choose to show it."""
    prefs = PupilGamificationSettings.objects.filter(pupil_id=OuterRef("pk"))
    if names_opt_in:
        chose_to_show = prefs.filter(hide_name=False, show_name_in_school=True)
        hide = Case(When(Exists(chose_to_show), then=Value(False)), default=True)
    else:
        hide = Coalesce(Subquery(prefs.values("hide_name")[:1]), Value(value=False))
    rows = (
        pupils.annotate(
            score=_xp_in(period, OuterRef("pk")),
            hide=hide,
        )
        .order_by("-score", "last_name", "first_name", "pk")
        .values_list("pk", "last_name", "first_name", "score", "hide")
    )
    return _ranked(
        (pk, f"{first} {last}".strip(), score, hide)
        for pk, last, first, score, hide in rows
    )


def class_board(class_group: ClassGroup, period: Period) -> list[Row]:
    """The class's pupils (enrolled today) by XP in the period. One query."""
    pupils = User.objects.filter(
        pk__in=Enrolment.objects.current()
        .filter(class_group=class_group)
        .values("pupil_id")
    )
    return _pupil_board(pupils, period)


def school_board(school: School, period: Period) -> list[Row]:
    """The school's pupils (enrolled today) by XP in the period, named only
    where they chose to be (`show_name_in_school`). One query."""
    pupils = User.objects.filter(
        pk__in=Enrolment.objects.current()
        .filter(class_group__school=school)
        .values("pupil_id")
    )
    return _pupil_board(pupils, period, names_opt_in=True)


def team_board(class_group: ClassGroup, period: Period) -> list[Row]:
    """The class's teams by their members' XP in the period. One query."""
    start, end = period.bounds
    members = TeamMembership.objects.filter(team_id=OuterRef(OuterRef("pk")))
    total = (
        PointsEntry.objects.filter(
            pupil_id__in=members.values("pupil_id"),
            created_at__gte=start,
            created_at__lt=end,
        )
        .order_by()
        .annotate(total=Func(F("xp"), function="SUM"))
        .values("total")
    )
    teams = (
        Team.objects.filter(class_group=class_group)
        .annotate(
            score=Coalesce(Subquery(total, output_field=IntegerField()), Value(0))
        )
        .order_by("-score", "name", "pk")
        .values_list("pk", "name", "score")
    )
    return _ranked((None, name, score, False) for _pk, name, score in teams)


@dataclass(frozen=True)
class ShownRow:
    rank: int
    score: int
    name: str | None  # None: render anonymous ("Hidden" / "Pupil #rank")
    mine: bool  # the viewer, or the viewer's child


def rows_shown(rows: list[Row], *, view: str, own_ids: set[int]) -> list[ShownRow]:
    """What a viewer may read: names of pupils who did not hide them (members)
    or only of their own children (parents); their own rows always named."""
    from gamification.access import BoardView

    shown = []
    for row in rows:
        mine = row.pupil_id in own_ids
        visible = mine or (view == BoardView.MEMBER and not row.hidden)
        shown.append(ShownRow(row.rank, row.score, row.name if visible else None, mine))
    return shown
