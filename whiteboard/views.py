"""Pages of live lessons: start, the teacher's console, joining, the pupil's room.

The console and the room carry the board (frontend/src/board.jsx, served from
static/board/); the session's ids reach it in data attributes.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from lessons.access import get_lesson_to_plan
from school.models import User
from whiteboard import access, live, selectors
from whiteboard.forms import JoinForm
from whiteboard.sections import lesson_sections

# The pages with the board: the platform's policy with two loosenings Excalidraw
# needs. Its stylesheet is injected as <style> elements and it positions its UI
# with style attributes (no nonce can cover either), and it draws images through
# blob: URLs. Scripts stay 'self' + nonce: its code chunks load as <script src>
# from static/board/, and the sockets are same-origin ('self' covers ws:/wss:).
BOARD_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
}


@require_POST
@login_required
def live_start(request, lesson_id: int):
    lesson = get_lesson_to_plan(request.user, lesson_id)
    session = live.live_session_start(teacher=request.user, lesson=lesson)
    return redirect("whiteboard:live_console", session_id=session.pk)


@login_required
@csp_override(BOARD_CSP)
def live_console(request, session_id: int):
    session = access.get_live_session_to_control(request.user, session_id)
    context = {
        "session": session,
        "present": selectors.live_present(session_id=session.pk),
        "pupils": selectors.class_pupils(class_group_id=session.lesson.class_group_id),
        "sections": lesson_sections(lesson=session.lesson),
    }
    return render(request, "whiteboard/live_console.html", context)


@require_POST
@login_required
def live_pen(request, session_id: int):
    """One form field decides: `take`, `everyone`, or `pupil` (an id)."""
    session = access.get_live_session_to_control(request.user, session_id)
    if "take" in request.POST:
        live.live_pen_take(teacher=request.user, session=session)
    elif "everyone" in request.POST:
        live.live_pen_give(teacher=request.user, session=session, everyone=True)
    else:
        pupil_id = request.POST.get("pupil", "")
        # live_pen_give refuses anyone but a pupil of the session's class.
        pupil = None
        if pupil_id.isdigit():
            pupil = User.objects.filter(pk=pupil_id).first()  # nosemgrep
        try:
            live.live_pen_give(teacher=request.user, session=session, pupil=pupil)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("whiteboard:live_console", session_id=session.pk)


@require_POST
@login_required
def live_end(request, session_id: int):
    """Ends the session and goes to its attendance form (a GET page: reloading it
    must not post the end again)."""
    session = access.get_live_session_to_control(request.user, session_id)
    live.live_session_end(teacher=request.user, session=session)
    return redirect("whiteboard:live_attendance", session_id=session.pk)


@login_required
def live_join(request):
    """A pupil's way in: the open sessions of their classes, or a code."""
    form = JoinForm(request.POST or None)
    if form.is_valid():
        session = selectors.live_session_find_by_code(
            user=request.user, code=form.cleaned_data["code"]
        )
        if session is not None:
            return redirect("whiteboard:live_room", session_id=session.pk)
        form.add_error("code", _("No open live lesson of your class has this code."))
    context = {
        "form": form,
        "sessions": selectors.live_sessions_open_for_pupil(pupil=request.user),
    }
    return render(request, "whiteboard/live_join.html", context)


@login_required
@csp_override(BOARD_CSP)
def live_room(request, session_id: int):
    session = access.get_live_session_to_join(request.user, session_id)
    # Every section is in the page, hidden until the teacher shows it: a push
    # then costs the pupils' screens no request.
    context = {"session": session, "sections": lesson_sections(lesson=session.lesson)}
    return render(request, "whiteboard/live_room.html", context)
