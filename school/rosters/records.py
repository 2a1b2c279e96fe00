"""Validated OneRoster rows, in the platform's terms, and what the database knows."""

import datetime
from dataclasses import dataclass, field

from school.models import ClassGroup, School, Subject, User


@dataclass
class OrgRecord:
    sid: str
    line: int
    status: str
    name: str
    is_school: bool
    external_id: str


@dataclass
class SessionRecord:
    sid: str
    line: int
    status: str
    title: str
    is_year: bool
    starts_on: datetime.date
    ends_on: datetime.date
    parent_sid: str


@dataclass
class CourseRecord:
    sid: str
    line: int
    status: str
    subject_code: str
    subject_name: str


@dataclass
class ClassRecord:
    sid: str
    line: int
    status: str
    title: str
    class_code: str
    school_sid: str
    year_sid: str
    term_sids: list[str]
    course_sid: str
    grade: int
    letter: str
    homeroom: bool


@dataclass
class UserRecord:
    sid: str
    line: int
    status: str
    username: str
    first_name: str
    last_name: str
    patronymic: str
    email: str
    is_active: bool
    agent_sids: list[str]
    org_sids: list[str]
    # Roles from a 1.1-style `role` column; roles.csv wins when present.
    roles: set[str] | None = None


@dataclass
class RoleRecord:
    sid: str
    line: int
    status: str
    user_sid: str
    role: str | None  # the platform role, None when the platform has no use for it
    org_sid: str


@dataclass
class EnrollmentRecord:
    sid: str
    line: int
    status: str
    class_sid: str
    user_sid: str
    role: str
    begins_on: datetime.date | None
    ends_on: datetime.date | None


@dataclass(frozen=True)
class KnownSession:
    """A session the database holds (as an academic year or a term of one)."""

    sid: str
    title: str
    is_year: bool
    starts_on: datetime.date
    ends_on: datetime.date
    year_sid: str


@dataclass(frozen=True)
class KnownClass:
    class_group: ClassGroup
    subject_id: int | None
    homeroom: bool


@dataclass
class Known:
    """Database rows the roster refers to by sourcedId, loaded in a few queries."""

    schools: dict[str, School] = field(default_factory=dict)
    sessions: dict[str, KnownSession] = field(default_factory=dict)
    subjects_by_code: dict[str, Subject] = field(default_factory=dict)
    subjects_by_course: dict[str, Subject] = field(default_factory=dict)
    classes: dict[str, KnownClass] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    username_owners: dict[str, int] = field(default_factory=dict)
    roles: dict[int, set[str]] = field(default_factory=dict)


@dataclass
class RosterPlan:
    """Everything an import will write, validated; built by importer.roster_check."""

    modes: dict[str, str]
    known: Known
    orgs: dict[str, OrgRecord] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    courses: dict[str, CourseRecord] = field(default_factory=dict)
    classes: dict[str, ClassRecord] = field(default_factory=dict)
    users: dict[str, UserRecord] = field(default_factory=dict)
    roles: list[RoleRecord] = field(default_factory=list)
    enrollments: list[EnrollmentRecord] = field(default_factory=list)
    # user sid → platform roles the roster gives them (only users it speaks of)
    user_roles: dict[str, set[str]] = field(default_factory=dict)
    # user sid → school sids the roster links them to
    user_orgs: dict[str, set[str]] = field(default_factory=dict)
    # (parent sid, pupil sid) family links the roster states
    families: set[tuple[str, str]] = field(default_factory=set)
