"""Importing OneRoster 1.2 CSV files built by the tests."""

import datetime
import zipfile

import pytest
from django.utils import timezone

from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    Role,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
)
from school.rosters.services import roster_import
from tests.school.rosters.builder import iso, small_city

pytestmark = pytest.mark.django_db


def imported(roster, tmp_path, name="roster.zip", **options):
    result = roster_import(source=roster.zip(tmp_path / name, **options))
    assert result.ok, result.problems
    return result


def nothing_written():
    return not (School.objects.exists() or User.objects.exists())


def test_clean_import_builds_the_city(tmp_path):
    result = imported(small_city(), tmp_path)

    assert result.counts["users"]["created"] == 6
    assert School.objects.count() == 2
    school = School.objects.get(external_id="1501")
    assert school.sourced_id == "org-1501" and school.name == "Школа № 1501"
    assert AcademicYear.objects.filter(school=school, sourced_id="year").count() == 1
    assert Term.objects.filter(academic_year__school=school, sourced_id="q1").exists()
    assert set(Subject.objects.values_list("code", flat=True)) == {
        "mathematics",
        "russian",
    }
    # Sections of one class group make one class: 5А, not "5А Математика".
    five_a = ClassGroup.objects.get(school=school, grade=5, letter="А")
    assert five_a.homeroom_teacher.username == "alice"
    assert ClassGroup.objects.filter(school=school).count() == 2
    assert set(
        Enrolment.objects.current()
        .filter(class_group=five_a)
        .values_list("pupil__username", flat=True)
    ) == {"petya", "masha"}
    assignment = TeachingAssignment.objects.get(teacher__username="alice")
    assert (assignment.class_group, assignment.subject.code) == (five_a, "mathematics")
    petya = User.objects.get(username="petya")
    assert (petya.first_name, petya.last_name, petya.patronymic) == (
        "Петя",
        "Иванов",
        "Петрович",
    )
    assert petya.email == "petya@example.org" and petya.has_role(Role.PUPIL)
    assert list(petya.schools.all()) == [school]
    assert not petya.has_usable_password()
    olga = User.objects.get(username="olga")
    assert olga.has_role(Role.PARENT)
    assert list(Guardianship.objects.values_list("parent", "pupil")) == [
        (olga.pk, petya.pk)
    ]


def test_reimport_updates_by_sourced_id(tmp_path):
    imported(small_city(), tmp_path, "first.zip")
    again = small_city().change("users.csv", "u-masha", familyName="Кузнецова")
    result = imported(again, tmp_path, "second.zip")

    assert User.objects.count() == 6
    assert User.objects.get(username="masha").last_name == "Кузнецова"
    assert result.counts["users"]["updated"] == 1
    assert result.counts["users"]["unchanged"] == 5
    assert Enrolment.objects.count() == 3
    assert TeachingAssignment.objects.count() == 2
    assert ClassGroup.objects.count() == 3


def test_moved_pupil_ends_one_enrolment_and_starts_another(tmp_path):
    imported(small_city(), tmp_path, "first.zip")
    today = timezone.localdate()
    moved = small_city().change(
        "enrollments.csv", "e-masha", classSourcedId="cls-5b", beginDate=iso(today)
    )
    result = imported(moved, tmp_path, "second.zip")

    masha = User.objects.get(username="masha")
    old, new = Enrolment.objects.filter(pupil=masha).order_by("starts_on", "pk")
    assert (old.class_group.letter, old.ends_on) == (
        "А",
        today - datetime.timedelta(days=1),
    )
    assert (new.class_group.letter, new.starts_on, new.ends_on) == ("Б", today, None)
    current = Enrolment.objects.current().get(pupil=masha)
    assert current.class_group.name == "5Б"
    assert result.counts["enrolments"]["ended"] == 1
    assert result.counts["enrolments"]["created"] == 1


def test_bulk_file_without_an_enrolment_ends_it(tmp_path):
    imported(small_city(), tmp_path, "first.zip")
    imported(small_city().remove("enrollments.csv", "e-masha"), tmp_path, "second.zip")

    masha = User.objects.get(username="masha")
    assert not Enrolment.objects.current().filter(pupil=masha).exists()
    assert Enrolment.objects.filter(pupil=masha).exists()  # history is kept


def test_delta_tobedeleted_ends_links_and_keeps_people(tmp_path):
    imported(small_city(), tmp_path, "first.zip")
    delta = small_city(mode="delta")
    stamp = "2026-11-02T10:00:00.000Z"
    for rows in delta.files.values():
        for row in rows:
            row.update(status="active", dateLastModified=stamp)
    delta.change("users.csv", "u-olga", status="tobedeleted")
    delta.change("enrollments.csv", "e-alice-math", status="tobedeleted")
    imported(delta, tmp_path, "delta.zip")

    olga = User.objects.get(username="olga")
    assert not Guardianship.objects.filter(parent=olga).exists()
    assert not olga.schools.exists()
    assert not TeachingAssignment.objects.filter(teacher__username="alice").exists()
    assert User.objects.count() == 6


