"""Gradebook pages: the index, the grid, the scale form and the exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from school import access
from school.gradebook import export, selectors, services
from school.gradebook.access import get_gradebook_for_user
from school.models import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request):
    if not (access.is_signed_in(request.user) and request.user.has_role(Role.TEACHER)):
        raise Http404("No gradebooks.")
    links = selectors.gradebooks_of(request.user)
    return render(request, "school/gradebook/index.html", {"links": links})


@login_required
def grid(request, class_id: int, subject_id: int, term_id: int):
    opened = get_gradebook_for_user(request.user, class_id, subject_id, term_id)
    context = {
        "grid": selectors.gradebook_grid(gradebook=opened.gradebook),
        "gradebook": opened.gradebook,
        "can_edit": opened.can_edit,
        "scales": selectors.SCALE_CHOICES,
        "today": timezone.localdate(),
    }
    return render(request, "school/gradebook/grid.html", context)


@require_POST
@login_required
def scale_set(request, class_id: int, subject_id: int, term_id: int):
    opened = get_gradebook_for_user(request.user, class_id, subject_id, term_id)
    if not opened.can_edit:
        raise PermissionDenied(_("You can read this gradebook but not change it."))
    try:
        services.gradebook_scale_set(
            teacher=request.user,
            gradebook=opened.gradebook,
            scale=request.POST.get("scale", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scale was changed."))
    return redirect("gradebook:grid", class_id, subject_id, term_id)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _file_name(gradebook, extension: str) -> str:
    parts = (gradebook.class_group_id, gradebook.subject.code, gradebook.term_id)
    return "gradebook-{}-{}-{}.{}".format(*parts, extension)


@login_required
def export_xlsx(request, class_id: int, subject_id: int, term_id: int):
    opened = get_gradebook_for_user(request.user, class_id, subject_id, term_id)
    grid_data = selectors.gradebook_grid(gradebook=opened.gradebook)
    name = _file_name(opened.gradebook, "xlsx")
    return _download(export.to_xlsx(grid_data), XLSX, name)


@login_required
def export_csv(request, class_id: int, subject_id: int, term_id: int):
    """The grid, or with ?table=marks one line per mark with its comment."""
    opened = get_gradebook_for_user(request.user, class_id, subject_id, term_id)
    grid_data = selectors.gradebook_grid(gradebook=opened.gradebook)
    marks = request.GET.get("table") == "marks"
    table = export.marks_table(grid_data) if marks else export.grid_table(grid_data)
    name = _file_name(opened.gradebook, "marks.csv" if marks else "csv")
    return _download(export.to_csv(table), "text/csv; charset=utf-8", name)
