"""Roster writes: import a OneRoster 1.2 CSV file set, all or nothing."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from school.access_changes import access_changes_batched
from school.rosters.access import PLATFORM_SCOPE, RosterScope
from school.rosters.archive import ArchiveError, source_read
from school.rosters.importer import roster_check
from school.rosters.rows import Problem
from school.rosters.writer import Writer

# The steps a progress bar counts: reading, checking, then the writer's nine.
STEPS = 11


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def roster_import(
    *,
    source: str | Path | BinaryIO,
    scope: RosterScope = PLATFORM_SCOPE,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Imports a folder or zip of OneRoster CSV files.

    Everything is checked first; with any problem nothing is written and the
    result lists every problem with its file and line. Otherwise all rows are
    written in one transaction (rolled back at the end for a dry run) and the
    result counts what was created, updated, left unchanged, ended or removed.
    Rows are matched by sourcedId, so importing again updates.
    """
    step = progress or (lambda name: None)
    step("reading")
    try:
        source_files = source_read(source)
    except ArchiveError as error:
        return ImportResult(problems=[Problem("", 0, str(error))], dry_run=dry_run)
    step("checking")
    plan, problems = roster_check(source_files, scope)
    if problems:
        return ImportResult(problems=problems, dry_run=dry_run)
    with transaction.atomic(), access_changes_batched():
        counts = Writer(plan, scope, step).run()
        if dry_run:
            transaction.set_rollback(True)
    return ImportResult(counts=counts, dry_run=dry_run)


ENTITY_LABELS = {
    "schools": _("schools"),
    "subjects": _("subjects"),
    "academic years": _("academic years"),
    "terms": _("terms"),
    "class groups": _("classes"),
    "classes": _("roster classes"),
    "users": _("people"),
    "roles": _("roles"),
    "guardianships": _("family links"),
    "enrolments": _("enrolments"),
    "teaching assignments": _("teaching assignments"),
}