def problems_of(roster, tmp_path):
    result = roster_import(source=roster.zip(tmp_path / "bad.zip"))
    assert not result.ok
    assert nothing_written()
    return {(p.file, p.line): p.message for p in result.problems}


def test_missing_required_column_is_reported_and_nothing_written(tmp_path):
    roster = small_city()
    roster.columns["users.csv"].remove("familyName")
    problems = problems_of(roster, tmp_path)
    assert "familyName" in problems[("users.csv", 1)]


def test_bad_date_is_reported_with_its_line(tmp_path):
    roster = small_city().change("enrollments.csv", "e-masha", beginDate="2026-13-01")
    problems = problems_of(roster, tmp_path)
    line = roster.line_of("enrollments.csv", "e-masha")
    assert "2026-13-01" in problems[("enrollments.csv", line)]


def test_unknown_role_is_reported(tmp_path):
    roster = small_city().change("roles.csv", "r-u-masha-student", role="wizard")
    problems = problems_of(roster, tmp_path)
    assert (
        "wizard"
        in problems[("roles.csv", roster.line_of("roles.csv", "r-u-masha-student"))]
    )


def test_dangling_reference_is_reported(tmp_path):
    roster = small_city().change("enrollments.csv", "e-vasya", userSourcedId="u-ghost")
    problems = problems_of(roster, tmp_path)
    line = roster.line_of("enrollments.csv", "e-vasya")
    assert "u-ghost" in problems[("enrollments.csv", line)]


def test_class_of_a_missing_school_is_reported(tmp_path):
    roster = small_city().change("classes.csv", "cls-5b", schoolSourcedId="org-9999")
    problems = problems_of(roster, tmp_path)
    assert (
        "org-9999" in problems[("classes.csv", roster.line_of("classes.csv", "cls-5b"))]
    )


def test_duplicate_sourced_id_is_reported(tmp_path):
    roster = small_city()
    roster.add("users.csv", **dict(roster.row("users.csv", "u-masha"), username="m2"))
    problems = problems_of(roster, tmp_path)
    assert "u-masha" in problems[("users.csv", len(roster.files["users.csv"]) + 1)]


def test_every_bad_row_is_reported_at_once(tmp_path):
    roster = small_city()
    roster.change("enrollments.csv", "e-masha", beginDate="yesterday")
    roster.change("roles.csv", "r-u-boris-teacher", role="wizard")
    roster.change("academicSessions.csv", "q1", endDate="2000-01-01")
    problems = problems_of(roster, tmp_path)
    assert {file for file, _ in problems} >= {
        "enrollments.csv",
        "roles.csv",
        "academicSessions.csv",
    }


def test_zip_with_path_traversal_is_refused(tmp_path):
    path = small_city().zip(tmp_path / "roster.zip")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("../../etc/users.csv", "sourcedId\n")
    result = roster_import(source=path)
    assert not result.ok and "../../etc/users.csv" in result.problems[0].message
    assert nothing_written()


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "roster.zip"
    path.write_bytes(b"not a zip at all")
    result = roster_import(source=path)
    assert not result.ok and nothing_written()


def test_byte_order_mark_is_handled(tmp_path):
    imported(small_city(), tmp_path, bom=True)
    assert User.objects.get(sourced_id="u-petya").first_name == "Петя"


def test_folder_import_and_dry_run_writes_nothing(tmp_path):
    folder = small_city().write(tmp_path / "roster")
    result = roster_import(source=folder, dry_run=True)
    assert result.ok and result.counts["users"]["created"] == 6
    assert nothing_written()


def test_oneroster_1_1_style_users_with_role_column(tmp_path):
    roster = small_city()
    roster.modes["roles.csv"] = "absent"
    roster.columns["users.csv"] += ["role", "orgSourcedIds"]
    for row in roster.files["roles.csv"]:
        roster.row("users.csv", row["userSourcedId"]).update(
            role=row["role"], orgSourcedIds=row["orgSourcedId"]
        )
    imported(roster, tmp_path)
    assert User.objects.get(username="boris").has_role(Role.TEACHER)
    assert User.objects.get(username="boris").schools.get().external_id == "1502"


def test_a_few_hundred_people_cost_a_bounded_number_of_queries(
    tmp_path, django_assert_max_num_queries
):
    roster = small_city()
    for n in range(300):
        roster.add(
            "users.csv",
            sourcedId=f"u-{n}",
            enabledUser="true",
            username=f"p{n}",
            givenName="Ученик",
            familyName=f"Номер{n}",
        )
        roster.add(
            "roles.csv",
            sourcedId=f"r-{n}",
            userSourcedId=f"u-{n}",
            roleType="primary",
            role="student",
            orgSourcedId="org-1501",
        )
        roster.add(
            "enrollments.csv",
            sourcedId=f"e-{n}",
            classSourcedId="cls-5b",
            schoolSourcedId="org-1501",
            userSourcedId=f"u-{n}",
            role="student",
        )
    path = roster.zip(tmp_path / "big.zip")
    # Bulk writes: the count does not grow with the number of rows.
    with django_assert_max_num_queries(80):
        result = roster_import(source=path)
    assert result.ok
    assert (
        Enrolment.objects.filter(class_group__letter="Б", class_group__grade=5).count()
        == 300
    )
