"""Pages of the lessons app: the citywide library for teachers."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lessons import access, live_quiz, practice, selectors, services
from lessons.forms import LibraryFilterForm
from lessons.models import LessonPage

LIBRARY_PAGE_SIZE = 20
JSON_BODY_MAX_BYTES = 16 * 1024
QUERY_MAX_LENGTH = 100


@login_required
def library_index(request):
    if not access.can_use_library(request.user):
        raise Http404(_("The library is for teachers and methodologists."))
    form = LibraryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    found = selectors.library_find(**filters)
    page = Paginator(found, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = selectors.library_cards(page.object_list)
    for card in cards:
        card.usage_visible = access.can_see_usage(request.user, card)
    context = {"form": form, "page": page, "cards": cards, "query": filters}
    return render(request, "lessons/library_index.html", context)


@login_required
def library_lesson(request, page_id: int):
    page = access.get_library_lesson_for_user(request.user, page_id)
    context = {
        "lesson": page,
        "usage": selectors.lesson_usage(page)
        if access.can_see_usage(request.user, page)
        else None,
        # Teachers see the lesson whole: notes, starters and the quiz answers.
        "show_teacher_notes": True,
    }
    return render(request, "lessons/library_lesson.html", context)


@login_required
@require_POST
def library_copy(request, page_id: int):
    page = access.get_library_lesson_for_user(request.user, page_id)
    copy = services.lesson_copy(page=page, teacher=request.user)
    messages.success(
        request,
        _("“%(title)s” is now among your lessons; edit it here.")
        % {"title": copy.title},
    )
    return redirect("wagtailadmin_pages:edit", copy.pk)


# --- Lessons in the school day: planning a dated lesson, the pupils' page, practice.


@login_required
def plan(request, lesson_id: int):
    """The teacher's page of a dated lesson: what is attached, and the library."""
    lesson = access.get_lesson_to_plan(request.user, lesson_id)
    query = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
    lesson_plan = selectors.plan_of(lesson)
    context = {
        "lesson": lesson,
        "plan": lesson_plan,
        "query": query,
        "pages": selectors.library_lessons_for(lesson, query),
        "own_pages": selectors.own_lessons_for(request.user, lesson, query),
        "suggestions": selectors.homework_suggestions(lesson, lesson_plan),
        "show_teacher_notes": True,
        "live_quizzes": (
            live_quiz.live_quiz_blocks(lesson_plan.taught_page) if lesson_plan else []
        ),
        "term": selectors.term_of(lesson),
    }
    return render(request, "lessons/plan.html", context)


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
@login_required
def plan_attach(request, lesson_id: int):
    lesson = access.get_lesson_to_plan(request.user, lesson_id)
    page_id = request.POST.get("page", "")
    # plan_attach checks the page may be attached (access.can_attach).
    page = None
    if page_id.isdigit():
        page = LessonPage.objects.filter(pk=page_id).first()  # nosemgrep
    if page is None:
        raise Http404("No such library lesson.")
    try:
        services.lesson_plan_attach(teacher=request.user, lesson=lesson, page=page)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("The library lesson was attached."))
    return redirect("lessons:plan", lesson_id=lesson.pk)


@require_POST
@login_required
def plan_detach(request, lesson_id: int):
    lesson = access.get_lesson_to_plan(request.user, lesson_id)
    services.lesson_plan_detach(teacher=request.user, lesson=lesson)
    messages.success(request, _("The library lesson was detached."))
    return redirect("lessons:plan", lesson_id=lesson.pk)


