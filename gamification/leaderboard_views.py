"""Leaderboards of a class (pupils and teams) and of a school."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gamification import access, leaderboards


def _period(request, school):
    kind = request.GET.get("period", leaderboards.WEEK)
    if kind not in leaderboards.PERIODS:
        kind = leaderboards.WEEK
    return kind, leaderboards.period_for(kind, school=school)


def _own_ids(user) -> set[int]:
    """The viewer and, for a parent, their children: rows always named."""
    return {user.pk, *user.guardianships.values_list("pupil_id", flat=True)}


@login_required
def class_leaderboard(request, class_id: int):
    class_group, view = access.get_class_for_board(request.user, class_id)
    kind, period = _period(request, class_group.school)
    rows = teams = []
    if period is not None:
        rows = leaderboards.rows_shown(
            leaderboards.class_board(class_group, period),
            view=view,
            own_ids=_own_ids(request.user),
        )
        if view == access.BoardView.MEMBER:
            teams = leaderboards.team_board(class_group, period)
    context = {
        "scope": "class",
        "class_group": class_group,
        "school": class_group.school,
        "kind": kind,
        "period": period,
        "rows": rows,
        "teams": teams,
    }
    return render(request, "gamification/leaderboard.html", context)


@login_required
def school_leaderboard(request, school_id: int):
    school, view = access.get_school_for_board(request.user, school_id)
    kind, period = _period(request, school)
    rows = []
    if period is not None:
        rows = leaderboards.rows_shown(
            leaderboards.school_board(school, period),
            view=view,
            own_ids=_own_ids(request.user),
        )
    context = {
        "scope": "school",
        "school": school,
        "kind": kind,
        "period": period,
        "rows": rows,
    }
    return render(request, "gamification/leaderboard.html", context)
