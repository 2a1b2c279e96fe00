"""The grid's cells, rows and history as the JSON the grid script renders."""

from django.utils import formats, timezone

from school.attendance.selectors import LETTERS
from school.gradebook.averages import mark_display
from school.gradebook.selectors import Cell, Row
from school.models import AttendanceStatus, MarkChange


def cell_json(cell: Cell) -> dict:
    return {
        "lesson": cell.lesson.pk,
        "active": cell.active,
        "marks": [
            {
                "work_type": mark.work_type.code,
                "work_type_name": mark.work_type.name,
                "weight": mark.work_type.weight,
                "value": mark.value,
                "display": mark.display,
                "comment": mark.comment,
            }
            for mark in cell.marks
        ],
        "status": cell.status,
        "letter": str(LETTERS[cell.status]),
        "status_label": str(AttendanceStatus(cell.status).label),
        "noticed": cell.noticed,
    }


def row_json(row: Row) -> dict:
    return {
        "pupil": row.pupil.pk,
        "average": row.average.display if row.average else "",
        "suggested": row.average.suggested if row.average else None,
        "rate": row.rate.percent,
        "term_mark": row.term_mark,
        "term_mark_display": row.term_mark_display,
    }


def _value(value: int | None, scale: str) -> str:
    return "" if value is None else mark_display(scale, value)


def history_json(change: MarkChange, scale: str) -> dict:
    """One change; `scale` is the gradebook's (it cannot change under marks)."""
    when = timezone.localtime(change.changed_at)
    return {
        "when": formats.date_format(when, "SHORT_DATETIME_FORMAT"),
        "who": change.changed_by.short_name,
        "work_type": change.work_type.name,
        "old": _value(change.old_value, scale),
        "new": _value(change.new_value, scale),
        "old_comment": change.old_comment,
        "new_comment": change.new_comment,
    }
