"""Pages of the live quiz: joining by code, the player's and the host's screens,
and the host's CSV export. The game itself runs over ws/quiz/<id>/."""

import csv

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gamification import access
from gamification.quiz import export, services

CODE_MAX_LENGTH = 12


@login_required
def quiz_join(request):
    code = (request.POST.get("code") or request.GET.get("code", ""))[:CODE_MAX_LENGTH]
    error, status = None, 200
    if request.method == "POST":
        try:
            player = services.quiz_join(user=request.user, code=code)
        except services.JoinRateLimited:
            error = _("Too many tries. Wait a minute, then try again.")
            status = 429
        except PermissionDenied:
            error = _("Only pupils of the game's class can join this game.")
            status = 403
        except ValidationError as invalid:
            error, status = " ".join(invalid.messages), 400
        else:
            return redirect("gamification:quiz_play", game_id=player.game_id)
    context = {"code": code, "error": error}
    return render(request, "gamification/quiz/join.html", context, status=status)


@login_required
def quiz_play(request, game_id: int):
    game, player = access.get_quiz_for_player(request.user, game_id)
    context = {"game": game, "player": player}
    return render(request, "gamification/quiz/play.html", context)


def _join_qr(request, code: str) -> str:
    url = request.build_absolute_uri(reverse("gamification:quiz_join"))
    qr = segno.make_qr(f"{url}?code={code}", error="m")
    # segno writes the SVG itself from our own URL: nothing user-made goes in.
    return mark_safe(qr.svg_inline(scale=8, omitsize=True))  # nosec B308 B703  # noqa: S308  # nosemgrep


@login_required
def quiz_host(request, game_id: int):
    game = access.get_quiz_for_host(request.user, game_id)
    join_url = request.build_absolute_uri(reverse("gamification:quiz_join"))
    context = {"game": game, "qr": _join_qr(request, game.code), "join_url": join_url}
    return render(request, "gamification/quiz/host.html", context)


@login_required
def quiz_results_csv(request, game_id: int):
    game = access.get_quiz_for_host(request.user, game_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quiz-{game.pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the BOM
    csv.writer(response).writerows(export.results_rows(game))
    return response
