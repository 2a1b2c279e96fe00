"""`manage.py seed_demo`: the demo city it loads, its logins, and that it is idempotent.

The city (about 560 accounts) is loaded once per module through the command, as
`make run` does.
"""

import datetime
import hashlib
import io
import json
import os
import re
from itertools import pairwise

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max
from django.test import RequestFactory, override_settings
from django.utils import timezone

from school.demo_city import DEMO_PASSWORD, demo_city_seed
from school.demo_names import patronymic
from school.demo_plan import school_year
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
from school.services import city_account_sync, city_claims_parse

pytestmark = pytest.mark.django_db

CYRILLIC_NAME = re.compile(r"^[А-ЯЁ][а-яё]+$")
LOGIN = re.compile(r"^[a-z]+\.[a-z]{2}\d*$")


@pytest.fixture(scope="module")
def accounts_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loads the city once for the module, in a transaction rolled back after it.

    Each test runs inside a savepoint of that transaction (pytest-django), so a test
    that changes rows leaves the city as it was for the next.
    """
    path = tmp_path_factory.mktemp("idp") / "accounts.json"
    # The demo library writes its pictures to media; keep them out of var/.
    media = tmp_path_factory.mktemp("media")
    overrides = override_settings(IDP_ACCOUNTS_FILE=path, MEDIA_ROOT=media)
    with overrides, django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_demo", "--quiet")
            yield path
            transaction.set_rollback(True)


@pytest.fixture
def seeded(accounts_file):
    return accounts_file


def with_role(role: str):
    return User.objects.filter(role_grants__role=role)


def test_two_schools_each_with_the_current_year_in_quarters(seeded):
    today = timezone.localdate()
    name, first_day, _ = school_year(today)
    assert School.objects.count() == 2
    for school in School.objects.all():
        year = AcademicYear.objects.get(school=school)
        assert (year.name, year.starts_on) == (name, first_day)
        assert first_day.month == 9 and first_day.day == 1 and first_day <= today
        terms = list(year.terms.order_by("starts_on"))
        assert [t.name for t in terms] == [f"{n} четверть" for n in range(1, 5)]
        assert terms[0].starts_on == year.starts_on
        assert terms[-1].ends_on <= year.ends_on
        # Holidays fall between the quarters.
        assert all(a.ends_on < b.starts_on for a, b in pairwise(terms))


def test_seeding_in_spring_uses_the_year_that_began_last_september(seeded):
    demo_city_seed(today=datetime.date(2028, 3, 10))
    years = AcademicYear.objects.filter(name="2027/2028")
    assert {year.starts_on for year in years} == {datetime.date(2027, 9, 1)}
    assert years.count() == School.objects.count()
    third = Term.objects.filter(academic_year__in=years, name="3 четверть")
    assert {term.starts_on for term in third} == {datetime.date(2028, 1, 12)}
    assert ClassGroup.objects.filter(academic_year__in=years).count() >= 8


def test_classes_have_subjects_teachers_and_homeroom_teachers(seeded):
    classes = ClassGroup.objects.select_related("homeroom_teacher")
    assert classes.count() >= 8
    assert len({c.grade for c in classes}) >= 3
    assert {c.school_id for c in classes} == set(
        School.objects.values_list("pk", flat=True)
    )
    for class_group in classes:
        lessons = class_group.teaching_assignments.all()
        assert lessons.values("subject").distinct().count() >= 5, class_group
        assert class_group.homeroom_teacher.has_role(Role.TEACHER)
        assert lessons.filter(teacher=class_group.homeroom_teacher).exists()
    homerooms = classes.values_list("homeroom_teacher", flat=True)
    assert len(set(homerooms)) == classes.count()


def test_teachers_teach_one_or_two_subjects_in_classes_of_their_school(seeded):
    teachers = with_role(Role.TEACHER)
    assert teachers.count() >= 12
    for teacher in teachers:
        lessons = TeachingAssignment.objects.filter(teacher=teacher)
        assert 1 <= lessons.values("subject").distinct().count() <= 2, teacher
        schools = set(lessons.values_list("class_group__school", flat=True))
        assert schools == set(teacher.schools.values_list("pk", flat=True))
        assert lessons.values("class_group").distinct().count() >= 2, teacher


def test_subject_catalogue_has_latin_codes(seeded):
    names = set(Subject.objects.values_list("name", flat=True))
    expected = {"Математика", "Русский язык", "Литература", "Английский язык"}
    assert expected | {"История", "Биология", "Физика", "Информатика"} <= names
    for code in Subject.objects.values_list("code", flat=True):
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code)


def test_every_pupil_is_enrolled_now_and_has_a_guardian(seeded):
    pupils = with_role(Role.PUPIL)
    assert pupils.count() >= 200
    current = Enrolment.objects.current().select_related("class_group")
    by_pupil = {e.pupil_id: e for e in current}
    assert len(by_pupil) == current.count() == pupils.count()
    for pupil in pupils.prefetch_related("schools"):
        assert [s.pk for s in pupil.schools.all()] == [
            by_pupil[pupil.pk].class_group.school_id
        ]
    guardians = Guardianship.objects.values("pupil").annotate(n=Count("parent"))
    counts = {row["pupil"]: row["n"] for row in guardians}
    assert set(counts) == set(pupils.values_list("pk", flat=True))
    assert 2 in counts.values()
    sizes = current.values("class_group").annotate(n=Count("pk"))
    assert all(24 <= row["n"] <= 30 for row in sizes)


def test_families_span_schools_and_a_teacher_is_a_parent(seeded):
    school_of = {
        e.pupil_id: e.class_group.school_id
        for e in Enrolment.objects.current().select_related("class_group")
    }
    children = {}
    for parent_id, pupil_id in Guardianship.objects.values_list("parent", "pupil"):
        children.setdefault(parent_id, set()).add(school_of[pupil_id])
    assert any(len(schools) == 2 for schools in children.values())
    parent_teachers = with_role(Role.TEACHER).filter(role_grants__role=Role.PARENT)
    assert parent_teachers.count() == 1
    assert parent_teachers.get().guardianships.exists()
    for school in School.objects.all():
        assert with_role(Role.SCHOOL_ADMIN).filter(schools=school).count() == 1
    assert with_role(Role.METHODOLOGIST).count() == 1
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)


def test_names_are_russian_with_feminine_forms_and_patronymics(seeded):
    people = User.objects.exclude(oidc_sub="")
    assert people.count() > 500
    for person in people:
        for name in (person.last_name, person.first_name, person.patronymic):
            assert CYRILLIC_NAME.match(name), person.username
        assert LOGIN.match(person.username)
        if person.patronymic.endswith("на"):  # a woman: Петровна, Ильинична
            assert person.last_name.endswith(("а", "ая")), person.full_name
        else:
            assert person.patronymic.endswith("ич"), person.full_name
            assert not person.last_name.endswith(("а", "ая")), person.full_name
    for link in Guardianship.objects.select_related("parent", "pupil"):
        parent, child = link.parent, link.pupil
        if parent.patronymic.endswith("ич"):  # a father names his children
            female = child.patronymic.endswith("на")
            assert child.patronymic == patronymic(parent.first_name, female=female)
        assert masculine(parent.last_name) == masculine(child.last_name)


def masculine(surname: str) -> str:
    """Иванова → Иванов, Покровская → Покровский."""
    if surname.endswith("ая"):
        return surname.removesuffix("ая") + "ий"
    return surname.removesuffix("а")


def snapshot() -> dict[str, tuple[int, int | None, str]]:
    """Per table of the school app: row count, highest id and a hash of all values."""
    tables = {}
    for model in apps.get_app_config("school").get_models(include_auto_created=True):
        rows = model.objects.order_by("pk").values_list()
        digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        top = model.objects.aggregate(top=Max("pk"))["top"]
        tables[model._meta.db_table] = (rows.count(), top, digest)
    return tables


def test_a_second_run_changes_nothing(seeded, accounts_file):
    before = snapshot()
    file_before = os.stat(accounts_file)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == before
    file_after = os.stat(accounts_file)
    assert (file_after.st_ino, file_after.st_mtime_ns) == (
        file_before.st_ino,
        file_before.st_mtime_ns,
    )
    assert "0 rows written" in out.getvalue()


def test_a_changed_account_is_restored(seeded):
    pupil = with_role(Role.PUPIL).first()
    original = (pupil.first_name, pupil.password)
    pupil.first_name = "Изменено"
    pupil.set_password("something else")
    pupil.save()
    pupil.role_grants.all().delete()
    call_command("seed_demo", "--quiet")
    pupil.refresh_from_db()
    assert (pupil.first_name, pupil.password) == original
    assert pupil.has_role(Role.PUPIL)


def test_accounts_left_by_an_older_demo_give_way(seeded):
    """After a change to the plan, logins move between accounts and old ones go."""
    first, second, teacher = [*with_role(Role.PUPIL)[:2], with_role(Role.TEACHER)[0]]
    logins = {user.pk: user.username for user in (first, second, teacher)}
    User.objects.filter(pk=first.pk).update(username="swap")
    User.objects.filter(pk=second.pk).update(username=logins[first.pk])
    User.objects.filter(pk=first.pk).update(username=logins[second.pk])
    User.objects.filter(pk=teacher.pk).update(username="moved")
    old = User.objects.create(
        username=logins[teacher.pk],
        email="someone@demo.city.example",
        oidc_sub="city-from-an-older-plan",
    )
    call_command("seed_demo", "--quiet")
    current = dict(User.objects.filter(pk__in=logins).values_list("pk", "username"))
    assert current == logins
    assert not User.objects.filter(pk=old.pk).exists()


def read_accounts(path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_accounts_file_matches_the_database(seeded, accounts_file):
    accounts = {account["sub"]: account for account in read_accounts(accounts_file)}
    users = User.objects.exclude(oidc_sub="").prefetch_related(
        "role_grants", "schools", "guardianships__pupil"
    )
    assert set(accounts) == {user.oidc_sub for user in users}
    for user in users:
        account = accounts[user.oidc_sub]
        claims = account["claims"]
        assert (account["login"], account["password"]) == (user.username, DEMO_PASSWORD)
        assert claims["preferred_username"] == user.username
        assert (claims["family_name"], claims["given_name"], claims["middle_name"]) == (
            user.last_name,
            user.first_name,
            user.patronymic,
        )
        assert set(claims["roles"]) == user.role_set
        assert set(claims["school_ids"]) == {s.external_id for s in user.schools.all()}
        assert set(claims["children"]) == {
            g.pupil.oidc_sub for g in user.guardianships.all()
        }
        assert user.oidc_issuer == settings.OIDC_OP_ISSUER


def test_signing_in_with_the_providers_claims_changes_nothing(seeded, accounts_file):
    """The platform's own SSO sync, fed the file's claims, finds every link in place."""
    accounts = read_accounts(accounts_file)
    parent_teacher = with_role(Role.TEACHER).get(role_grants__role=Role.PARENT)
    sample = [a for a in accounts if a["sub"] == parent_teacher.oidc_sub]
    sample += [a for a in accounts if a["claims"]["children"]][:3]
    before = snapshot()
    for account in sample:
        claims = city_claims_parse(
            {"sub": account["sub"], **account["claims"]},
            roles_claim=settings.OIDC_CLAIM_ROLES,
            schools_claim=settings.OIDC_CLAIM_SCHOOLS,
            children_claim=settings.OIDC_CLAIM_CHILDREN,
            patronymic_claim=settings.OIDC_CLAIM_PATRONYMIC,
        )
        city_account_sync(issuer=settings.OIDC_OP_ISSUER, claims=claims)
    assert snapshot() == before


def printed_logins(output: str) -> dict[str, str]:
    """label → login, from the lines that end with the password."""
    rows = [line.split() for line in output.splitlines()]
    return {
        " ".join(row[:-2]): row[-2] for row in rows if row and row[-1] == DEMO_PASSWORD
    }


def test_command_prints_one_working_login_per_role(seeded):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "http://127.0.0.1:8000/" in out.getvalue()
    logins = printed_logins(out.getvalue())
    users = {label: User.objects.get(username=login) for label, login in logins.items()}
    for login in logins.values():
        request = RequestFactory().post("/login/")
        user = authenticate(request, username=login, password=DEMO_PASSWORD)
        assert user is not None and user.username == login
    assert users["pupil"].role_set == {Role.PUPIL}
    assert users["teacher"].role_set == {Role.TEACHER}
    assert users["parent who is also a teacher"].role_set == {
        Role.PARENT,
        Role.TEACHER,
    }
    two_schools = users["parent of children in two schools"]
    schools = Enrolment.objects.current().filter(pupil__guardians__parent=two_schools)
    assert schools.values("class_group__school").distinct().count() == 2
    assert users["school administrator"].role_set == {Role.SCHOOL_ADMIN}
    assert users["methodologist"].role_set == {Role.METHODOLOGIST}
    assert users["platform administrator"].is_superuser
    quiet = io.StringIO()
    call_command("seed_demo", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""
    again = io.StringIO()
    call_command("seed_demo", "--logins-only", stdout=again)
    assert printed_logins(again.getvalue()) == logins


def test_a_login_taken_outside_the_demo_stops_the_seed(seeded):
    before = snapshot()
    teacher = with_role(Role.TEACHER).first()
    User.objects.filter(pk=teacher.pk).update(username="moved")
    someone = User.objects.create(username=teacher.username, email="a@school.ru")
    with pytest.raises(CommandError, match=teacher.username):
        call_command("seed_demo", "--quiet")
    someone.delete()
    User.objects.filter(pk=teacher.pk).update(username=teacher.username)
    assert snapshot() == before
