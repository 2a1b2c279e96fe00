"""The H5P player pages: a pupil's games, the host page and the confined frame.

The host page (`play`) embeds the frame with `sandbox="allow-scripts"` and no
`allow-same-origin`: the game runs with an opaque origin, so it cannot read the
platform's cookies or storage, its requests carry no session, and it cannot read
any response of the platform except the public H5P files (`files.py`). It talks
to the host page only by postMessage; the host page records results.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from lessons import access as lessons_access
from lessons.h5p import access
from lessons.h5p import games as games_selectors
from lessons.h5p.models import H5PPackage

# The frame's own policy (the platform's forbids framing and would be wrong here).
# - sandbox allow-scripts: an opaque origin even if the page is opened directly.
# - script-src 'self' is enough: h5p-standalone's "div" embedding loads the core
#   and the libraries as <script src>, with no eval and no inline script (the
#   "iframe" embedding would need an inline script). In Chromium, 'self' in a
#   sandboxed document still matches the URL's origin, so the player's files load;
#   the browser test plays a package under this policy.
# - style-src 'unsafe-inline': H5P libraries write style attributes in markup.
FRAME_CSP = {
    "sandbox": ["allow-scripts"],
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.NONE],
    "base-uri": [CSP.NONE],
}


@login_required
@require_safe
def games(request):
    """A pupil's games: the H5P blocks of the lessons attached to their class."""
    if not access.can_list_games(request.user):
        raise Http404("Games are for pupils.")
    found = games_selectors.games_for_pupil(request.user, today=timezone.localdate())
    return render(request, "lessons/h5p/games.html", {"games": found})


@login_required
@require_safe
def play(request, page_id: int, lesson_id: int, block_id: str):
    """The host page: the confined player frame, relaying statements and state.

    Pupils of the class play and are recorded; the class's teachers and the
    pupils' parents may open it as a preview, which records nothing.
    """
    plan = lessons_access.get_plan_for_user(request.user, page_id, lesson_id)
    block = access.get_h5p_block(plan, block_id)
    package = block.value["package"]
    if package is None:
        raise Http404("This game was removed from the library.")
    context = {
        "plan": plan,
        "lesson": plan.lesson,
        "page": plan.taught_page,
        "block_id": block_id,
        "package": package,
        "title": block.value["title"] or package.title,
        "records": access.can_play(request.user, plan),
    }
    return render(request, "lessons/h5p/play.html", context)


def _file_url(path: str) -> str:
    return reverse("lessons:h5p_file", args=[path])


@require_safe
@csp_override(FRAME_CSP)
@xframe_options_sameorigin
def frame(request, directory):
    """The sandboxed frame document that runs h5p-standalone for a package.

    Public: it holds no personal data (the package's files are public by their
    unguessable directory); 404 for an unknown package.
    """
    package = H5PPackage.objects.filter(directory=directory).first()  # nosemgrep
    if package is None:
        raise Http404("No such game.")
    context = {
        "package": package,
        "content": _file_url(f"content/{package.directory}"),
        "libraries": _file_url("libraries"),
        "player": _file_url("player"),
    }
    response = render(request, "lessons/h5p/frame.html", context)
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-cache"
    return response
