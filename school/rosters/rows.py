"""CSV text → rows with their line numbers; the manifest; field checks.

Every check appends a Problem (file, line, full-sentence reason) and goes on, so
one run reports every bad row, not just the first.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from school.rosters.spec import (
    MANIFEST_KEYS,
    MANIFEST_VERSION,
    MODES,
    ONEROSTER_VERSIONS,
    STATUSES,
    FileSpec,
    is_extension,
)

MANIFEST = "manifest.csv"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 0: the file as a whole
    message: str


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, message: str) -> None:
        self.items.append(Problem(file, line, message))

    def row(self, row: Row, message: str) -> None:
        self.add(row.file, row.line, message)

    def __bool__(self) -> bool:
        return bool(self.items)


def csv_rows(name: str, text: str, problems: Problems) -> tuple[list[str], list[Row]]:
    """The header and the rows of one file; the header is line 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader, [])]
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                problems.add(
                    name, reader.line_num, _("The row has more cells than the header.")
                )
                continue
            rows.append(
                Row(name, reader.line_num, dict(zip(header, values, strict=False)))
            )
    except csv.Error as error:
        problems.add(
            name, reader.line_num, _("Broken CSV: %(error)s") % {"error": error}
        )
        return [], []
    return header, rows


def manifest_modes(text: str | None, problems: Problems) -> dict[str, str]:
    """The mode (absent, bulk or delta) of each roster file, by file name."""
    if text is None:
        problems.add(MANIFEST, 0, _("The roster has no manifest.csv."))
        return {}
    header, rows = csv_rows(MANIFEST, text, problems)
    if header[:2] != ["propertyName", "value"]:
        problems.add(MANIFEST, 1, _("The header must be propertyName,value."))
        return {}
    properties = {row["propertyName"]: (row["value"], row.line) for row in rows}
    _check_versions(properties, problems)
    modes = {}
    for name, key in MANIFEST_KEYS.items():
        value, line = properties.get(key, ("absent", 0))
        if value not in MODES:
            problems.add(
                MANIFEST,
                line,
                _("%(key)s must be absent, bulk or delta, not “%(value)s”.")
                % {"key": key, "value": value},
            )
            continue
        modes[name] = value
    return modes


def _check_versions(properties: dict, problems: Problems) -> None:
    manifest_version, line = properties.get("manifest.version", ("", 0))
    if manifest_version != MANIFEST_VERSION:
        problems.add(MANIFEST, line, _("manifest.version must be 1.0."))
    version, line = properties.get("oneroster.version", ("", 0))
    if version not in ONEROSTER_VERSIONS:
        problems.add(
            MANIFEST,
            line,
            _("oneroster.version “%(version)s” is not supported; use 1.2.")
            % {"version": version},
        )


def file_rows(spec: FileSpec, text: str, mode: str, problems: Problems) -> list[Row]:
    """The rows of one file whose header has every required column."""
    header, rows = csv_rows(spec.name, text, problems)
    required = spec.required
    if mode == "delta":
        required = (*required, "status", "dateLastModified")
    missing = [column for column in required if column not in header]
    if missing:
        problems.add(
            spec.name,
            1,
            _("The header lacks the required column(s): %(columns)s.")
            % {"columns": ", ".join(missing)},
        )
        return []
    good = [row for row in rows if _row_ok(spec, row, mode, problems)]
    return _unique(spec, good, problems)


def _row_ok(spec: FileSpec, row: Row, mode: str, problems: Problems) -> bool:
    ok = True
    for column in spec.required:
        if not row[column]:
            problems.row(row, _("%(column)s is empty.") % {"column": column})
            ok = False
    return _status_ok(row, mode, problems) and ok


def _status_ok(row: Row, mode: str, problems: Problems) -> bool:
    status, modified = row["status"], row["dateLastModified"]
    if mode == "delta" and (not status or not modified):
        problems.row(
            row, _("A delta file needs status and dateLastModified on every row.")
        )
        return False
    if status and status not in STATUSES:
        problems.row(row, _("Unknown status “%(value)s”.") % {"value": status})
        return False
    if mode == "bulk" and status == "tobedeleted":
        problems.row(row, _("tobedeleted is only allowed in a delta file."))
        return False
    if modified and date_time_parse(modified) is None:
        problems.row(
            row,
            _("dateLastModified “%(value)s” is not an ISO 8601 date and time.")
            % {"value": modified},
        )
        return False
    return True


def _unique(spec: FileSpec, rows: list[Row], problems: Problems) -> list[Row]:
    first_line: dict[str, int] = {}
    unique = []
    for row in rows:
        sid = row["sourcedId"]
        if sid in first_line:
            problems.row(
                row,
                _("The sourcedId %(sid)s is already used on line %(line)d.")
                % {"sid": sid, "line": first_line[sid]},
            )
            continue
        first_line[sid] = row.line
        unique.append(row)
    return unique


def date_time_parse(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def date_field(row: Row, column: str, problems: Problems) -> datetime.date | None:
    """A YYYY-MM-DD cell, or None when empty; a bad date is reported."""
    value = row[column]
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.row(
            row,
            _("%(column)s “%(value)s” is not a date (YYYY-MM-DD).")
            % {"column": column, "value": value},
        )
        return None


def enum_field(
    row: Row, column: str, allowed: frozenset[str], problems: Problems
) -> str | None:
    value = row[column]
    if value in allowed or is_extension(value):
        return value
    problems.row(
        row,
        _("%(column)s “%(value)s” is not one of: %(allowed)s.")
        % {"column": column, "value": value, "allowed": ", ".join(sorted(allowed))},
    )
    return None
