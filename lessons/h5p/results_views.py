"""xAPI intake, resume state and the teacher's results of an H5P activity.

The JSON endpoints are called by the host page (session cookie and CSRF token;
the sandboxed game itself has neither). Anyone but a pupil of the class gets
404, as does anyone but the class's teachers and school administrators on the
results page.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from lessons import access as lessons_access
from lessons import selectors as lessons_selectors
from lessons.h5p import access, grading, intake, selectors
from lessons.h5p.models import CountedAttempt
from school import access as school_access
from school.models import WorkType
from school.models.journal import Scale

BODY_MAX_BYTES = 256 * 1024


def _player_plan(request, page_id: int, lesson_id: int):
    plan = lessons_access.get_plan_for_user(request.user, page_id, lesson_id)
    if not access.can_play(request.user, plan):
        raise Http404("No such game.")
    return plan


def _json_body(request) -> dict:
    declared = request.headers.get("Content-Length", "0")
    if (declared.isdigit() and int(declared) > BODY_MAX_BYTES) or len(
        request.body
    ) > BODY_MAX_BYTES:
        raise ValidationError(
            _("The request is larger than %(kib)d KiB.")
            % {"kib": BODY_MAX_BYTES // 1024},
            code="too_big",
        )
    try:
        payload = json.loads(request.body)
    except ValueError as error:
        raise ValidationError(_("The request is not valid JSON.")) from error
    if not isinstance(payload, dict):
        raise ValidationError(_("The request must be a JSON object."))
    return payload


def _error(error: ValidationError) -> JsonResponse:
    status = 413 if getattr(error, "code", None) == "too_big" else 400
    return JsonResponse({"error": " ".join(error.messages)}, status=status)


def _plain(value) -> str:
    return f"{value.normalize():f}"


@require_POST
def statement_receive(request, page_id: int, lesson_id: int, block_id: str):
    """Records a top-level statement: 201 with the score the server stored."""
    plan = _player_plan(request, page_id, lesson_id)
    try:
        payload = _json_body(request)
        attempt = intake.h5p_statement_record(
            pupil=request.user,
            plan=plan,
            block_id=block_id,
            statement=payload.get("statement"),
            report=payload.get("report"),
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        raise Http404("No such game.") from error
    body = {
        "attempt": attempt.pk,
        "raw": _plain(attempt.raw_score),
        "max": _plain(attempt.max_score),
        "scaled": None if attempt.scaled is None else float(attempt.scaled),
        "verification": attempt.verification,
    }
    return JsonResponse(body, status=201)


@require_http_methods(["GET", "POST"])
def state(request, page_id: int, lesson_id: int, block_id: str):
    """GET the saved resume state ({"state": text or null}); POST {"state": text}."""
    plan = _player_plan(request, page_id, lesson_id)
    who = {"pupil": request.user, "plan": plan, "block_id": block_id}
    try:
        if request.method == "GET":
            return JsonResponse({"state": intake.h5p_state_load(**who)})
        data = _json_body(request).get("state")
        intake.h5p_state_save(**who, data=data)
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        raise Http404("No such game.") from error
    return HttpResponse(status=204)


def _activity(request, lesson_id: int, block_id: str):
    lesson = lessons_access.get_lesson_results_for_user(request.user, lesson_id)
    if not access.can_see_results(request.user, lesson):
        raise Http404("No such lesson.")
    plan = lessons_selectors.plan_of(lesson)
    if plan is None:
        raise Http404("No library lesson is attached.")
    block = access.get_h5p_block(plan, block_id)
    package = block.value["package"]
    title = block.value["title"] or (package.title if package else block_id)
    return lesson, plan, package, title


@login_required
@require_safe
def results(request, lesson_id: int, block_id: str):
    """Who played, every attempt with its check, and the counted score."""
    lesson, plan, package, title = _activity(request, lesson_id, block_id)
    user = request.user
    can_mark = school_access.can_edit_gradebook(
        user, lesson.class_group, lesson.subject
    )
    context = {
        "lesson": lesson,
        "plan": plan,
        "package": package,
        "block_id": block_id,
        "title": title,
        "results": selectors.activity_results(lesson, block_id),
        "counts_choices": CountedAttempt.choices,
        "can_choose": access.can_choose_counted_attempt(user, lesson),
        "can_mark": can_mark,
        "work_types": selectors.work_types() if can_mark else [],
        "scale": Scale(selectors.gradebook_scale(lesson)),
    }
    return render(request, "lessons/h5p/results.html", context)


def _teacher_activity(request, lesson_id: int, block_id: str):
    found = _activity(request, lesson_id, block_id)
    if not access.can_choose_counted_attempt(request.user, found[0]):
        raise Http404("No such lesson.")
    return found


@login_required
@require_POST
def counts_set(request, lesson_id: int, block_id: str):
    lesson, _plan, _package, _title = _teacher_activity(request, lesson_id, block_id)
    try:
        grading.h5p_counts_set(
            teacher=request.user,
            lesson=lesson,
            block_id=block_id,
            counts=request.POST.get("counts", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The choice of the counted attempt was saved."))
    return redirect("lessons:h5p_results", lesson_id=lesson.pk, block_id=block_id)


def _marks_message(sent: grading.MarksSent) -> str:
    text = _("Marks put into the gradebook: %(count)d.") % {"count": len(sent.marks)}
    if sent.skipped:
        names = ", ".join(pupil.short_name for pupil in sent.skipped)
        text += " " + _("Without a verified counted score, no mark for: %(names)s.") % {
            "names": names
        }
    return text


@login_required
@require_POST
def gradebook_send(request, lesson_id: int, block_id: str):
    """Puts the counted verified scores into the gradebook as marks."""
    lesson, _plan, _package, title = _teacher_activity(request, lesson_id, block_id)
    work_type_id = request.POST.get("work_type", "")
    work_type = (
        # Work types are the school's catalogue, not a person's data.
        WorkType.objects.filter(pk=work_type_id).first()  # nosemgrep
        if work_type_id.isdigit()
        else None
    )
    if work_type is None:
        messages.error(request, _("Choose what the mark is for."))
        return redirect("lessons:h5p_results", lesson_id=lesson.pk, block_id=block_id)
    try:
        sent = grading.h5p_marks_send(
            teacher=request.user,
            lesson=lesson,
            block_id=block_id,
            work_type=work_type,
            title=title,
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _marks_message(sent))
    return redirect("lessons:h5p_results", lesson_id=lesson.pk, block_id=block_id)
