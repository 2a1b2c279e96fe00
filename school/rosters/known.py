"""Loads the database rows a roster refers to, a few queries for the whole file set."""

from collections import defaultdict

from django.db.models import Q

from school.models import (
    AcademicYear,
    ClassGroup,
    RoleGrant,
    RosterClass,
    School,
    Subject,
    Term,
    User,
)
from school.rosters.records import Known, KnownClass, KnownSession
from school.rosters.rows import Row
from school.rosters.spec import split_list

# Columns that name a row of another kind, per kind.
REFERENCES = {
    "org": [
        ("orgs.csv", "sourcedId"),
        ("orgs.csv", "identifier"),
        ("courses.csv", "orgSourcedId"),
        ("classes.csv", "schoolSourcedId"),
        ("users.csv", "orgSourcedIds"),
        ("users.csv", "primaryOrgSourcedId"),
        ("roles.csv", "orgSourcedId"),
        ("enrollments.csv", "schoolSourcedId"),
    ],
    "session": [
        ("academicSessions.csv", "sourcedId"),
        ("academicSessions.csv", "parentSourcedId"),
        ("classes.csv", "termSourcedIds"),
    ],
    "course": [("courses.csv", "sourcedId"), ("classes.csv", "courseSourcedId")],
    "class": [("classes.csv", "sourcedId"), ("enrollments.csv", "classSourcedId")],
    "user": [
        ("users.csv", "sourcedId"),
        ("users.csv", "agentSourcedIds"),
        ("roles.csv", "userSourcedId"),
        ("enrollments.csv", "userSourcedId"),
    ],
}


def referenced(rows: dict[str, list[Row]], kind: str) -> set[str]:
    ids: set[str] = set()
    for file, column in REFERENCES[kind]:
        for row in rows.get(file, []):
            ids.update(split_list(row[column]))
    return ids


def known_load(rows: dict[str, list[Row]]) -> Known:
    known = Known()
    _schools(known, referenced(rows, "org"))
    _sessions(known, referenced(rows, "session"))
    _subjects(known, referenced(rows, "course"))
    _classes(known, referenced(rows, "class"))
    _users(known, referenced(rows, "user"), rows.get("users.csv", []))
    return known


def _schools(known: Known, ids: set[str]) -> None:
    schools = School.objects.filter(Q(sourced_id__in=ids) | Q(external_id__in=ids))
    for school in schools:
        known.schools.setdefault(school.external_id, school)
    for school in schools:
        if school.sourced_id:  # a sourcedId outranks a city id that happens to match
            known.schools[school.sourced_id] = school


def _sessions(known: Known, ids: set[str]) -> None:
    for year in AcademicYear.objects.filter(sourced_id__in=ids):
        known.sessions.setdefault(
            year.sourced_id,
            KnownSession(
                year.sourced_id,
                year.name,
                True,
                year.starts_on,
                year.ends_on,
                year.sourced_id,
            ),
        )
    terms = Term.objects.filter(sourced_id__in=ids).select_related("academic_year")
    for term in terms:
        known.sessions.setdefault(
            term.sourced_id,
            KnownSession(
                term.sourced_id,
                term.name,
                False,
                term.starts_on,
                term.ends_on,
                term.academic_year.sourced_id,
            ),
        )


def _subjects(known: Known, course_ids: set[str]) -> None:
    # The city catalogue is small (tens of subjects): load it whole.
    for subject in Subject.objects.all():
        known.subjects_by_code[subject.code] = subject
        if subject.sourced_id:
            known.subjects_by_course[subject.sourced_id] = subject
    sections = RosterClass.objects.filter(
        course_sourced_id__in=course_ids, subject__isnull=False
    ).select_related("subject")
    for section in sections:
        known.subjects_by_course.setdefault(section.course_sourced_id, section.subject)


def _classes(known: Known, ids: set[str]) -> None:
    sections = RosterClass.objects.filter(sourced_id__in=ids).select_related(
        "class_group__academic_year", "class_group__school"
    )
    for section in sections:
        known.classes[section.sourced_id] = KnownClass(
            section.class_group, section.subject_id, section.subject_id is None
        )
    groups = ClassGroup.objects.filter(sourced_id__in=ids).select_related(
        "academic_year"
    )
    for group in groups:
        known.classes.setdefault(group.sourced_id, KnownClass(group, None, True))


def _users(known: Known, ids: set[str], user_rows: list[Row]) -> None:
    for user in User.objects.filter(sourced_id__in=ids).order_by("pk"):
        known.users.setdefault(user.sourced_id, user)
    names = {row["username"] or row["sourcedId"] for row in user_rows}
    known.username_owners = dict(
        User.objects.filter(username__in=names).values_list("username", "pk")
    )
    roles = defaultdict(set)
    user_ids = [user.pk for user in known.users.values()]
    for user_id, role in RoleGrant.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "role"
    ):
        roles[user_id].add(role)
    known.roles = dict(roles)
