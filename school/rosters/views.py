"""Roster pages for school and platform administrators: upload and download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from school.models import School
from school.rosters import access
from school.rosters.exporter import roster_export
from school.rosters.forms import RosterUploadForm
from school.rosters.services import ENTITY_LABELS, roster_import

SUMMARY_COLUMNS = ("created", "updated", "unchanged", "ended", "removed")


@login_required
def roster_upload(request):
    scope = access.roster_scope_for(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = roster_import(
            source=form.cleaned_data["archive"],
            scope=scope,
            dry_run=form.cleaned_data["dry_run"],
        )
    context = {
        "form": form,
        "result": result,
        "summary": _summary(result) if result and result.ok else [],
        "schools": _schools(scope),
    }
    status = 400 if result and not result.ok else 200
    return render(request, "school/rosters/upload.html", context, status=status)


def _summary(result) -> list[tuple[str, list[int]]]:
    return [
        (label, [result.counts.get(key, {}).get(col, 0) for col in SUMMARY_COLUMNS])
        for key, label in ENTITY_LABELS.items()
    ]


def _schools(scope: access.RosterScope):
    schools = School.objects.order_by("short_name")
    return schools if scope.everything else schools.filter(pk__in=scope.school_ids)


@require_GET
@login_required
def roster_download(request):
    scope = access.roster_scope_for(request.user)
    schools = _schools(scope)
    if request.GET.get("school"):
        schools = schools.filter(
            pk=access.school_id_in_scope(scope, request.GET["school"])
        )
    response = HttpResponse(content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="oneroster-{stamp}.zip"'
    roster_export(schools=schools, target=response)
    return response
