"""A pupil's own points page, its read-only copy for parents, and the entry
page of the "Points" link."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gamification import access, class_points, selectors
from gamification.forms import HideNameForm
from gamification.models import Streak
from gamification.progress import city_today, level_for, streak_current
from school.models import ClassGroup, Enrolment, Role


def _progress(pupil) -> dict:
    account = selectors.pupil_account(pupil)
    level = level_for(account.xp)
    streak = Streak.objects.filter(pupil=pupil).first()
    classes = ClassGroup.objects.filter(
        pk__in=Enrolment.objects.current().filter(pupil=pupil).values("class_group")
    ).select_related("school")
    return {
        "pupil": pupil,
        "account": account,
        "level": level,
        "level_percent": int(level.progress * 100),
        "streak": streak_current(streak, today=city_today()),
        "entries": selectors.pupil_recent_entries(pupil),
        "badges": selectors.badges_of(pupil),
        "classes": classes,
    }


@login_required
def points_home(request):
    """Where the "Points" link leads: a pupil's own page, a parent's children, a
    teacher's classes."""
    user = request.user
    if user.has_role(Role.PUPIL):
        return redirect("gamification:me")
    children = [g.pupil for g in user.guardianships.select_related("pupil")]
    if user.has_role(Role.PARENT) and len(children) == 1:
        return redirect("gamification:child", pupil_id=children[0].pk)
    classes = []
    if user.has_role(Role.TEACHER):
        classes = ClassGroup.objects.filter(
            pk__in=user.teaching_assignments.values("class_group")
        ) | ClassGroup.objects.filter(homeroom_teacher=user)
        classes = classes.distinct().order_by("grade", "letter")
    context = {
        "children": children if user.has_role(Role.PARENT) else [],
        "classes": classes,
    }
    return render(request, "gamification/home.html", context)


@login_required
def me(request):
    if not request.user.has_role(Role.PUPIL):
        raise PermissionDenied
    context = _progress(request.user)
    context["own"] = True
    context["hide_form"] = HideNameForm(
        initial=selectors.pupil_name_choices(request.user)
    )
    return render(request, "gamification/progress.html", context)


@login_required
@require_POST
def me_privacy(request):
    if not request.user.has_role(Role.PUPIL):
        raise PermissionDenied
    form = HideNameForm(request.POST)
    form.is_valid()  # an unticked box is simply False
    class_points.hide_name_set(
        pupil=request.user,
        hide=form.cleaned_data.get("hide_name", False),
        show_in_school=form.cleaned_data.get("show_name_in_school", False),
    )
    return redirect("gamification:me")


@login_required
def child(request, pupil_id: int):
    pupil = access.get_child_for_parent(request.user, pupil_id)
    context = _progress(pupil)
    context["own"] = False
    return render(request, "gamification/progress.html", context)
