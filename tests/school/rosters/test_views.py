"""The roster upload and download pages, per persona."""

import io
import zipfile

import pytest
from django.urls import reverse

from school.models import Enrolment, Role, User
from tests import factories
from tests.school.rosters.builder import Roster, small_city

pytestmark = pytest.mark.django_db


def city_roster(city):
    """A roster of the `city` fixture's school one, under its own ids."""
    roster = small_city()
    roster.files["orgs.csv"][1].update(
        sourcedId="org-1501", identifier=city.school_one.external_id
    )
    roster.files["orgs.csv"][2].update(identifier=city.school_two.external_id)
    return roster


def upload(client, path, dry_run=False):
    with open(path, "rb") as handle:
        data = {"archive": handle}
        if dry_run:
            data["dry_run"] = "on"
        return client.post(reverse("roster_upload"), data)


@pytest.mark.parametrize(
    "persona", ["teacher", "other_teacher", "pupil_in", "parent", "other_parent"]
)
@pytest.mark.parametrize("name", ["roster_upload", "roster_download"])
def test_people_who_are_not_administrators_get_404(client, city, persona, name):
    client.force_login(getattr(city, persona))
    assert client.get(reverse(name)).status_code == 404


def test_a_teacher_cannot_upload(client, city, tmp_path):
    client.force_login(city.teacher)
    response = upload(client, small_city().zip(tmp_path / "r.zip"))
    assert response.status_code == 404
    assert not User.objects.filter(sourced_id__startswith="u-").exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("roster_upload"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_school_admin_imports_their_school(client, city, tmp_path):
    roster = school_one_roster(city)
    client.force_login(city.admin_one)

    checked = upload(client, roster.zip(tmp_path / "r.zip"), dry_run=True)
    assert checked.status_code == 200
    assert 'id="summary"' in checked.content.decode()
    assert not User.objects.filter(username="new-masha").exists()

    done = upload(client, tmp_path / "r.zip")
    assert done.status_code == 200, done.content.decode()
    masha = User.objects.get(username="new-masha")
    assert Enrolment.objects.get(pupil=masha).class_group.school == city.school_one


def test_admin_of_another_school_cannot_import_rows_of_this_school(
    client, city, tmp_path
):
    client.force_login(city.admin_two)
    response = upload(client, city_roster(city).zip(tmp_path / "r.zip"))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="problems"' in page and "org-1501" in page
    assert not User.objects.filter(username="masha").exists()


def test_school_admin_cannot_take_over_a_person_of_another_school(
    client, city, tmp_path
):
    city.pupil_out.sourced_id = "u-stolen"
    city.pupil_out.save(update_fields=["sourced_id"])
    roster = small_city()
    roster.change("orgs.csv", "org-1501", identifier=city.school_one.external_id)
    roster.change("users.csv", "u-masha", sourcedId="u-stolen", username="vasya")
    roster.change("roles.csv", "r-u-masha-student", userSourcedId="u-stolen")
    client.force_login(city.admin_one)
    response = upload(client, roster.zip(tmp_path / "r.zip"))
    assert response.status_code == 400
    city.pupil_out.refresh_from_db()
    assert city.pupil_out.first_name == "Вася"


def test_problem_table_names_file_and_line(client, city, tmp_path):
    client.force_login(factories.UserFactory(is_superuser=True))
    roster = small_city().change("enrollments.csv", "e-masha", beginDate="31.12.2026")
    response = upload(client, roster.zip(tmp_path / "r.zip"))
    page = response.content.decode()
    line = roster.line_of("enrollments.csv", "e-masha")
    assert f"<td>enrollments.csv</td><td>{line}</td>" in page
    assert "31.12.2026" in page


def test_school_admin_downloads_only_their_schools(client, city):
    client.force_login(city.admin_one)
    response = client.get(reverse("roster_download"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    users = archive.read("users.csv").decode()
    assert city.pupil_in.username in users and city.pupil_out.username not in users
    denied = client.get(reverse("roster_download"), {"school": city.school_two.pk})
    assert denied.status_code == 404


def test_upload_page_queries_do_not_grow_with_schools(
    client, city, django_assert_max_num_queries
):
    for _ in range(5):
        factories.SchoolFactory()
    client.force_login(factories.UserFactory(is_superuser=True))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("roster_upload")).status_code == 200


def test_wagtail_admin_menu_links_to_the_roster_page(client, city):
    client.force_login(city.admin_one)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert reverse("roster_upload") in response.content.decode()


# --- A school administrator's file set names another school's people.


def school_one_roster(city):
    """What `test_school_admin_imports_their_school` uploads: school one only."""
    roster = city_roster(city)
    for name in ("orgs.csv", "classes.csv", "users.csv", "enrollments.csv"):
        roster.files[name] = [
            row
            for row in roster.files[name]
            if "1502" not in str(row)
            and "7b" not in str(row)
            and row.get("sourcedId") not in {"u-boris", "u-vasya"}
        ]
    roster.remove("roles.csv", "r-u-vasya-student").remove(
        "roles.csv", "r-u-boris-teacher"
    )
    roster.remove("courses.csv", "course-rus")
    for row in roster.files["users.csv"]:
        row["username"] = "new-" + row["username"]
    return roster


@pytest.fixture
def school_two_people(city):
    """Вася (a pupil) and Борис (a teacher) of school two, known to the roster."""
    for user, sid in ((city.pupil_out, "u-b-pupil"), (city.other_teacher, "u-b-tch")):
        user.sourced_id = sid
        user.save(update_fields=["sourced_id"])


def refused(client, city, roster, tmp_path, file: str, sid: str, reference: str):
    """Uploads as school one's administrator; asserts the refusal names the file,
    the row's line and the person, and that nothing was written."""
    client.force_login(city.admin_one)
    response = upload(client, roster.zip(tmp_path / "r.zip"))
    page = response.content.decode()
    assert response.status_code == 400
    line = roster.line_of(file, sid)
    assert f"<td>{file}</td><td>{line}</td>" in page
    assert reference in page
    assert not User.objects.filter(username="new-masha").exists()
    return page


def test_cannot_enrol_another_schools_pupil(client, city, school_two_people, tmp_path):
    roster = school_one_roster(city).add(
        "enrollments.csv",
        sourcedId="e-stolen",
        classSourcedId="cls-5a",
        schoolSourcedId="org-1501",
        userSourcedId="u-b-pupil",
        role="student",
    )
    refused(client, city, roster, tmp_path, "enrollments.csv", "e-stolen", "u-b-pupil")
    assert not Enrolment.objects.filter(
        pupil=city.pupil_out, class_group__school=city.school_one
    ).exists()


def test_cannot_grant_another_schools_staff_a_role(
    client, city, school_two_people, tmp_path
):
    roster = school_one_roster(city).add(
        "roles.csv",
        sourcedId="r-stolen",
        userSourcedId="u-b-tch",
        roleType="primary",
        role="administrator",
        orgSourcedId="org-1501",
    )
    refused(client, city, roster, tmp_path, "roles.csv", "r-stolen", "u-b-tch")
    assert Role.SCHOOL_ADMIN not in city.other_teacher.role_set
    assert not city.other_teacher.schools.filter(pk=city.school_one.pk).exists()


def test_cannot_take_away_another_schools_staff_role(
    client, city, school_two_people, tmp_path
):
    removal = {
        "sourcedId": "r-stolen",
        "status": "tobedeleted",
        "dateLastModified": "2026-09-01T08:00:00Z",
        "userSourcedId": "u-b-tch",
        "roleType": "primary",
        "role": "teacher",
        "orgSourcedId": city.school_one.external_id,
    }
    roster = Roster({"roles.csv": [removal]}, {"roles.csv": "delta"})
    client.force_login(city.admin_one)
    response = upload(client, roster.zip(tmp_path / "r.zip"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "<td>roles.csv</td><td>2</td>" in page and "u-b-tch" in page
    assert Role.TEACHER in city.other_teacher.role_set


def test_cannot_link_another_schools_pupil_to_a_parent(
    client, city, school_two_people, tmp_path
):
    roster = school_one_roster(city).change(
        "users.csv", "u-olga", agentSourcedIds="u-petya,u-b-pupil"
    )
    refused(client, city, roster, tmp_path, "users.csv", "u-olga", "u-b-pupil")
    assert not city.pupil_out.guardians.exclude(parent=city.other_parent).exists()
