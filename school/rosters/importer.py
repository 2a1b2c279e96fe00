"""Checks a whole OneRoster file set before anything is written.

`roster_check` reads the manifest and every file it lists, validates each row
(required cells, dates, enumerations, duplicates), resolves every reference to a
row of the files or of the database, and applies the importer's scope. It
returns the plan and every problem found; services.roster_import writes the plan
only when there is none.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext as _

from school.models import Role
from school.rosters.access import RosterScope, people_out_of_scope
from school.rosters.archive import RosterSource
from school.rosters.known import known_load
from school.rosters.records import (
    ClassRecord,
    CourseRecord,
    EnrollmentRecord,
    OrgRecord,
    RoleRecord,
    RosterPlan,
    SessionRecord,
    UserRecord,
)
from school.rosters.rows import (
    MANIFEST,
    Problem,
    Problems,
    Row,
    date_field,
    enum_field,
    file_rows,
    manifest_modes,
)
from school.rosters.spec import (
    CLASS_TYPES,
    ENROLLMENT_ROLES,
    FILES,
    ORG_TYPES,
    ROLE_TYPES,
    ROSTER_ROLES,
    SESSION_TYPES,
    USER_ROLES,
    is_extension,
    split_list,
)

# "5А", "5 А", "5-А", "10Б" and a subject after it: "5А Математика".
CLASS_NAME = re.compile(r"^\s*(\d{1,2})\s*[-‐–]?\s*([^\W\d_]{1,4})(?:\s|$)")


def roster_check(
    source: RosterSource, scope: RosterScope
) -> tuple[RosterPlan, list[Problem]]:
    problems = Problems()
    modes = manifest_modes(source.texts.get(MANIFEST), problems)
    rows: dict[str, list[Row]] = {}
    for spec in FILES:
        mode = modes.get(spec.name, "absent")
        if mode == "absent":
            continue
        text = source.texts.get(spec.name)
        if text is None:
            problems.add(
                spec.name,
                0,
                _("The manifest lists %(name)s, but the file is missing.")
                % {"name": spec.name},
            )
            continue
        rows[spec.name] = file_rows(spec, text, mode, problems)
    plan = RosterPlan(modes=modes, known=known_load(rows))
    Checker(plan, scope, problems).run(rows)
    return plan, problems.items


class Checker:
    """Validates rows file by file into the plan; reports into `problems`."""

    def __init__(self, plan: RosterPlan, scope: RosterScope, problems: Problems):
        self.plan, self.known, self.scope = plan, plan.known, scope
        self.problems = problems
        self.usernames: dict[str, int] = {}
        self.listed: dict[str, set[str]] = {}
        self.outsiders: set[str] = set()

    def run(self, rows: dict[str, list[Row]]) -> None:
        self.listed = {
            file: {row["sourcedId"] for row in file_rows}
            for file, file_rows in rows.items()
        }
        self.outsiders = self.people_outside_scope()
        for row in rows.get("orgs.csv", []):
            self.org(row)
        for row in rows.get("academicSessions.csv", []):
            self.session(row)
        for row in rows.get("academicSessions.csv", []):
            self.session_links(row)
        for row in rows.get("courses.csv", []):
            self.course(row)
        for row in rows.get("classes.csv", []):
            self.klass(row)
        for row in rows.get("users.csv", []):
            self.user(row)
        self.users_in_scope(rows.get("users.csv", []))
        for row in rows.get("roles.csv", []):
            self.role(row)
        self.settle_roles()
        for row in rows.get("users.csv", []):
            self.agents(row)
        for row in rows.get("enrollments.csv", []):
            self.enrollment(row)

    def error(self, row: Row, message: str) -> None:
        self.problems.row(row, message)

    def too_long(self, row: Row, column: str, limit: int) -> bool:
        if len(row[column]) <= limit:
            return False
        self.error(
            row,
            _("%(column)s is longer than %(limit)d characters.")
            % {"column": column, "limit": limit},
        )
        return True

    # --- references: in the files or in the database

    def school_pk(self, sid: str) -> int | None:
        school = self.known.schools.get(sid)
        return school.pk if school else None

    def school_ref(self, row: Row, column: str, sid: str) -> bool:
        """The org must be a school in the files or the database, in scope."""
        org = self.plan.orgs.get(sid)
        if org is None and sid not in self.known.schools:
            self.error(row, self.dangling(column, sid, "orgs.csv"))
            return False
        if org is not None and not org.is_school:
            self.error(row, _("%(sid)s is not a school.") % {"sid": sid})
            return False
        return self.school_in_scope(row, sid)

    def school_in_scope(self, row: Row, sid: str) -> bool:
        pk = self.school_pk(sid)
        if self.scope.everything or (pk is not None and self.scope.covers(pk)):
            return True
        self.error(
            row,
            _("This row names the school %(sid)s, which you do not administer.")
            % {"sid": sid},
        )
        return False

    def dangling(self, column: str, sid: str, file: str) -> str:
        if sid in self.listed.get(file, ()):
            return _(
                "%(column)s names %(sid)s, whose row in %(file)s has a problem."
            ) % {"column": column, "sid": sid, "file": file}
        return _(
            "%(column)s names %(sid)s, which is neither in %(file)s nor in the "
            "database."
        ) % {"column": column, "sid": sid, "file": file}

    # --- orgs

    def org(self, row: Row) -> None:
        kind = enum_field(row, "type", ORG_TYPES, self.problems)
        external_id = row["identifier"] or row["sourcedId"]
        if kind is None or self.too_long(row, "name", 255):
            return
        if kind == "school" and not self.school_row_ok(row, external_id):
            return
        self.plan.orgs[row["sourcedId"]] = OrgRecord(
            row["sourcedId"],
            row.line,
            row["status"],
            row["name"],
            kind == "school",
            external_id,
        )

    def school_row_ok(self, row: Row, external_id: str) -> bool:
        if len(external_id) > 64:
            self.error(row, _("The school's identifier is longer than 64 characters."))
            return False
        if row["status"] == "tobedeleted":
            self.error(row, _("Schools are not deleted through a roster."))
            return False
        school = self.known.schools.get(row["sourcedId"])
        holder = self.known.schools.get(external_id)
        if school and holder and school.pk != holder.pk:
            self.error(
                row,
                _("The identifier %(id)s belongs to another school.")
                % {"id": external_id},
            )
            return False
        school = school or holder
        if school is None and not self.scope.everything:
            self.error(row, _("Only platform administrators add schools."))
            return False
        if school is not None:
            self.known.schools[row["sourcedId"]] = school
            return self.school_in_scope(row, row["sourcedId"])
        return True

    # --- academic sessions

    def session(self, row: Row) -> None:
        kind = enum_field(row, "type", SESSION_TYPES, self.problems)
        starts_on = date_field(row, "startDate", self.problems)
        ends_on = date_field(row, "endDate", self.problems)
        if kind is None or starts_on is None or ends_on is None:
            return
        is_year = kind == "schoolYear"
        if self.too_long(row, "title", 32 if is_year else 64):
            return
        if ends_on <= starts_on:
            self.error(row, _("endDate must be after startDate."))
            return
        if not is_year and not row["parentSourcedId"]:
            self.error(
                row,
                _("A %(type)s must name its school year in parentSourcedId.")
                % {"type": kind},
            )
            return
        self.plan.sessions[row["sourcedId"]] = SessionRecord(
            row["sourcedId"],
            row.line,
            row["status"],
            row["title"],
            is_year,
            starts_on,
            ends_on,
            row["parentSourcedId"],
        )

    def session_links(self, row: Row) -> None:
        record = self.plan.sessions.get(row["sourcedId"])
        if record is None or record.is_year:
            return
        if not self.session_known(record.parent_sid):
            self.error(
                row,
                self.dangling(
                    "parentSourcedId", record.parent_sid, "academicSessions.csv"
                ),
            )
            del self.plan.sessions[record.sid]
        elif self.year_of(record.sid) is None:
            self.error(row, _("The session does not lead up to a school year."))
            del self.plan.sessions[record.sid]

    def session_known(self, sid: str) -> bool:
        return sid in self.plan.sessions or sid in self.known.sessions

    def year_of(self, sid: str) -> str | None:
        """The sourcedId of the school year a session belongs to (itself for one)."""
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            record = self.plan.sessions.get(sid)
            if record is None:
                stored = self.known.sessions.get(sid)
                return stored.year_sid if stored else None
            if record.is_year:
                return sid
            sid = record.parent_sid
        return None

    # --- courses: the citywide subject catalogue

    def course(self, row: Row) -> None:
        codes = split_list(row["subjectCodes"])
        code_source = codes[0] if codes else row["courseCode"] or row["title"]
        code = slugify(code_source, allow_unicode=True)[:64]
        names = split_list(row["subjects"])
        name = (names[0] if names else row["title"])[:128]
        if not code:
            self.error(row, _("The course has no usable subject code."))
            return
        subject = self.known.subjects_by_course.get(
            row["sourcedId"]
        ) or self.known.subjects_by_code.get(code)
        if subject is None and not self.scope.everything:
            self.error(
                row,
                _(
                    "The subject %(code)s is not in the city catalogue; only platform "
                    "administrators add subjects."
                )
                % {"code": code},
            )
            return
        self.plan.courses[row["sourcedId"]] = CourseRecord(
            row["sourcedId"],
            row.line,
            row["status"],
            subject.code if subject else code,
            name,
        )

    # --- classes

    def klass(self, row: Row) -> None:
        class_type = "scheduled"
        if row["classType"]:
            class_type = enum_field(row, "classType", CLASS_TYPES, self.problems)
        school_ok = self.school_ref(row, "schoolSourcedId", row["schoolSourcedId"])
        year_sid = self.class_year(row)
        course_ok = self.class_course(row, class_type == "homeroom")
        grade, letter = self.grade_and_letter(row)
        known = self.known.classes.get(row["sourcedId"])
        if known and not self.scope.covers(known.class_group.school_id):
            self.error(row, _("The class belongs to a school you do not administer."))
            return
        if not (school_ok and year_sid and course_ok and grade and class_type):
            return
        self.plan.classes[row["sourcedId"]] = ClassRecord(
            row["sourcedId"],
            row.line,
            row["status"],
            row["title"][:255],
            row["classCode"][:64],
            row["schoolSourcedId"],
            year_sid,
            split_list(row["termSourcedIds"]),
            row["courseSourcedId"],
            grade,
            letter,
            class_type == "homeroom",
        )

    def class_year(self, row: Row) -> str | None:
        years = set()
        for sid in split_list(row["termSourcedIds"]):
            if not self.session_known(sid):
                self.error(
                    row, self.dangling("termSourcedIds", sid, "academicSessions.csv")
                )
                return None
            years.add(self.year_of(sid))
        if len(years) != 1 or None in years:
            self.error(row, _("The class's terms must belong to one school year."))
            return None
        return years.pop()

    def class_course(self, row: Row, homeroom: bool) -> bool:
        sid = row["courseSourcedId"]
        if not sid:
            if homeroom:
                return True
            self.error(row, _("A scheduled class needs a courseSourcedId."))
            return False
        if sid in self.plan.courses or sid in self.known.subjects_by_course:
            return True
        self.error(row, self.dangling("courseSourcedId", sid, "courses.csv"))
        return False

    def grade_and_letter(self, row: Row) -> tuple[int | None, str]:
        match = CLASS_NAME.match(row["title"]) or CLASS_NAME.match(row["classCode"])
        grades = split_list(row["grades"])
        grade_text = grades[0] if grades else (match.group(1) if match else "")
        letter = match.group(2).upper() if match else ""
        grade = int(grade_text) if grade_text.isdigit() else None
        if grade is None or not 1 <= grade <= 11:
            self.error(
                row,
                _("The grade “%(grade)s” is not one of 1–11.") % {"grade": grade_text},
            )
            return None, ""
        if not letter:
            self.error(
                row,
                _(
                    "Cannot read the class letter from the title or the class code "
                    "(expected something like “5А”)."
                ),
            )
            return None, ""
        return grade, letter

    # --- users

    def user(self, row: Row) -> None:
        enabled = row["enabledUser"].lower()
        username = row["username"] or row["sourcedId"]
        if enabled not in {"true", "false"}:
            self.error(row, _("enabledUser must be true or false."))
            return
        if (
            any(
                self.too_long(row, column, 150)
                for column in ("username", "givenName", "familyName", "middleName")
            )
            or not self.email_ok(row)
            or not self.username_free(row, username)
        ):
            return
        roles = self.legacy_roles(row) if "role" in row.values else None
        self.plan.users[row["sourcedId"]] = UserRecord(
            row["sourcedId"],
            row.line,
            row["status"],
            username,
            row["givenName"],
            row["familyName"],
            row["middleName"],
            row["email"][:254],
            enabled == "true",
            split_list(row["agentSourcedIds"]),
            self.user_orgs(row),
            roles,
        )

    def email_ok(self, row: Row) -> bool:
        if not row["email"]:
            return True
        try:
            validate_email(row["email"])
        except ValidationError:
            self.error(
                row,
                _("email “%(value)s” is not an e-mail address.")
                % {"value": row["email"]},
            )
            return False
        return True

    def username_free(self, row: Row, username: str) -> bool:
        if username in self.usernames:
            self.error(
                row,
                _("The username %(name)s is already used on line %(line)d.")
                % {"name": username, "line": self.usernames[username]},
            )
            return False
        self.usernames[username] = row.line
        owner = self.known.username_owners.get(username)
        user = self.known.users.get(row["sourcedId"])
        if owner is not None and (user is None or user.pk != owner):
            self.error(
                row,
                _("The username %(name)s belongs to another person.")
                % {"name": username},
            )
            return False
        return True

    def user_orgs(self, row: Row) -> list[str]:
        sids = split_list(row["orgSourcedIds"])
        if row["primaryOrgSourcedId"]:
            sids.append(row["primaryOrgSourcedId"])
        good = []
        for sid in dict.fromkeys(sids):
            org = self.plan.orgs.get(sid)
            if org is not None and not org.is_school:
                continue  # a district: no membership to record
            if self.school_ref(row, "orgSourcedIds", sid):
                good.append(sid)
        return good

    def legacy_roles(self, row: Row) -> set[str]:
        roles = set()
        for value in split_list(row["role"]):
            if value not in USER_ROLES and not is_extension(value):
                self.error(row, self.unknown_role(value))
            elif USER_ROLES.get(value):
                roles.add(USER_ROLES[value])
        return roles

    @staticmethod
    def unknown_role(value: str) -> str:
        return _("Unknown role “%(value)s”; allowed: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(sorted(USER_ROLES)),
        }

    def people_outside_scope(self) -> set[str]:
        """sourcedIds of stored people this import may neither change nor name."""
        by_pk = {user.pk: sid for sid, user in self.known.users.items()}
        return {by_pk[pk] for pk in people_out_of_scope(self.scope, set(by_pk))}

    def users_in_scope(self, rows: list[Row]) -> None:
        for row in rows:
            if row["sourcedId"] in self.outsiders:
                self.error(
                    row, _("This person belongs to a school you do not administer.")
                )
                self.plan.users.pop(row["sourcedId"], None)

    def person_ref(self, row: Row, column: str, sid: str) -> bool:
        """A person named by a row must be in the files or the database, and in
        the importer's scope: a school administrator cannot enrol, grant roles to
        or link families with another school's people."""
        if not self.user_known(sid):
            self.error(row, self.dangling(column, sid, "users.csv"))
            return False
        if sid in self.outsiders:
            self.error(
                row,
                _(
                    "%(column)s names %(sid)s, a person of a school you do not "
                    "administer."
                )
                % {"column": column, "sid": sid},
            )
            return False
        return True

    def user_known(self, sid: str) -> bool:
        return sid in self.plan.users or sid in self.known.users

    # --- roles (roles.csv, or a 1.1-style role column in users.csv)

    def role(self, row: Row) -> None:
        role_type = enum_field(row, "roleType", ROLE_TYPES, self.problems)
        value = row["role"]
        if value not in USER_ROLES and not is_extension(value):
            self.error(row, self.unknown_role(value))
            return
        date_field(row, "beginDate", self.problems)
        date_field(row, "endDate", self.problems)
        if not self.person_ref(row, "userSourcedId", row["userSourcedId"]):
            return
        org_sid = row["orgSourcedId"]
        org = self.plan.orgs.get(org_sid)
        if (org is None or org.is_school) and not self.school_ref(
            row, "orgSourcedId", org_sid
        ):
            return
        if role_type:
            self.plan.roles.append(
                RoleRecord(
                    row["sourcedId"],
                    row.line,
                    row["status"],
                    row["userSourcedId"],
                    USER_ROLES.get(value),
                    org_sid if org is None or org.is_school else "",
                )
            )

    def settle_roles(self) -> None:
        """The roster roles and schools of each person the roster speaks of."""
        delta = self.plan.modes.get("roles.csv") == "delta"
        for sid, user in self.plan.users.items():
            self.plan.user_orgs[sid] = set(user.org_sids)
            if user.roles is not None:
                self.plan.user_roles[sid] = set(user.roles)
        if self.plan.modes.get("roles.csv", "absent") == "absent":
            return
        for record in self.plan.roles:
            self.plan.user_roles.setdefault(
                record.user_sid, self.stored_roles(record.user_sid) if delta else set()
            )
        for sid in self.plan.users:
            self.plan.user_roles.setdefault(
                sid, self.stored_roles(sid) if delta else set()
            )
        for record in self.plan.roles:
            roles = self.plan.user_roles[record.user_sid]
            if record.status == "tobedeleted":
                roles.discard(record.role)
                continue
            if record.role:
                roles.add(record.role)
            if record.org_sid:
                self.plan.user_orgs.setdefault(record.user_sid, set()).add(
                    record.org_sid
                )

    def stored_roles(self, sid: str) -> set[str]:
        user = self.known.users.get(sid)
        return (
            set(self.known.roles.get(user.pk, set())) & ROSTER_ROLES if user else set()
        )

    def roles_of(self, sid: str) -> set[str]:
        if sid in self.plan.user_roles:
            return self.plan.user_roles[sid]
        user = self.known.users.get(sid)
        return self.known.roles.get(user.pk, set()) if user else set()

    # --- family links

    def agents(self, row: Row) -> None:
        user = self.plan.users.get(row["sourcedId"])
        if user is None or user.status == "tobedeleted":
            return
        for agent in user.agent_sids:
            if self.person_ref(row, "agentSourcedIds", agent) and not self.is_family(
                user.sid, agent
            ):
                self.error(
                    row,
                    _(
                        "%(agent)s in agentSourcedIds must be a parent of this pupil "
                        "or a pupil of this parent."
                    )
                    % {"agent": agent},
                )

    def is_family(self, sid: str, agent: str) -> bool:
        mine, theirs = self.roles_of(sid), self.roles_of(agent)
        if Role.PARENT in mine and Role.PUPIL in theirs:
            self.plan.families.add((sid, agent))
            return True
        if Role.PUPIL in mine and Role.PARENT in theirs:
            self.plan.families.add((agent, sid))
            return True
        return False

    # --- enrollments

    def enrollment(self, row: Row) -> None:
        role = enum_field(row, "role", ENROLLMENT_ROLES, self.problems)
        begins_on = date_field(row, "beginDate", self.problems)
        ends_on = date_field(row, "endDate", self.problems)
        if begins_on and ends_on and ends_on < begins_on:
            self.error(row, _("endDate must not be before beginDate."))
            return
        school_ok = self.school_ref(row, "schoolSourcedId", row["schoolSourcedId"])
        class_ok = self.enrollment_class(row)
        user_ok = self.enrollment_user(row, role)
        if not (role and school_ok and class_ok and user_ok):
            return
        if not self.class_in_school(row["classSourcedId"], row["schoolSourcedId"]):
            self.error(row, _("schoolSourcedId is not the school of the class."))
            return
        self.plan.enrollments.append(
            EnrollmentRecord(
                row["sourcedId"],
                row.line,
                row["status"],
                row["classSourcedId"],
                row["userSourcedId"],
                role,
                begins_on,
                ends_on,
            )
        )

    def enrollment_class(self, row: Row) -> bool:
        sid = row["classSourcedId"]
        if sid in self.plan.classes:
            return True
        known = self.known.classes.get(sid)
        if known is None:
            self.error(row, self.dangling("classSourcedId", sid, "classes.csv"))
            return False
        if not self.scope.covers(known.class_group.school_id):
            self.error(row, _("The class belongs to a school you do not administer."))
            return False
        return True

    def class_in_school(self, class_sid: str, school_sid: str) -> bool:
        record = self.plan.classes.get(class_sid)
        if record is not None and record.school_sid == school_sid:
            return True
        school = self.known.schools.get(school_sid)
        if school is None:
            return False
        if record is not None:
            return self.school_pk(record.school_sid) == school.pk
        return self.known.classes[class_sid].class_group.school_id == school.pk

    def enrollment_user(self, row: Row, role: str | None) -> bool:
        sid = row["userSourcedId"]
        if not self.person_ref(row, "userSourcedId", sid):
            return False
        needed = {"student": Role.PUPIL, "teacher": Role.TEACHER}.get(role or "")
        if (
            needed
            and row["status"] != "tobedeleted"
            and needed not in self.roles_of(sid)
        ):
            self.error(
                row,
                _("%(sid)s is enrolled as %(role)s but lacks that role.")
                % {"sid": sid, "role": role},
            )
            return False
        return True
