"""`manage.py roster_export <folder-or-zip> [--school ID ...]`: OneRoster 1.2 CSV."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from school.models import School
from school.rosters.exporter import roster_export


class Command(BaseCommand):
    help = (
        "Writes manifest.csv and the seven OneRoster 1.2 CSV files (orgs, "
        "academicSessions, courses, classes, users, roles, enrollments) into a "
        "folder, or a zip when the path ends in .zip."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--school",
            action="append",
            default=[],
            help="A school's city id or sourcedId; repeat for several (default: all).",
        )

    def handle(self, *args, path: str, school: list[str], **options):
        schools = School.objects.all()
        if school:
            schools = schools.filter(
                Q(external_id__in=school) | Q(sourced_id__in=school)
            )
            found = set(schools.values_list("external_id", flat=True)) | set(
                schools.values_list("sourced_id", flat=True)
            )
            missing = set(school) - found
            if missing:
                raise CommandError(
                    _("Unknown school(s): %(ids)s.")
                    % {"ids": ", ".join(sorted(missing))}
                )
        roster_export(schools=schools, target=path)
        self.stdout.write(
            _("Wrote the roster of %(count)d school(s) to %(path)s.")
            % {"count": schools.count(), "path": path}
        )
