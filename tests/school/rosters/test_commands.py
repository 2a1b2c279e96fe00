"""`manage.py roster_import` and `roster_export` as an operator uses them."""

import io

import pytest
from django.core.management import (
    CommandError,
    call_command,
    execute_from_command_line,
)

from school.models import User
from tests.school.rosters.builder import small_city

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("roster_import", *args, stdout=out)
    return out.getvalue()


def test_import_prints_a_summary(tmp_path):
    output = run(str(small_city().zip(tmp_path / "roster.zip")))
    assert User.objects.count() == 6
    assert "11/11" in output  # the progress bar ran to the end
    # created / updated / unchanged / ended / removed / detached per entity
    assert "│       6 │       0 │         0 │     0 │       0 │        0 │" in output


def test_dry_run_writes_nothing(tmp_path):
    output = run(str(small_city().zip(tmp_path / "roster.zip")), "--dry-run")
    assert not User.objects.exists()
    assert "Dry run" in output or "Пробный" in output or "ничего" in output


def test_bad_input_exits_non_zero_with_the_problem_list(tmp_path):
    roster = small_city().change("enrollments.csv", "e-masha", beginDate="someday")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("roster_import", str(roster.zip(tmp_path / "r.zip")), stdout=out)
    line = roster.line_of("enrollments.csv", "e-masha")
    assert "enrollments.csv" in out.getvalue() and "someday" in out.getvalue()
    assert f"│ {line} " in out.getvalue()
    assert not User.objects.exists()


def test_exit_code_on_the_command_line(tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, which would close the
    # test's own transaction on PostgreSQL; the command itself runs unchanged.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    roster = small_city().change("roles.csv", "r-u-alice-teacher", role="wizard")
    path = roster.zip(tmp_path / "r.zip")
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "roster_import", str(path)])
    assert exit_.value.code == 1
    output = capsys.readouterr()
    assert "wizard" in output.out and "roles.csv" in output.out
    assert not User.objects.exists()
