"""The class points page: a teacher awards skills, reverses, forms teams."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gamification import access, leaderboards, selectors
from gamification import class_points as services
from gamification.forms import AwardForm, SkillForm, TeamForm
from gamification.models import Team
from gamification.rewards import purchase_give


def _page(request, class_group, *, award_form=None, skill_form=None, team_form=None):
    pupils = list(selectors.class_pupils(class_group))
    skills = list(selectors.class_skills(class_group))
    award_form = award_form or AwardForm(
        initial={"form_id": uuid.uuid4()}, pupils=pupils, skills=skills
    )
    period = leaderboards.period_for(leaderboards.WEEK, school=class_group.school)
    teams = Team.objects.filter(class_group=class_group).prefetch_related(
        "members__pupil"
    )
    context = {
        "class_group": class_group,
        "pupils": pupils,
        "skills": skills,
        "award_form": award_form,
        "skill_form": skill_form or SkillForm(),
        "team_form": team_form or TeamForm(pupils=pupils),
        "entries": selectors.class_recent_entries(class_group),
        "teams": teams,
        "team_rows": leaderboards.team_board(class_group, period),
        "privileges": selectors.pending_privileges_in_class(class_group),
    }
    bad = any(f is not None for f in (award_form, skill_form, team_form))
    status = 400 if bad and request.method == "POST" else 200
    return render(request, "gamification/class_points.html", context, status=status)


@login_required
def class_points(request, class_id: int):
    class_group = access.get_class_for_points_teacher(request.user, class_id)
    return _page(request, class_group)


@login_required
@require_POST
def class_award(request, class_id: int):
    class_group = access.get_class_for_points_teacher(request.user, class_id)
    pupils = list(selectors.class_pupils(class_group))
    skills = list(selectors.class_skills(class_group))
    form = AwardForm(request.POST, pupils=pupils, skills=skills)
    if not form.is_valid():
        return _page(request, class_group, award_form=form)
    chosen = [p for p in pupils if p.pk in set(form.cleaned_data["pupils"])]
    skill = access.get_skill_for_class(class_group, form.cleaned_data["skill"])
    entries = services.class_award(
        class_group=class_group,
        pupils=chosen,
        skill=skill,
        by=request.user,
        form_id=form.cleaned_data["form_id"],
    )
    messages.success(
        request,
        _("%(skill)s: points given to %(count)d pupils.")
        % {"skill": skill.name, "count": len(entries)},
    )
    return redirect("gamification:class_points", class_id=class_group.pk)


@login_required
@require_POST
def class_reverse(request, class_id: int, entry_id: int):
    class_group = access.get_class_for_points_teacher(request.user, class_id)
    entry = access.get_class_entry(class_group, entry_id)
    try:
        services.class_reverse(entry=entry, by=request.user)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, _("The points were taken back."))
    return redirect("gamification:class_points", class_id=class_group.pk)


@login_required
@require_POST
def skill_add(request, class_id: int):
    class_group = access.get_class_for_points_teacher(request.user, class_id)
    form = SkillForm(request.POST)
    if not form.is_valid():
        return _page(request, class_group, skill_form=form)
    services.skill_add(class_group=class_group, **form.cleaned_data)
    return redirect("gamification:class_points", class_id=class_group.pk)


@login_required
@require_POST
def skill_archive(request, class_id: int, skill_id: int):
    class_group = access.get_class_for_points_teacher(request.user, class_id)
    skill = access.get_skill_for_class(class_group, skill_id)
    if skill.class_group_id != class_group.pk:
        # A school-wide skill belongs to the school's administrators.
        messages.error(request, _("Only the school can archive a school skill."))
    else:
        services.skill_archive(skill=skill)
    return redirect("gamification:class_points", class_id=class_group.pk)


@login_required
@require_POST
def team_add(request, class_id: int):
    class_group = access.get_class_for_points_teacher(request.user, class_id)
    pupils = list(selectors.class_pupils(class_group))
    form = TeamForm(request.POST, pupils=pupils)
    if not form.is_valid():
        return _page(request, class_group, team_form=form)
    chosen = [p for p in pupils if p.pk in set(form.cleaned_data["pupils"])]
    services.team_form(
        class_group=class_group, name=form.cleaned_data["name"], pupils=chosen
    )
    return redirect("gamification:class_points", class_id=class_group.pk)


@login_required
@require_POST
def team_delete(request, class_id: int, team_id: int):
    class_group = access.get_class_for_points_teacher(request.user, class_id)
    team = get_object_or_404(Team, pk=team_id, class_group=class_group)
    services.team_delete(team=team)
    return redirect("gamification:class_points", class_id=class_group.pk)


@login_required
@require_POST
def purchase_given(request, purchase_id: int):
    purchase = access.get_purchase_for_giver(request.user, purchase_id)
    purchase_give(purchase_id=purchase.pk, by=request.user)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("gamification:home")
