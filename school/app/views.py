"""The installed app's public files: the favicon, the icons, the manifest, the
service worker and its offline page. They name no one and are the same for
everyone."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from school.app import help, icons, services

A_DAY = 24 * 60 * 60


@require_safe
@cache_control(public=True, max_age=A_DAY)
def favicon(request):
    return HttpResponse(icons.favicon_ico(), content_type="image/x-icon")


@require_safe
@cache_control(public=True, max_age=A_DAY)
def icon(request, size: int, maskable: bool = False):
    if size not in icons.SIZES:
        raise Http404("No icon of that size.")
    return HttpResponse(
        icons.icon_png(size, maskable=maskable), content_type="image/png"
    )


@require_safe
@cache_control(public=True, max_age=A_DAY)
def manifest(request):
    """The web app manifest: the city's "mobile education" app on a home screen."""
    icon = [
        {
            "src": reverse("app_icon", args=[size]),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in (192, 512)
    ]
    maskable = {
        "src": reverse("app_icon_maskable", args=[512]),
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    }
    data = {
        "name": _("City school"),
        "short_name": _("School"),
        "description": _(
            "Diary, homework, timetable and live lessons of the city's schools."
        ),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f8",
        "theme_color": "#c8102e",
        "icons": [*icon, maskable],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, from the site's root so that it serves every page.
    Browsers check it for updates on each visit (no-cache)."""
    path = finders.find("school/sw.js")
    with open(path, "rb") as source:
        return HttpResponse(source.read(), content_type="text/javascript")


@require_safe
def offline(request):
    """What the app shows for a page it cannot fetch without a network."""
    return render(request, "school/app/offline.html")


@require_safe
def help_page(request):
    """«Help»: how to do the first things, in plain words, for the person's roles."""
    return render(
        request, "school/app/help.html", {"topics": help.topics_for(request.user)}
    )


@login_required
@require_POST
def tour_done(request):
    """The person ended or finished the first-day tour."""
    services.tour_finish(user=request.user)
    return HttpResponse(status=204)
