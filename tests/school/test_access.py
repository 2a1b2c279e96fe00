"""The access policy, table by table, with the named personas of the `city` fixture.

Each table lists every persona with the answer the policy must give, so a rule that
lets one persona too many through (or shuts out a rightful one) fails by name.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from school import access
from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    Role,
    RoleGrant,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
)
from tests import factories

PERSONAS = [
    "teacher",
    "other_teacher",
    "pupil_in",
    "pupil_out",
    "parent",
    "other_parent",
    "admin_one",
    "admin_two",
]


def table(*allowed: str) -> list[tuple[str, bool]]:
    """Every persona paired with whether it is in `allowed`."""
    return [(name, name in allowed) for name in PERSONAS]


@pytest.mark.parametrize(
    ("persona", "expected"),
    table("teacher", "pupil_in", "parent", "admin_one"),
)
def test_can_view_pupil(city, persona, expected):
    assert access.can_view_pupil(getattr(city, persona), city.pupil_in) is expected


@pytest.mark.parametrize(
    ("persona", "expected"), table("teacher", "pupil_in", "admin_one")
)
def test_can_view_class(city, persona, expected):
    assert access.can_view_class(getattr(city, persona), city.class_in) is expected


@pytest.mark.parametrize(("persona", "expected"), table("teacher"))
def test_can_edit_gradebook(city, persona, expected):
    user = getattr(city, persona)
    assert access.can_edit_gradebook(user, city.class_in, city.maths) is expected


def test_teacher_cannot_edit_a_subject_they_do_not_teach_in_their_class(city):
    russian = factories.SubjectFactory(code="russian", name="Русский язык")
    assert not access.can_edit_gradebook(city.teacher, city.class_in, russian)


def test_homeroom_teacher_sees_the_class_but_writes_no_marks_without_assignment(city):
    homeroom = factories.UserFactory(roles=[Role.TEACHER])
    city.class_in.homeroom_teacher = homeroom
    city.class_in.save(update_fields=["homeroom_teacher"])
    assert access.can_view_class(homeroom, city.class_in)
    assert access.can_view_pupil(homeroom, city.pupil_in)
    assert not access.can_edit_gradebook(homeroom, city.class_in, city.maths)


@pytest.mark.parametrize(("persona", "expected"), table("admin_one"))
def test_can_manage_school(city, persona, expected):
    assert access.can_manage_school(getattr(city, persona), city.school_one) is expected


def test_platform_administrator_manages_every_school(city):
    root = factories.UserFactory(is_superuser=True)
    assert access.can_manage_school(root, city.school_one)
    assert access.can_manage_school(root, city.school_two)


def test_school_admin_role_without_membership_manages_nothing(city):
    stray = factories.UserFactory(roles=[Role.SCHOOL_ADMIN])
    assert not access.can_manage_school(stray, city.school_one)


def test_membership_without_admin_role_manages_nothing(city):
    # Teachers are members of their school too; membership alone is not power.
    assert city.teacher.schools.filter(pk=city.school_one.pk).exists()
    assert not access.can_manage_school(city.teacher, city.school_one)


# --- get_*_for_user: the row, or Http404 for everyone else.


@pytest.mark.parametrize(
    ("persona", "expected"), table("teacher", "pupil_in", "admin_one")
)
def test_get_class_for_user(city, persona, expected):
    user = getattr(city, persona)
    if expected:
        assert access.get_class_for_user(user, city.class_in.pk) == city.class_in
    else:
        with pytest.raises(Http404):
            access.get_class_for_user(user, city.class_in.pk)


@pytest.mark.parametrize(
    ("persona", "expected"),
    table("teacher", "pupil_in", "parent", "admin_one"),
)
def test_get_pupil_for_user(city, persona, expected):
    user = getattr(city, persona)
    if expected:
        assert access.get_pupil_for_user(user, city.pupil_in.pk) == city.pupil_in
    else:
        with pytest.raises(Http404):
            access.get_pupil_for_user(user, city.pupil_in.pk)


@pytest.mark.parametrize(("persona", "expected"), table("admin_one"))
def test_get_school_for_admin(city, persona, expected):
    user = getattr(city, persona)
    if expected:
        assert access.get_school_for_admin(user, city.school_one.pk) == city.school_one
    else:
        with pytest.raises(Http404):
            access.get_school_for_admin(user, city.school_one.pk)


def test_missing_rows_are_404_even_for_the_platform_administrator(city):
    root = factories.UserFactory(is_superuser=True)
    for getter in (
        access.get_class_for_user,
        access.get_pupil_for_user,
        access.get_school_for_admin,
    ):
        with pytest.raises(Http404):
            getter(root, 10**9)


def test_pupil_page_is_only_for_pupils(city):
    # A teacher's id is not a pupil: even their own school's admin gets 404.
    with pytest.raises(Http404):
        access.get_pupil_for_user(city.admin_one, city.teacher.pk)


# --- A pupil who moved class in the middle of the year.


@pytest.fixture
def moved(city):
    """Петя left 5А yesterday and joined 7Б (the other school) today."""
    today = timezone.localdate()
    enrolment = Enrolment.objects.get(pupil=city.pupil_in, class_group=city.class_in)
    enrolment.starts_on = today - datetime.timedelta(days=30)
    enrolment.ends_on = today - datetime.timedelta(days=1)
    enrolment.save(update_fields=["starts_on", "ends_on"])
    Enrolment.objects.create(
        pupil=city.pupil_in, class_group=city.class_out, starts_on=today
    )
    return city


def test_moved_pupil_leaves_the_old_teacher_and_reaches_the_new_one(moved):
    pupil = moved.pupil_in
    assert not access.can_view_pupil(moved.teacher, pupil)
    assert access.can_view_pupil(moved.other_teacher, pupil)
    assert not access.can_view_pupil(moved.admin_one, pupil)
    assert access.can_view_pupil(moved.admin_two, pupil)
    assert access.can_view_pupil(moved.parent, pupil)


def test_moved_pupil_sees_only_the_new_class(moved):
    assert not access.can_view_class(moved.pupil_in, moved.class_in)
    assert access.can_view_class(moved.pupil_in, moved.class_out)


def test_moved_pupils_family_link_is_managed_by_the_new_school_only(moved):
    link = Guardianship.objects.get(parent=moved.parent, pupil=moved.pupil_in)
    assert link not in access.admin_queryset_for(moved.admin_one, Guardianship)
    assert link in access.admin_queryset_for(moved.admin_two, Guardianship)


def test_future_enrolment_grants_nothing_yet(city):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    newcomer = factories.UserFactory(roles=[Role.PUPIL])
    Enrolment.objects.create(
        pupil=newcomer, class_group=city.class_in, starts_on=tomorrow
    )
    assert not access.can_view_pupil(city.teacher, newcomer)
    assert not access.can_view_class(newcomer, city.class_in)


# --- One person, two roles.


@pytest.fixture
def teacher_parent(city):
    """Алиса teaches 5А and is also Вася's (7Б, other school) mother."""
    RoleGrant.objects.create(user=city.teacher, role=Role.PARENT)
    Guardianship.objects.create(parent=city.teacher, pupil=city.pupil_out)
    return User.objects.get(pk=city.teacher.pk)


