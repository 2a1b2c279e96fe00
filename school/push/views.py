"""Turning pushes on: the device's subscription (from push.js) and the page of
what to hear about and when not to."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from school.models import PushQuietHours, PushTopic
from school.push import access, keys, services
from school.push.forms import PushSettingsForm

BODY_MAX = 4000


def _followable(user):
    pupils = access.followable_pupils(user)
    if not pupils.exists():
        raise Http404("Pushes are for pupils and parents.")
    return pupils


@login_required
def push_settings(request):
    pupils = _followable(request.user)
    chosen = set(
        PushTopic.objects.filter(user=request.user).values_list("pupil_id", "kind")
    )
    quiet = PushQuietHours.objects.filter(user=request.user).first()
    initial = (
        {"quiet_from": quiet.starts_at, "quiet_to": quiet.ends_at} if quiet else {}
    )
    form = PushSettingsForm(
        request.POST or None, pupils=pupils, chosen=chosen, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        for pupil in form.pupils:
            services.topics_set(
                user=request.user, pupil=pupil, kinds=form.kinds_of(pupil)
            )
        services.quiet_hours_set(
            user=request.user,
            starts_at=form.cleaned_data["quiet_from"],
            ends_at=form.cleaned_data["quiet_to"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("push_settings")
    context = {"form": form, "server_key": keys.application_server_key()}
    return render(request, "school/push/settings.html", context)


def _subscription(request) -> dict:
    if len(request.body) > BODY_MAX:
        raise ValidationError(_("This is not a push service's subscription."))
    try:
        data = json.loads(request.body)
        return {
            "endpoint": str(data["endpoint"]),
            "p256dh": str(data["keys"]["p256dh"]),
            "auth": str(data["keys"]["auth"]),
        }
    except (ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            _("This is not a push service's subscription.")
        ) from error


@login_required
@require_POST
def subscription_add(request):
    """The device's PushSubscription as the browser gives it (JSON)."""
    _followable(request.user)
    try:
        services.subscription_save(user=request.user, **_subscription(request))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"ok": True}, status=201)


@login_required
@require_POST
def subscription_remove(request):
    try:
        endpoint = _subscription(request)["endpoint"]
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    services.subscription_remove(user=request.user, endpoint=endpoint)
    return JsonResponse({"ok": True})
