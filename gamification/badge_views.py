"""Badge pages: art, the holder's credential downloads, the public verifier,
the issuer profile and status list, and revocation. Thin: access → service."""

import json

import jwt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gamification import access
from gamification.badge_forms import RevokeForm, VerifyForm
from gamification.badges import badge_award_revoke
from gamification.models import Badge, BadgeIssuerKey
from gamification.openbadges import (
    achievement_for,
    award_verify,
    credential_bake,
    credential_issue,
    credential_verify,
    issuer_profile,
    status_list_token,
    token_from_png,
)

PUBLIC_CACHE = "public, max-age=300"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def badge_art(request, badge_id: int):
    """The badge's picture: public, as the credentials that name it are."""
    badge = get_object_or_404(Badge.objects.only("art"), pk=badge_id)
    if not badge.art:
        raise Http404("No art.")
    response = HttpResponse(bytes(badge.art), content_type="image/png")
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def badge_achievement(request, badge_id: int):
    """The badge as an OB 3.0 Achievement: the id credentials name it by."""
    badge = get_object_or_404(Badge.objects.defer("art"), pk=badge_id)
    response = JsonResponse(
        achievement_for(badge).to_dict(), json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@login_required
@require_GET
def award_detail(request, public_id):
    award = access.get_award_for_holder(request.user, public_id)
    return render(request, "gamification/badges/award.html", {"award": award})


@login_required
@require_GET
def award_credential_jwt(request, public_id):
    award = access.get_award_for_holder(request.user, public_id)
    if award.revoked_at is not None:
        return _gone(request, award)
    response = HttpResponse(
        credential_issue(award=award), content_type="application/vc+jwt"
    )
    return _attachment(response, f"badge-{award.public_id}.jwt")


@login_required
@require_GET
def award_credential_json(request, public_id):
    """The signed token and, for reading, the credential it carries."""
    award = access.get_award_for_holder(request.user, public_id)
    if award.revoked_at is not None:
        return _gone(request, award)
    token = credential_issue(award=award)
    claims = jwt.decode(token, options={"verify_signature": False})
    body = json.dumps(
        {"jwt": token, "credential": claims}, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json")
    return _attachment(response, f"badge-{award.public_id}.json")


@login_required
@require_GET
def award_baked_png(request, public_id):
    award = access.get_award_for_holder(request.user, public_id)
    if award.revoked_at is not None:
        return _gone(request, award)
    response = HttpResponse(credential_bake(award=award), content_type="image/png")
    return _attachment(response, f"badge-{award.public_id}.png")


def _gone(request, award):
    return render(
        request, "gamification/badges/revoked.html", {"award": award}, status=410
    )


@require_GET
def verify_award(request, public_id):
    """Public: anyone with the link sees whether the badge is genuine."""
    verdict = award_verify(public_id)
    status = 404 if verdict.problem == "unknown_credential" else 200
    return render(
        request,
        "gamification/badges/verify.html",
        {"verdict": verdict, "form": VerifyForm()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: checks a pasted credential or an uploaded baked PNG."""
    verdict = None
    posted = request.method == "POST"
    form = VerifyForm(request.POST, request.FILES) if posted else VerifyForm()
    if posted and form.is_valid():
        token = form.cleaned_data["token"]
        image = form.cleaned_data["image"]
        if image is not None:
            token = token_from_png(image.read())
        verdict = credential_verify(token)
    status = 400 if posted and not form.is_valid() else 200
    return render(
        request,
        "gamification/badges/verify.html",
        {"verdict": verdict, "form": form},
        status=status,
    )


def _issuer_key_or_404(school_id: int) -> BadgeIssuerKey:
    # Only schools that issued something have a key; a GET never makes one.
    key = BadgeIssuerKey.objects.select_related("school").filter(school_id=school_id)
    return get_object_or_404(key)


@require_GET
def issuer(request, school_id: int):
    """The school's OB 3.0 issuer profile, with its public key."""
    key = _issuer_key_or_404(school_id)
    response = JsonResponse(
        issuer_profile(key.school), json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@require_GET
def status_list(request, school_id: int):
    """The school's revocation list (Bitstring Status List, signed JWT-VC)."""
    key = _issuer_key_or_404(school_id)
    response = HttpResponse(
        status_list_token(key.school), content_type="application/vc+jwt"
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def award_revoke(request, public_id):
    award = access.get_award_for_revoker(request.user, public_id)
    posted = request.method == "POST"
    form = RevokeForm(request.POST) if posted else RevokeForm()
    if posted and form.is_valid():
        try:
            badge_award_revoke(
                award=award, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The badge was revoked."))
            return redirect(
                "gamification:badge_verify_award", public_id=award.public_id
            )
    status = 400 if posted else 200
    return render(
        request,
        "gamification/badges/revoke.html",
        {"award": award, "form": form},
        status=status,
    )
