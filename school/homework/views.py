"""Homework pages: thin — parse, ask access, call a service or selector, respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from school import access
from school.homework import access as homework_access
from school.homework import selectors, services
from school.homework.downloads import stored_file_response
from school.homework.forms import HomeworkForm, ReviewForm, SubmissionForm
from school.models import Role, WorkType


@login_required
def index(request):
    """One page per person: sections for each of their roles."""
    user, today = request.user, timezone.localdate()
    if not access.is_signed_in(user):
        raise Http404
    context = {"today": today}
    if user.has_role(Role.PUPIL):
        context["rows"] = selectors.pupil_homework(pupil=user, today=today)
    if user.has_role(Role.TEACHER):
        context["set_by_me"] = selectors.teacher_homework(teacher=user, today=today)
        context["lessons"] = selectors.teacher_lessons(teacher=user, today=today)
    if user.has_role(Role.PARENT):
        context["children"] = selectors.guardian_children(parent=user)
    if user.has_role(Role.SCHOOL_ADMIN):
        context["school_homework"] = selectors.school_homework(admin=user, today=today)
    return render(request, "school/homework/index.html", context)


@login_required
def lesson(request, lesson_id: int):
    """The teacher's page of a lesson: its homework and the form to set more."""
    lesson = homework_access.get_lesson_for_assigning(request.user, lesson_id)
    form = HomeworkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.homework_assign(
                teacher=request.user, lesson=lesson, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The homework was set."))
            return redirect("homework_lesson", lesson_id=lesson.pk)
    context = {
        "lesson": lesson,
        "form": form,
        "homework_list": selectors.lesson_homework(lesson=lesson),
    }
    return render(request, "school/homework/lesson.html", context)


@login_required
def submissions(request, homework_id: int):
    homework = homework_access.get_homework_for_teacher(request.user, homework_id)
    context = {
        "homework": homework,
        "rows": selectors.homework_submissions(homework=homework),
        "can_review": homework_access.can_review(request.user, homework),
        "work_types": WorkType.objects.all(),
        "homework_work_type": services.HOMEWORK_WORK_TYPE,
    }
    return render(request, "school/homework/submissions.html", context)


@require_POST
@login_required
def review(request, submission_id: int):
    submission = homework_access.get_submission_for_review(request.user, submission_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.submission_review(
                teacher=request.user, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The mark is in the gradebook."))
    else:
        messages.error(request, " ".join(_errors_of(form)))
    url = reverse("homework_submissions", args=[submission.homework_id])
    return redirect(f"{url}#submission-{submission.pk}")


def _errors_of(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


@login_required
def detail(request, homework_id: int):
    """The pupil's page of one homework: the task, their answer, the send form."""
    homework = homework_access.get_homework_for_pupil(request.user, homework_id)
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_submit(
                pupil=request.user, homework=homework, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect("homework_index")
    submission = selectors.pupil_submission(pupil=request.user, homework=homework)
    context = {"homework": homework, "submission": submission, "form": form}
    return render(request, "school/homework/detail.html", context)


@require_POST
@login_required
def done(request, homework_id: int):
    homework = homework_access.get_homework_for_pupil(request.user, homework_id)
    try:
        services.submission_mark_done(pupil=request.user, homework=homework)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("homework_detail", homework_id=homework.pk)
    messages.success(request, _("Marked as done."))
    return redirect("homework_index")


@login_required
def child(request, pupil_id: int):
    """A parent's read-only view of one child's homework."""
    pupil = homework_access.get_child_for_parent(request.user, pupil_id)
    rows = selectors.pupil_homework(pupil=pupil, today=timezone.localdate())
    return render(request, "school/homework/child.html", {"pupil": pupil, "rows": rows})


@login_required
def attachment(request, attachment_id: int):
    item = homework_access.get_attachment_for_user(request.user, attachment_id)
    return stored_file_response(item.file, item.original_name, item.content_type)


@login_required
def answer_file(request, file_id: int):
    item = homework_access.get_submission_file_for_user(request.user, file_id)
    return stored_file_response(item.file, item.original_name, item.content_type)


@login_required
def answer_thumbnail(request, file_id: int):
    item = homework_access.get_submission_file_for_user(request.user, file_id)
    if not item.thumbnail:
        raise Http404("No thumbnail.")
    content_type = "image/png" if item.thumbnail.name.endswith(".png") else "image/jpeg"
    return stored_file_response(item.thumbnail, item.original_name, content_type)
