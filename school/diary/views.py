"""Diary pages: a pupil's week, one day of it (for live updates), the term summary."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from school.diary import access, selectors, summary


def _asked_week(request) -> datetime.date:
    """The Monday of `?week=YYYY-MM-DD`; this week when absent or malformed."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return selectors.week_start(day)


def _page_context(request, pupil_id: int) -> dict:
    children = access.children_for_switcher(request.user)
    pupil = access.get_diary_pupil_for_user(request.user, pupil_id, known=children)
    return {"pupil": pupil, "children": children if len(children) > 1 else []}


@login_required
def diary_home(request):
    children = access.children_for_switcher(request.user)
    pupil_id = access.own_diary_pupil_id(request.user, children)
    if pupil_id is None:
        raise Http404("No diary to show.")
    return redirect("diary:week", pupil_id=pupil_id)


@login_required
def week(request, pupil_id: int):
    context = _page_context(request, pupil_id)
    monday = _asked_week(request)
    context["week"] = selectors.diary_week(context["pupil"], monday)
    context["this_week"] = selectors.week_start(timezone.localdate())
    return render(request, "school/diary/week.html", context)


@login_required
def day(request, pupil_id: int, date: str):
    """One day's HTML fragment, which the open page swaps in on a live event."""
    pupil = access.get_diary_pupil_for_user(request.user, pupil_id)
    try:
        when = datetime.date.fromisoformat(date)
    except ValueError as error:
        raise Http404("No such day.") from error
    [diary_day] = selectors.diary_days(pupil, when, when)
    context = {"pupil": pupil, "day": diary_day}
    return render(request, "school/diary/_day.html", context)


@login_required
def term_summary(request, pupil_id: int):
    context = _page_context(request, pupil_id)
    context["summary"] = summary.term_summary(context["pupil"])
    context["chart"] = summary.chart_data(context["summary"])
    return render(request, "school/diary/summary.html", context)
