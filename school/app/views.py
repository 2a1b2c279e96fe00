"""The app's public files: the favicon and the icons. They name no one and are
the same for everyone, so browsers may keep them for a day."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from school.app import icons

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
