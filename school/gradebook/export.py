"""The gradebook as a spreadsheet (XLSX) and as CSV, safe to open in Excel.

A cell that starts with = + - @, a tab or a carriage return is a formula to a
spreadsheet program (CSV and XLSX alike): a pupil named "=HYPERLINK(...)" could
send the teacher's data elsewhere. Such text gets a leading apostrophe, which
every spreadsheet program shows as plain text.
"""

import csv
import io
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lib.spreadsheet_cells import cell_safe
from school.gradebook.selectors import Grid
from school.models import Scale

CSV_DELIMITER = ";"  # what Excel expects in Russian locales


def _average(row) -> Decimal | str:
    """A number where it is one (Excel can sum it); "3/4" for pass/fail."""
    if row.average is None or row.average.value is None:
        return ""
    if row.average.scale == Scale.PASS_FAIL:
        return row.average.display
    return Decimal(row.average.display)


def grid_table(grid: Grid) -> list[list]:
    """The grid as rows of plain values: marks and attendance letters per lesson."""
    header = [_("Pupil")]
    header += [formats.date_format(lesson.date, "d.m.Y") for lesson in grid.lessons]
    header += [_("Average"), _("Attendance, %"), _("Term mark")]
    table = [header]
    for row in grid.rows:
        cells = []
        for cell in row.cells:
            parts = [mark.display for mark in cell.marks]
            parts += [cell.letter] if cell.letter else []
            cells.append(" ".join(parts))
        rate = row.rate.percent
        table.append(
            [row.pupil.full_name, *cells]
            + [_average(row), "" if rate is None else rate, row.term_mark_display]
        )
    return table


def marks_table(grid: Grid) -> list[list]:
    """One line per mark with its work type, weight and comment."""
    table = [
        [_("Pupil"), _("Date"), _("Work type"), _("Weight"), _("Mark"), _("Comment")]
    ]
    for row in grid.rows:
        for cell in row.cells:
            table.extend(
                [
                    row.pupil.full_name,
                    formats.date_format(cell.lesson.date, "d.m.Y"),
                    mark.work_type.name,
                    mark.work_type.weight,
                    mark.display,
                    mark.comment,
                ]
                for mark in cell.marks
            )
    return table


def _xlsx_value(value):
    if isinstance(value, str):
        return cell_safe(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def to_xlsx(grid: Grid) -> bytes:
    workbook = Workbook()
    sheets = [(workbook.active, _("Gradebook"), grid_table(grid))]
    sheets.append((workbook.create_sheet(), _("Marks"), marks_table(grid)))
    for sheet, title, table in sheets:
        sheet.title = title
        for line in table:
            sheet.append([_xlsx_value(value) for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(table: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerows([[cell_safe(str(value)) for value in line] for line in table])
    # The byte-order mark makes Excel read UTF-8 (Cyrillic names) correctly.
    return buffer.getvalue().encode("utf-8-sig")