@require_POST
@login_required
def plan_homework(request, lesson_id: int):
    """One step from the attached lesson's homework suggestion to homework."""
    lesson = access.get_lesson_to_plan(request.user, lesson_id)
    try:
        homework = services.lesson_plan_homework_assign(
            teacher=request.user,
            lesson=lesson,
            block_id=request.POST.get("block", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(
            request,
            _("The homework was set, due %(date)s.")
            % {"date": homework.due_date.strftime("%d.%m.%Y")},
        )
    return redirect("lessons:plan", lesson_id=lesson.pk)


@require_POST
@login_required
def plan_quiz_game(request, lesson_id: int):
    """A quiz block of the attached lesson, played now as a live quiz game."""
    lesson = access.get_lesson_to_plan(request.user, lesson_id)
    try:
        game = live_quiz.lesson_quiz_game_start(
            teacher=request.user, lesson=lesson, block_id=request.POST.get("block", "")
        )
    except ValidationError as error:
        messages.error(request, _error_message(error))
        return redirect("lessons:plan", lesson_id=lesson.pk)
    left_out = live_quiz.typed_questions_left_out(lesson, request.POST.get("block", ""))
    if left_out:
        # A live game has answer buttons; the teacher should know what is not in it.
        messages.warning(
            request,
            ngettext(
                "%(count)s typed-answer question is not in the live game: "
                "pupils answer it in the lesson's practice.",
                "%(count)s typed-answer questions are not in the live game: "
                "pupils answer them in the lesson's practice.",
                left_out,
            )
            % {"count": left_out},
        )
    return redirect("gamification:quiz_host", game_id=game.pk)


@login_required
def plan_results(request, lesson_id: int):
    """Practice results of the attached lesson's quizzes in the lesson's class."""
    lesson = access.get_lesson_results_for_user(request.user, lesson_id)
    lesson_plan = selectors.plan_of(lesson)
    if lesson_plan is None:
        raise Http404("No library lesson is attached.")
    context = {
        "lesson": lesson,
        "plan": lesson_plan,
        "quizzes": selectors.quizzes_of(lesson_plan.taught_page),
        "rows": selectors.practice_results(lesson_plan.page, lesson.class_group),
    }
    return render(request, "lessons/plan_results.html", context)


def _pupil_page(request, lesson_plan, *, outcome=None, status=200):
    items = practice.pupil_blocks(lesson_plan.taught_page.body)
    if outcome is not None:
        practice.outcome_attach(items, **outcome)
    context = {
        "plan": lesson_plan,
        "lesson": lesson_plan.lesson,
        "page": lesson_plan.taught_page,
        "items": items,
        "can_practise": access.can_practise(request.user, lesson_plan.page),
    }
    return render(request, "lessons/pupil_lesson.html", context, status=status)


@login_required
def pupil_lesson(request, page_id: int, lesson_id: int):
    """The attached lesson as the class sees it: no notes, no answers."""
    lesson_plan = access.get_plan_for_user(request.user, page_id, lesson_id)
    return _pupil_page(request, lesson_plan)


def _json_answers(request):
    if len(request.body) > JSON_BODY_MAX_BYTES:
        raise ValidationError(_("The answers are too long."))
    try:
        payload = json.loads(request.body)
    except ValueError as error:
        raise ValidationError(_("The answers are not valid JSON.")) from error
    if not isinstance(payload, dict) or "answers" not in payload:
        raise ValidationError(_("Send the answers as an object with “answers”."))
    return payload["answers"]


def _answers_of(request, lesson_plan, block_id: str):
    if request.content_type == "application/json":
        return _json_answers(request)
    quiz = practice.quiz_of(lesson_plan.taught_page.body, block_id)
    return practice.answers_from_form(quiz, request.POST)


@require_POST
@login_required
def practice_submit(request, page_id: int, lesson_id: int, block_id: str):
    """Checks a quiz's answers: JSON in, JSON out; or a form in, the page out."""
    lesson_plan = access.get_plan_for_user(request.user, page_id, lesson_id)
    wants_json = request.content_type == "application/json"
    try:
        answers = _answers_of(request, lesson_plan, block_id)
        attempt, marked = services.practice_attempt_submit(
            pupil=request.user,
            page=lesson_plan.taught_page,
            block_id=block_id,
            answers=answers,
        )
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"error": _error_message(error)}, status=400)
        outcome = {"block_id": block_id, "error": _error_message(error)}
        return _pupil_page(request, lesson_plan, outcome=outcome, status=400)
    if wants_json:
        return JsonResponse(practice.outcome_json(attempt, marked))
    outcome = {"block_id": block_id, "attempt": attempt, "marked": marked}
    return _pupil_page(request, lesson_plan, outcome=outcome)
