"""`manage.py roster_import <folder-or-zip> [--dry-run]`: a OneRoster 1.2 CSV import."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from school.rosters.services import ENTITY_LABELS, STEPS, ImportResult, roster_import

COLUMNS = ("created", "updated", "unchanged", "ended", "removed", "detached")


class Command(BaseCommand):
    help = (
        "Imports a OneRoster 1.2 CSV roster (a folder or a zip with manifest.csv). "
        "Checks every row first; writes nothing if any is bad."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="A folder or a zip of OneRoster CSV files.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count, then roll everything back.",
        )

    def handle(self, *args, path: str, dry_run: bool = False, **options):
        console = Console(file=self.stdout, highlight=False, width=120)
        with Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            console=console,
        ) as progress:
            task = progress.add_task(_("reading"), total=STEPS)

            def step(name: str) -> None:
                progress.update(task, description=str(name), advance=1)

            result = roster_import(source=path, dry_run=dry_run, progress=step)
            progress.update(task, completed=STEPS)
        if not result.ok:
            console.print(problems_table(result))
            raise CommandError(
                _("The roster has %(count)d problem(s); nothing was written.")
                % {"count": len(result.problems)}
            )
        console.print(summary_table(result))
        if dry_run:
            console.print(_("Dry run: nothing was written."))


def problems_table(result: ImportResult) -> Table:
    table = Table(title=_("Problems"))
    for header in (_("file"), _("line"), _("reason")):
        table.add_column(header)
    for problem in result.problems:
        table.add_row(problem.file, str(problem.line or ""), problem.message)
    return table


def summary_table(result: ImportResult) -> Table:
    table = Table(title=_("Roster imported"))
    table.add_column(_("what"))
    for column in COLUMNS:
        table.add_column(column, justify="right")
    for key, label in ENTITY_LABELS.items():
        counts = result.counts.get(key, {})
        table.add_row(str(label), *(str(counts.get(column, 0)) for column in COLUMNS))
    return table
