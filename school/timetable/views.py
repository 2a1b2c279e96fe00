"""Timetable pages: a class's week, a teacher's week, lesson changes, calendar feeds."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from school.models import User
from school.timetable import access, selectors, services
from school.timetable.forms import (
    FeedCreateForm,
    GenerateForm,
    MoveForm,
    SubstituteForm,
    TopicForm,
)
from school.timetable.ical import timetable_calendar


def _monday(request) -> datetime.date:
    """The week asked for (`?week=` any day of it), this week if absent or bad."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return selectors.week_start(day)


def _mark_editable(user: User, week: selectors.Week) -> None:
    for day in week.days:
        for lesson in day.lessons:
            lesson.topic_editable = access.gives_lesson(user, lesson)


def _week_url(name: str, day: datetime.date, *args) -> str:
    return f"{reverse(name, args=args)}?week={selectors.week_start(day).isoformat()}"


def _week_nav(week: selectors.Week, name: str, *args) -> dict:
    return {
        "previous": _week_url(name, week.previous, *args),
        "next": _week_url(name, week.next, *args),
        "current": reverse(name, args=args),
    }


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@login_required
def index(request):
    page = selectors.timetable_index(request.user)
    own = page.own_timetables()
    if len(own) == 1 and not page.administered:
        # One timetable: open it rather than a page with one link.
        return redirect(own[0])
    return render(request, "school/timetable/index.html", {"page": page})


@login_required
def class_week(request, class_id: int):
    class_group = access.get_class_timetable_for_user(request.user, class_id)
    week = selectors.class_week(class_group, _monday(request))
    _mark_editable(request.user, week)
    context = {
        "class_group": class_group,
        "week": week,
        "can_manage": access.can_manage_timetable(request.user, class_group.school),
        "nav": _week_nav(week, "timetable:class_week", class_group.pk),
    }
    return render(request, "school/timetable/class_week.html", context)


@login_required
def teacher_week(request):
    if not access.can_view_own_week(request.user):
        raise Http404("Only teachers have a teaching week.")
    week = selectors.teacher_week(request.user, _monday(request))
    _mark_editable(request.user, week)
    context = {"week": week, "nav": _week_nav(week, "timetable:my_week")}
    return render(request, "school/timetable/teacher_week.html", context)


@require_POST
@login_required
def lesson_topic(request, lesson_id: int):
    lesson = access.get_lesson_to_teach(request.user, lesson_id)
    form = TopicForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("topic", []))
        services.lesson_topic_set(
            lesson=lesson, topic=form.cleaned_data["topic"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The topic is saved."))
    return _back(request, _week_url("timetable:my_week", lesson.date))


def _lesson_forms(lesson, data=None, action=None) -> dict:
    school = lesson.class_group.school
    bound = {
        name: (data if action == name else None) for name in ("substitute", "move")
    }
    return {
        "substitute": SubstituteForm(
            bound["substitute"],
            school=school,
            initial={"substitute": lesson.substitute_id},
        ),
        "move": MoveForm(
            bound["move"],
            school=school,
            initial={"date": lesson.date, "slot": lesson.slot_id},
        ),
    }


def _lesson_change(request, lesson, action: str, forms: dict):
    """Runs the change the admin asked for; ValidationError if it cannot be done."""
    by = request.user
    if action == "cancel":
        return services.lesson_cancel(lesson=lesson, by=by)
    if action == "restore":
        return services.lesson_restore(lesson=lesson, by=by)
    form = forms.get(action)
    if form is None:
        raise ValidationError(_("Choose what to change."))
    if not form.is_valid():
        raise ValidationError([m for errs in form.errors.values() for m in errs])
    data = form.cleaned_data
    if action == "substitute":
        return services.lesson_substitute(
            lesson=lesson, substitute=data["substitute"], by=by
        )
    return services.lesson_move(
        lesson=lesson, date=data["date"], slot=data["slot"], by=by
    )


@login_required
def lesson_manage(request, lesson_id: int):
    """The school administrator substitutes, moves, cancels or restores a lesson."""
    lesson = access.get_lesson_to_manage(request.user, lesson_id)
    action = request.POST.get("action", "")
    forms = _lesson_forms(lesson, request.POST or None, action)
    errors: list[str] = []
    if request.method == "POST":
        try:
            changed = _lesson_change(request, lesson, action, forms)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The lesson is changed."))
            return redirect(
                _week_url("timetable:class_week", changed.date, changed.class_group_id)
            )
    context = {"lesson": lesson, "forms": forms, "errors": errors}
    return render(
        request,
        "school/timetable/lesson_manage.html",
        context,
        status=400 if errors else 200,
    )


@login_required
def generate(request, class_id: int):
    """The school administrator creates a term's lessons from the weekly pattern."""
    class_group = access.get_class_to_manage(request.user, class_id)
    form = GenerateForm(request.POST or None, class_group=class_group)
    if request.method == "POST" and form.is_valid():
        term = form.cleaned_data["term"]
        created = services.lessons_generate_for_term(class_group=class_group, term=term)
        messages.success(
            request,
            _("%(count)d lessons were created for %(term)s.")
            % {"count": created, "term": term.name},
        )
        return redirect(
            _week_url("timetable:class_week", term.starts_on, class_group.pk)
        )
    context = {
        "class_group": class_group,
        "form": form,
        "has_pattern": class_group.weekly_slots.exists(),
    }
    return render(request, "school/timetable/generate.html", context)


# --- Calendar feeds


@login_required
def feeds(request):
    targets = selectors.feed_targets(request.user)
    return render(request, "school/timetable/feeds.html", {"targets": targets})


@require_POST
@login_required
def feed_create(request):
    form = FeedCreateForm(request.POST)
    if not form.is_valid():
        raise Http404("No such timetable.")
    pupil_id = form.cleaned_data["pupil"]
    pupil = None
    if pupil_id is not None:
        pupil = User.objects.filter(pk=pupil_id, is_active=True).first()
        if pupil is None:
            raise Http404("No such pupil.")
    if not access.can_have_feed_for(request.user, pupil):
        raise Http404("No such timetable.")
    services.calendar_feed_create(user=request.user, pupil=pupil)
    messages.success(request, _("A new calendar address is ready."))
    return redirect("timetable:feeds")


@require_POST
@login_required
def feed_revoke(request, feed_id: int):
    feed = access.get_feed_of_user(request.user, feed_id)
    services.calendar_feed_revoke(feed=feed, by=request.user)
    messages.success(request, _("The calendar address is revoked."))
    return redirect("timetable:feeds")


def _feed_name(feed) -> str:
    if feed.pupil_id is None:
        return _("Lessons of %(teacher)s") % {"teacher": feed.user}
    return _("Timetable of %(pupil)s") % {"pupil": feed.pupil}


@require_GET
def feed_download(request, token: str):
    """The calendar itself: no sign-in, the secret token in the URL is the key."""
    feed = access.get_feed_by_token(token)
    body = timetable_calendar(
        feed=feed,
        lessons=selectors.feed_lessons(feed),
        name=_feed_name(feed),
        domain=split_domain_port(request.get_host())[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="timetable.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