def test_teacher_who_is_a_parent_holds_both_rights_and_no_more(city, teacher_parent):
    assert access.can_view_pupil(teacher_parent, city.pupil_in)  # as teacher
    assert access.can_view_pupil(teacher_parent, city.pupil_out)  # as parent
    # Being a parent of a 7Б pupil opens neither 7Б nor its gradebook.
    assert not access.can_view_class(teacher_parent, city.class_out)
    assert not access.can_edit_gradebook(teacher_parent, city.class_out, city.maths)
    assert access.can_edit_gradebook(teacher_parent, city.class_in, city.maths)


def test_family_link_without_the_parent_role_grants_nothing(city):
    # The provider removed the role; a stale link must not keep the door open.
    RoleGrant.objects.filter(user=city.parent, role=Role.PARENT).delete()
    parent = User.objects.get(pk=city.parent.pk)
    assert not access.can_view_pupil(parent, city.pupil_in)


# --- Inactive and anonymous people.


@pytest.mark.parametrize("persona", ["teacher", "pupil_in", "parent", "admin_one"])
def test_inactive_person_is_refused_everything(city, persona):
    user = getattr(city, persona)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not access.can_view_pupil(user, city.pupil_in)
    assert not access.can_view_class(user, city.class_in)
    assert not access.can_edit_gradebook(user, city.class_in, city.maths)
    assert not access.can_manage_school(user, city.school_one)
    assert not access.admin_queryset_for(user, ClassGroup).exists()


