"""The grid's JSON endpoints: thin, parse → access → service → the updated cell.

Every answer is JSON, errors included ({"error": "<translated sentence>"}), so
the grid can show the message next to the cell it concerns.
"""

import functools
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from school.attendance import services as attendance_services
from school.gradebook import selectors, services
from school.gradebook.access import OpenGradebook, get_gradebook_for_user
from school.gradebook.serialize import cell_json, history_json, row_json
from school.models import Lesson, Mark, User, WorkType


def json_endpoint(view):
    """Opens the gradebook for the view and turns refusals into JSON errors."""

    @functools.wraps(view)
    def wrapper(request, class_id: int, subject_id: int, term_id: int):
        try:
            opened = get_gradebook_for_user(request.user, class_id, subject_id, term_id)
            return view(request, opened)
        except Http404:
            return _error(_("There is no such gradebook."), 404)
        except PermissionDenied as error:
            return _error(str(error) or _("You may not change this gradebook."), 403)
        except ValidationError as error:
            return _error(" ".join(error.messages), 400)

    return login_required(wrapper)


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(_("The request could not be read.")) from error
    if not isinstance(data, dict):
        raise ValidationError(_("The request could not be read."))
    return data


def _id(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(_("The request could not be read."))
    try:
        return int(value)
    except ValueError as error:
        raise ValidationError(_("The request could not be read.")) from error


def _writer(opened: OpenGradebook) -> None:
    if not opened.can_edit:
        raise PermissionDenied(_("You can read this gradebook but not change it."))


def _lesson(opened: OpenGradebook, data: dict) -> Lesson:
    gradebook = opened.gradebook
    lesson = (
        Lesson.objects.select_related("class_group", "subject", "term")
        .filter(
            pk=_id(data.get("lesson")),
            class_group_id=gradebook.class_group_id,
            subject_id=gradebook.subject_id,
            term_id=gradebook.term_id,
        )
        .first()
    )
    if lesson is None:
        raise ValidationError(_("This lesson is not in this gradebook."))
    return lesson


def _pupil(data: dict) -> User:
    # mark_set refuses a pupil who is not in the gradebook's class.
    pupil = User.objects.filter(pk=_id(data.get("pupil"))).first()  # nosemgrep
    if pupil is None:
        raise ValidationError(_("This pupil is not in this class."))
    return pupil


def _work_type(data: dict) -> WorkType:
    # The city's catalogue of work types: no one's data.
    code = str(data.get("work_type", ""))
    work_type = WorkType.objects.filter(code=code).first()  # nosemgrep
    if work_type is None:
        raise ValidationError(_("Choose a work type."))
    return work_type


def _cell_answer(opened: OpenGradebook, lesson: Lesson, pupil: User) -> JsonResponse:
    row = selectors.grid_row(gradebook=opened.gradebook, pupil_id=pupil.pk)
    cell = next(cell for cell in row.cells if cell.lesson.pk == lesson.pk)
    return JsonResponse({"cell": cell_json(cell), "row": row_json(row)})


@require_POST
@json_endpoint
def mark_save(request, opened: OpenGradebook):
    _writer(opened)
    data = _body(request)
    lesson, pupil = _lesson(opened, data), _pupil(data)
    comment = data.get("comment")  # absent: keep the mark's comment
    services.mark_set(
        teacher=request.user,
        lesson=lesson,
        pupil=pupil,
        work_type=_work_type(data),
        value=data.get("value"),
        comment=comment,
    )
    return _cell_answer(opened, lesson, pupil)


@require_POST
@json_endpoint
def mark_remove(request, opened: OpenGradebook):
    _writer(opened)
    data = _body(request)
    lesson, pupil = _lesson(opened, data), _pupil(data)
    mark = Mark.objects.filter(
        lesson=lesson, pupil=pupil, work_type=_work_type(data)
    ).first()
    if mark is None:
        raise ValidationError(_("There is no such mark to remove."))
    services.mark_delete(teacher=request.user, mark=mark)
    return _cell_answer(opened, lesson, pupil)


@require_POST
@json_endpoint
def attendance_save(request, opened: OpenGradebook):
    _writer(opened)
    data = _body(request)
    lesson, pupil = _lesson(opened, data), _pupil(data)
    attendance_services.attendance_set(
        teacher=request.user,
        lesson=lesson,
        pupil=pupil,
        status=data.get("status"),
        note=data.get("note", ""),
    )
    return _cell_answer(opened, lesson, pupil)


@require_POST
@json_endpoint
def term_mark_save(request, opened: OpenGradebook):
    _writer(opened)
    data = _body(request)
    pupil = _pupil(data)
    services.term_mark_set(
        teacher=request.user,
        gradebook=opened.gradebook,
        pupil=pupil,
        value=data.get("value"),
    )
    row = selectors.grid_row(gradebook=opened.gradebook, pupil_id=pupil.pk)
    return JsonResponse({"row": row_json(row)})


@require_GET
@json_endpoint
def history(request, opened: OpenGradebook):
    data = {"lesson": request.GET.get("lesson"), "pupil": request.GET.get("pupil")}
    lesson, pupil_id = _lesson(opened, data), _id(data["pupil"])
    changes = selectors.mark_history(lesson=lesson, pupil_id=pupil_id)
    scale = opened.gradebook.scale
    return JsonResponse({"changes": [history_json(c, scale) for c in changes]})
