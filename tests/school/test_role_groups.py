"""Roles that author in the lesson library are mirrored into Wagtail groups."""

import pytest

from school.models import Role
from school.services import ROLE_GROUPS, user_roles_set, user_roles_set_many
from tests import factories

pytestmark = pytest.mark.django_db


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_a_role_brings_its_group_and_losing_it_takes_the_group_away():
    user = factories.UserFactory(roles=[Role.TEACHER, Role.PARENT])
    assert group_names(user) == {ROLE_GROUPS[Role.TEACHER]}

    user_roles_set(user=user, roles=[Role.PARENT, Role.METHODOLOGIST])

    assert group_names(user) == {ROLE_GROUPS[Role.METHODOLOGIST]}


def test_roster_import_syncs_groups_only_for_the_roles_it_manages():
    teacher = factories.UserFactory(roles=[Role.TEACHER, Role.METHODOLOGIST])

    user_roles_set_many(
        roles_by_user={teacher.pk: set()},
        managed=frozenset({Role.TEACHER, Role.PUPIL}),
    )

    assert group_names(teacher) == {ROLE_GROUPS[Role.METHODOLOGIST]}
