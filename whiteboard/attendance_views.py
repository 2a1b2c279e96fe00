"""The attendance form after a live lesson: shown again on GET, written on POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from school.models import User
from whiteboard import access, attendance, live

FIELD_PREFIX = "status-"
MAX_ID = 2**63 - 1  # BigAutoField: a bigger number would fail in the database


def _chosen(post) -> dict[int, str]:
    """{pupil id: "present" | "absent"} from the form's `status-<id>` radio groups."""
    chosen = {}
    for key, value in post.items():
        if not key.startswith(FIELD_PREFIX):
            continue
        pupil_id = key.removeprefix(FIELD_PREFIX)
        valid_id = pupil_id.isascii() and pupil_id.isdigit()
        if not valid_id or int(pupil_id) > MAX_ID:
            raise attendance.not_in_class_error()
        if value not in (attendance.PRESENT, attendance.ABSENT):
            raise ValidationError(_("Choose present or absent for each pupil."))
        chosen[int(pupil_id)] = value
    return chosen


def _absent_pupils(chosen: dict[int, str]) -> list[User]:
    ids = [pupil_id for pupil_id, value in chosen.items() if value == attendance.ABSENT]
    pupils = list(User.objects.filter(pk__in=ids))
    if len(pupils) != len(ids):
        raise attendance.not_in_class_error()
    return pupils


def _written_message(written: attendance.AttendanceWritten) -> str:
    message = ngettext(
        "Attendance is in the register: %(count)d pupil marked absent.",
        "Attendance is in the register: %(count)d pupils marked absent.",
        len(written.absent),
    ) % {"count": len(written.absent)}
    if written.kept:
        message += " " + ngettext(
            "%(count)d pupil already had a status entered by hand; it was kept.",
            "%(count)d pupils already had a status entered by hand; it was kept.",
            len(written.kept),
        ) % {"count": len(written.kept)}
    return message


@login_required
@require_http_methods(["GET", "POST"])
def live_attendance(request, session_id: int):
    """The ended session's proposal as a form; POST writes the absences into the
    register and goes there. A refused form comes back with the teacher's choices
    and the reason (400), having written nothing."""
    session = access.get_ended_session_to_record(request.user, session_id)
    chosen, error = None, ""
    if request.method == "POST":
        try:
            chosen = _chosen(request.POST)
            written = attendance.live_attendance_write(
                teacher=request.user, session=session, absent=_absent_pupils(chosen)
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _written_message(written))
            return redirect("attendance:register", session.lesson_id)
    context = {
        "session": session,
        "proposal": live.live_attendance_proposal(session=session),
        "chosen": chosen,
        "error": error,
    }
    return render(
        request, "whiteboard/live_ended.html", context, status=400 if error else 200
    )