def test_deactivated_pupil_is_404_even_for_their_teacher(city):
    city.pupil_in.is_active = False
    city.pupil_in.save(update_fields=["is_active"])
    with pytest.raises(Http404):
        access.get_pupil_for_user(city.teacher, city.pupil_in.pk)


def test_anonymous_is_refused_everything(city):
    anonymous = AnonymousUser()
    assert not access.can_view_pupil(anonymous, city.pupil_in)
    assert not access.can_view_class(anonymous, city.class_in)
    assert not access.can_edit_gradebook(anonymous, city.class_in, city.maths)
    assert not access.can_manage_school(anonymous, city.school_one)
    with pytest.raises(Http404):
        access.get_class_for_user(anonymous, city.class_in.pk)
    with pytest.raises(Http404):
        access.get_pupil_for_user(anonymous, city.pupil_in.pk)
    with pytest.raises(Http404):
        access.get_school_for_admin(anonymous, city.school_one.pk)
    assert not access.admin_queryset_for(anonymous, School).exists()


# --- What the admin lists, per model.


def rows_of_school_one(city) -> dict[type, set]:
    """The rows of each model that belong to school one (and only those)."""
    year = city.class_in.academic_year
    term = factories.TermFactory(academic_year=year)
    factories.TermFactory(academic_year=city.class_out.academic_year)
    return {
        School: {city.school_one},
        ClassGroup: {city.class_in},
        AcademicYear: {year},
        Term: {term},
        Enrolment: set(Enrolment.objects.filter(class_group=city.class_in)),
        TeachingAssignment: set(
            TeachingAssignment.objects.filter(class_group=city.class_in)
        ),
        Guardianship: set(Guardianship.objects.filter(pupil=city.pupil_in)),
    }


def test_admin_queryset_for_school_admin_is_their_school_only(city):
    for model, rows in rows_of_school_one(city).items():
        assert rows, model
        listed = set(access.admin_queryset_for(city.admin_one, model))
        assert listed == rows, model.__name__


def test_admin_queryset_for_platform_admin_is_everything(city):
    root = factories.UserFactory(is_superuser=True)
    for model in [*rows_of_school_one(city), Subject, User]:
        listed = access.admin_queryset_for(root, model)
        assert listed.count() == model.objects.count(), model.__name__


@pytest.mark.parametrize("model", [Subject, User])
def test_citywide_and_unknown_models_are_closed_to_school_admins(city, model):
    assert model.objects.exists()
    assert not access.admin_queryset_for(city.admin_one, model).exists()


@pytest.mark.parametrize("persona", ["teacher", "pupil_in", "parent"])
def test_admin_queryset_for_other_roles_is_empty(city, persona):
    user = getattr(city, persona)
    for model in rows_of_school_one(city):
        assert not access.admin_queryset_for(user, model).exists(), model.__name__


def test_can_manage_in_admin_follows_the_querysets(city):
    assert access.can_manage_in_admin(city.admin_one, city.class_in)
    assert not access.can_manage_in_admin(city.admin_one, city.class_out)
    assert not access.can_manage_in_admin(city.admin_two, city.class_in)
