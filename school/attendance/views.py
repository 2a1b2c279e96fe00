"""Attendance pages: today's lessons, a lesson's register, parents' notices."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from school import access as school_access
from school.attendance import access, selectors, services
from school.attendance.forms import AbsenceNoticeForm, RegisterForm
from school.models import Role, User


def _day(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def today(request):
    user = request.user
    if not (school_access.is_signed_in(user) and user.has_role(Role.TEACHER)):
        raise Http404("No register.")
    day = _day(request)
    lessons = selectors.lessons_to_register(teacher=user, day=day)
    context = {
        "day": day,
        "lessons": lessons,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
    }
    return render(request, "school/attendance/today.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _register_post(request, lesson):
    form = RegisterForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose present, absent, late or excused."))
    # The register service refuses a pupil who was not in the class that day.
    pupil = User.objects.filter(pk=form.cleaned_data["pupil"]).first()  # nosemgrep
    if pupil is None:
        raise ValidationError(_("This pupil was not in the class on that day."))
    shown = services.attendance_set(
        teacher=request.user,
        lesson=lesson,
        pupil=pupil,
        status=form.cleaned_data["status"],
    )
    return pupil, shown


@login_required
def register(request, lesson_id: int):
    """The register of one lesson; POST records one pupil (JSON for the script)."""
    lesson = access.get_lesson_for_register(request.user, lesson_id)
    if request.method == "POST":
        try:
            pupil, shown = _register_post(request, lesson)
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            if _wants_json(request):
                return JsonResponse({"error": message}, status=400)
            messages.error(request, message)
            return redirect("attendance:register", lesson.pk)
        if _wants_json(request):
            letter = str(selectors.LETTERS[shown])
            return JsonResponse({"pupil": pupil.pk, "status": shown, "letter": letter})
        url = reverse("attendance:register", args=[lesson.pk])
        return redirect(f"{url}#pupil-{pupil.pk}")
    context = {
        "lesson": lesson,
        "lines": selectors.lesson_register(lesson=lesson),
        "choices": selectors.STATUS_CHOICES,
    }
    return render(request, "school/attendance/register.html", context)


@login_required
def notices(request):
    """A parent's absence notices for their children, and the form for a new one."""
    if not access.is_parent(request.user):
        raise Http404("No notices.")
    form = AbsenceNoticeForm(request.POST or None, parent=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_notice_create(parent=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", [str(error)]))
        else:
            messages.success(request, _("The school will see the absence as excused."))
            return redirect("attendance:notices")
    context = {
        "form": form,
        "notices": selectors.notices_of_parent(parent=request.user),
    }
    return render(request, "school/attendance/notices.html", context)
