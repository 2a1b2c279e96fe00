"""The rewards catalogue: pupils browse and buy; school administrators manage."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gamification import access, rewards, selectors
from gamification.forms import BuyForm, RewardForm
from school.access import administered_schools


def _catalogue(request, *, error: str = "", status: int = 200):
    context = {
        "rewards": selectors.rewards_for_pupil(request.user),
        "purchases": selectors.purchases_of(request.user),
        "account": selectors.pupil_account(request.user),
        "form_id": uuid.uuid4(),
        "error": error,
    }
    return render(request, "gamification/rewards.html", context, status=status)


@login_required
def reward_catalogue(request):
    if not access.can_buy_rewards(request.user):
        raise PermissionDenied
    return _catalogue(request)


@login_required
@require_POST
def reward_buy(request, reward_id: int):
    if not access.can_buy_rewards(request.user):
        raise PermissionDenied
    # Only rewards of the pupil's own schools are for sale to them; another
    # school's reward is not found, whatever the form says.
    if not selectors.rewards_for_pupil(request.user).filter(pk=reward_id).exists():
        return _catalogue(request, error=_("This reward is not on sale."), status=404)
    form = BuyForm(request.POST)
    if not form.is_valid():
        return _catalogue(
            request, error=_("The form was damaged; try again."), status=400
        )
    try:
        purchase = rewards.reward_buy(
            pupil=request.user,
            reward_id=reward_id,
            public_id=form.cleaned_data["form_id"],
        )
    except ValidationError as invalid:
        return _catalogue(request, error=" ".join(invalid.messages), status=409)
    messages.success(
        request, _("You bought %(reward)s.") % {"reward": purchase.reward.name}
    )
    return redirect("gamification:rewards")


def _manager_schools(user):
    schools = administered_schools(user)
    if not schools.exists():
        raise PermissionDenied
    return schools


@login_required
def reward_manage(request):
    schools = _manager_schools(request.user)
    form = RewardForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        rewards.reward_save(reward=form.save(commit=False))
        messages.success(request, _("The reward was saved."))
        return redirect("gamification:reward_manage")
    context = {
        "form": form,
        "rewards": selectors.rewards_of_schools(schools),
        "privileges": selectors.pending_privileges_of_schools(schools),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "gamification/reward_manage.html", context, status=status)


@login_required
def reward_edit(request, reward_id: int):
    schools = _manager_schools(request.user)
    reward = access.get_reward_for_manager(request.user, reward_id)
    form = RewardForm(request.POST or None, instance=reward, schools=schools)
    if request.method == "POST" and form.is_valid():
        rewards.reward_save(reward=form.save(commit=False))
        messages.success(request, _("The reward was saved."))
        return redirect("gamification:reward_manage")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "reward": reward}
    return render(request, "gamification/reward_edit.html", context, status=status)
