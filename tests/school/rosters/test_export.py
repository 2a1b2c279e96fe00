"""Export writes the same files; an export imports cleanly into an empty database."""

import csv
import zipfile

import pytest
from django.core.management import call_command

from school.models import (
    ClassGroup,
    Enrolment,
    Guardianship,
    RoleGrant,
    School,
    TeachingAssignment,
    User,
)
from school.rosters.exporter import roster_export
from school.rosters.services import roster_import
from tests.school.rosters.builder import small_city

pytestmark = pytest.mark.django_db


def structure() -> dict:
    """What a school looks like, by natural keys, independent of primary keys."""
    return {
        "schools": set(School.objects.values_list("external_id", "name")),
        "classes": set(
            ClassGroup.objects.values_list(
                "school__external_id",
                "academic_year__name",
                "grade",
                "letter",
                "homeroom_teacher__username",
            )
        ),
        "people": set(
            User.objects.values_list(
                "username", "first_name", "last_name", "patronymic", "email"
            )
        ),
        "roles": set(RoleGrant.objects.values_list("user__username", "role")),
        "members": set(
            User.schools.through.objects.values_list(
                "user__username", "school__external_id"
            )
        ),
        "enrolments": set(
            Enrolment.objects.current().values_list(
                "pupil__username",
                "class_group__grade",
                "class_group__letter",
                "starts_on",
            )
        ),
        "assignments": set(
            TeachingAssignment.objects.values_list(
                "teacher__username", "class_group__letter", "subject__code"
            )
        ),
        "families": set(
            Guardianship.objects.values_list("parent__username", "pupil__username")
        ),
    }


def wipe() -> None:
    for model in (Enrolment, TeachingAssignment, Guardianship, ClassGroup):
        model.objects.all().delete()
    School.objects.all().delete()
    User.objects.all().delete()


def test_export_imports_back_into_the_same_structure(tmp_path):
    assert roster_import(source=small_city().zip(tmp_path / "in.zip")).ok
    before = structure()
    roster_export(schools=School.objects.all(), target=tmp_path / "out.zip")
    wipe()

    result = roster_import(source=tmp_path / "out.zip")

    assert result.ok, result.problems
    assert structure() == before


def test_city_built_by_hand_round_trips(tmp_path, city):
    """Rows made on the platform (no sourcedIds) export with ids of their own."""
    before = structure()
    call_command("roster_export", str(tmp_path / "out"))
    wipe()

    result = roster_import(source=tmp_path / "out")

    assert result.ok, result.problems
    after = structure()
    # Parents are linked to no school on the platform; the rest is identical.
    assert after == before


def test_export_writes_manifest_and_seven_files(tmp_path):
    assert roster_import(source=small_city().zip(tmp_path / "in.zip")).ok
    roster_export(schools=School.objects.all(), target=tmp_path / "out.zip")
    names = set(zipfile.ZipFile(tmp_path / "out.zip").namelist())
    assert names == {
        "manifest.csv",
        "orgs.csv",
        "academicSessions.csv",
        "courses.csv",
        "classes.csv",
        "users.csv",
        "roles.csv",
        "enrollments.csv",
    }


def test_export_of_one_school_leaves_the_other_out(tmp_path):
    assert roster_import(source=small_city().zip(tmp_path / "in.zip")).ok
    call_command("roster_export", str(tmp_path / "out"), school=["1501"])
    users = (tmp_path / "out" / "users.csv").read_text(encoding="utf-8")
    assert "petya" in users and "vasya" not in users and "boris" not in users


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://x")', "+7", "-1+2", "@SUM(A1)"]
)
def test_a_name_that_would_run_as_a_formula_is_exported_as_text(tmp_path, hostile):
    roster = small_city().change("users.csv", "u-masha", givenName=hostile)
    assert roster_import(source=roster.zip(tmp_path / "in.zip")).ok
    call_command("roster_export", str(tmp_path / "out"), school=["1501"])
    lines = (tmp_path / "out" / "users.csv").read_text(encoding="utf-8").splitlines()
    [masha] = [line for line in lines if "masha" in line]
    cells = next(csv.reader([masha]))
    assert f"'{hostile}" in cells
    assert hostile not in cells
