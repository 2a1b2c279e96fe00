"""CSV cells that a spreadsheet program opens as text, never as a formula.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (and, after
a tab or carriage return, the same), so a pupil named "=HYPERLINK(…)" would run
in the administrator's spreadsheet. Such text gets a leading apostrophe, the
spreadsheets' own mark for "this is text"; numbers stay numbers.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    """Text that no spreadsheet program runs as a formula; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_safe(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    return [[cell_safe(value) for value in row] for row in rows]
