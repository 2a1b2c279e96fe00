"""The parts of the OneRoster 1.2 CSV binding this platform reads and writes.

Files are read in this order, so a row only refers to rows of files read before
it or to rows already in the database. Headers are case-sensitive, as the binding
says; unknown columns (extensions, `metadata.*`) are ignored.
"""

from dataclasses import dataclass

from school.models import Role

ONEROSTER_VERSIONS = frozenset({"1.1", "1.2"})
MANIFEST_VERSION = "1.0"
MODES = frozenset({"absent", "bulk", "delta"})
STATUSES = frozenset({"active", "tobedeleted"})


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: tuple[str, ...]  # must be in the header and filled in on every row
    columns: tuple[str, ...]  # everything written on export, in the binding's order


ORGS = FileSpec(
    "orgs.csv",
    ("sourcedId", "name", "type"),
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "name",
        "type",
        "identifier",
        "parentSourcedId",
    ),
)
SESSIONS = FileSpec(
    "academicSessions.csv",
    ("sourcedId", "title", "type", "startDate", "endDate"),
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ),
)
COURSES = FileSpec(
    "courses.csv",
    ("sourcedId", "title", "orgSourcedId"),
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ),
)
CLASSES = FileSpec(
    "classes.csv",
    ("sourcedId", "title", "schoolSourcedId", "termSourcedIds"),
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ),
)
USERS = FileSpec(
    "users.csv",
    ("sourcedId", "enabledUser", "givenName", "familyName"),
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        "userMasterIdentifier",
        "resourceSourcedIds",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns",
    ),
)
ROLES = FileSpec(
    "roles.csv",
    ("sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"),
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "userSourcedId",
        "roleType",
        "role",
        "beginDate",
        "endDate",
        "orgSourcedId",
        "userProfileSourcedId",
    ),
)
ENROLLMENTS = FileSpec(
    "enrollments.csv",
    ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    (
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ),
)
FILES = (ORGS, SESSIONS, COURSES, CLASSES, USERS, ROLES, ENROLLMENTS)
# The manifest key of a file: "file.academicSessions" for academicSessions.csv.
MANIFEST_KEYS = {spec.name: "file." + spec.name.removesuffix(".csv") for spec in FILES}
# Files of the binding this platform has no use for; listed as absent on export.
OTHER_FILES = (
    "categories",
    "classResources",
    "courseResources",
    "demographics",
    "lineItems",
    "resources",
    "results",
    "userProfiles",
    "userResources",
)

ORG_TYPES = frozenset(
    {"department", "school", "district", "local", "state", "national"}
)
SESSION_TYPES = frozenset({"gradingPeriod", "semester", "schoolYear", "term"})
CLASS_TYPES = frozenset({"homeroom", "scheduled"})
ROLE_TYPES = frozenset({"primary", "secondary"})
ENROLLMENT_ROLES = frozenset({"administrator", "aide", "proctor", "student", "teacher"})
# OneRoster 1.2 roles (plus 1.1's "administrator") and the platform role each gives;
# None: a valid role the platform has no use for.
USER_ROLES: dict[str, str | None] = {
    "student": Role.PUPIL,
    "teacher": Role.TEACHER,
    "parent": Role.PARENT,
    "guardian": Role.PARENT,
    "relative": Role.PARENT,
    "administrator": Role.SCHOOL_ADMIN,
    "siteAdministrator": Role.SCHOOL_ADMIN,
    "principal": Role.SCHOOL_ADMIN,
    # A city-wide administrator is a platform administrator, granted by hand only.
    "districtAdministrator": None,
    "systemAdministrator": None,
    "aide": None,
    "counselor": None,
    "proctor": None,
}
# The roles a roster decides; others (methodologist) are left as they are.
ROSTER_ROLES = frozenset({Role.PUPIL, Role.TEACHER, Role.PARENT, Role.SCHOOL_ADMIN})
EXPORT_ROLES = {
    Role.PUPIL: "student",
    Role.TEACHER: "teacher",
    Role.PARENT: "parent",
    Role.SCHOOL_ADMIN: "siteAdministrator",
}


def is_extension(value: str) -> bool:
    """The binding lets any enumeration carry a private value prefixed "ext:"."""
    return value.startswith("ext:") and len(value) > 4


def split_list(value: str) -> list[str]:
    """A list field: comma-separated inside one quoted cell."""
    return [part.strip() for part in value.split(",") if part.strip()]
