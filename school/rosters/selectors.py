"""Reads for a roster export: everything of some schools, in a fixed few queries."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    RoleGrant,
    RosterClass,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
)


@dataclass
class RosterData:
    schools: list[School]
    years: list[AcademicYear]
    terms: list[Term]
    subjects: list[Subject]
    classes: list[ClassGroup]
    sections: list[RosterClass]
    assignments: list[TeachingAssignment]
    enrolments: list[Enrolment]
    people: list[User]
    roles: dict[int, set[str]]
    memberships: dict[int, set[int]]
    guardianships: list[Guardianship]


def roster_data(*, schools: QuerySet[School]) -> RosterData:
    """The schools' structure, current enrolments and the people linked to them."""
    school_list = list(schools.order_by("pk"))
    ids = [school.pk for school in school_list]
    enrolments = list(
        Enrolment.objects.current()
        .filter(class_group__school_id__in=ids)
        .order_by("pk")
    )
    assignments = list(
        TeachingAssignment.objects.filter(class_group__school_id__in=ids).order_by("pk")
    )
    classes = list(ClassGroup.objects.filter(school_id__in=ids).order_by("pk"))
    pupil_ids = {enrolment.pupil_id for enrolment in enrolments}
    guardianships = list(
        Guardianship.objects.filter(pupil_id__in=pupil_ids).order_by("pk")
    )
    people = list(
        User.objects.filter(
            Q(schools__in=ids)
            | Q(pk__in=pupil_ids)
            | Q(pk__in={a.teacher_id for a in assignments})
            | Q(
                pk__in={c.homeroom_teacher_id for c in classes if c.homeroom_teacher_id}
            )
            | Q(pk__in={g.parent_id for g in guardianships})
        )
        .distinct()
        .order_by("pk")
    )
    return RosterData(
        schools=school_list,
        years=list(AcademicYear.objects.filter(school_id__in=ids).order_by("pk")),
        terms=list(
            Term.objects.filter(academic_year__school_id__in=ids).order_by("pk")
        ),
        subjects=list(Subject.objects.order_by("pk")),
        classes=classes,
        sections=list(
            RosterClass.objects.filter(class_group__school_id__in=ids).order_by("pk")
        ),
        assignments=assignments,
        enrolments=enrolments,
        people=people,
        roles=_roles(people),
        memberships=_memberships(people, ids),
        guardianships=guardianships,
    )


def _roles(people: list[User]) -> dict[int, set[str]]:
    roles: dict[int, set[str]] = {}
    grants = RoleGrant.objects.filter(user__in=people).values_list("user_id", "role")
    for user_id, role in grants:
        roles.setdefault(user_id, set()).add(role)
    return roles


def _memberships(people: list[User], school_ids: list[int]) -> dict[int, set[int]]:
    memberships: dict[int, set[int]] = {}
    rows = User.schools.through.objects.filter(
        user__in=people, school_id__in=school_ids
    ).values_list("user_id", "school_id")
    for user_id, school_id in rows:
        memberships.setdefault(user_id, set()).add(school_id)
    return memberships
