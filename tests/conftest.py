"""Shared fixtures: the named personas every permission test uses."""

import importlib
from dataclasses import dataclass

import pytest

from school.models import ClassGroup, School, Subject, User, WorkType
from tests import factories

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _default_work_types(request):
    """Migration 0003 creates the work types, but a transactional test flushes them."""
    names = set(request.fixturenames)
    if not request.node.get_closest_marker("django_db"):
        if not DB_FIXTURES & names:
            return
        # Set the database up first: autouse fixtures run before the ones requested.
        transactional = {"transactional_db", "live_server"} & names
        request.getfixturevalue("transactional_db" if transactional else "db")
    migration = importlib.import_module("school.migrations.0003_default_work_types")
    for code, name, weight in migration.DEFAULT_WORK_TYPES:
        WorkType.objects.get_or_create(
            code=code, defaults={"name": name, "weight": weight}
        )


@dataclass
class City:
    """Two schools and the people whose access the policy must keep apart.

    - alice teaches mathematics in 5А (school one); bob teaches 7Б in school two.
    - pupil_in (Петя) is in 5А, pupil_out (Вася) is in 7Б.
    - parent (Ольга) is Петя's parent; other_parent (Игорь) is Вася's parent.
    - admin_one administers school one, admin_two administers school two.
    """

    school_one: School
    school_two: School
    class_in: ClassGroup
    class_out: ClassGroup
    maths: Subject
    teacher: User
    other_teacher: User
    pupil_in: User
    pupil_out: User
    parent: User
    other_parent: User
    admin_one: User
    admin_two: User


@pytest.fixture
def city(db) -> City:
    maths = factories.SubjectFactory(code="mathematics", name="Математика")
    class_in = factories.ClassGroupFactory(grade=5, letter="А")
    class_out = factories.ClassGroupFactory(grade=7, letter="Б")
    teacher = factories.make_teacher(
        class_in, maths, username="alice", first_name="Алиса"
    )
    other_teacher = factories.make_teacher(
        class_out, maths, username="bob", first_name="Борис"
    )
    pupil_in = factories.make_pupil(class_in, username="petya", first_name="Петя")
    pupil_out = factories.make_pupil(class_out, username="vasya", first_name="Вася")
    return City(
        school_one=class_in.school,
        school_two=class_out.school,
        class_in=class_in,
        class_out=class_out,
        maths=maths,
        teacher=teacher,
        other_teacher=other_teacher,
        pupil_in=pupil_in,
        pupil_out=pupil_out,
        parent=factories.make_parent(pupil_in, username="olga", first_name="Ольга"),
        other_parent=factories.make_parent(
            pupil_out, username="igor", first_name="Игорь"
        ),
        admin_one=factories.make_school_admin(class_in.school, username="admin1"),
        admin_two=factories.make_school_admin(class_out.school, username="admin2"),
    )
