"""Writes schools' rosters as OneRoster 1.2 CSV files: a folder or a zip.

Rows keep the sourcedIds they came with; rows made on the platform get stable
ids from their primary keys ("class-12"). A class group becomes a homeroom class
(its pupils and homeroom teacher) plus one scheduled class per subject taught
(its teachers), each with the subject's course, so the export imports back into
the same structure. The city is the district org that owns the course catalogue.
"""

import csv
import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import BinaryIO

from django.db.models import QuerySet

from lib.spreadsheet_cells import rows_safe
from school.models import ClassGroup, School, Subject
from school.rosters.selectors import RosterData, roster_data
from school.rosters.spec import (
    CLASSES,
    COURSES,
    ENROLLMENTS,
    EXPORT_ROLES,
    FILES,
    MANIFEST_KEYS,
    ORGS,
    OTHER_FILES,
    ROLES,
    SESSIONS,
    USERS,
)

CITY = "city"


def roster_files(*, schools: QuerySet[School]) -> dict[str, str]:
    """The text of manifest.csv and of each roster file, by file name."""
    rows = Ids(roster_data(schools=schools)).rows()
    texts = {"manifest.csv": _csv(["propertyName", "value"], _manifest())}
    for spec in FILES:
        texts[spec.name] = _csv(
            list(spec.columns),
            [
                [row.get(column, "") for column in spec.columns]
                for row in rows[spec.name]
            ],
        )
    return texts


def roster_export(*, schools: QuerySet[School], target: str | Path | BinaryIO) -> None:
    """Writes the files to a folder, or a zip when `target` ends in .zip or is open."""
    texts = roster_files(schools=schools)
    if isinstance(target, str | Path) and not str(target).endswith(".zip"):
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        return
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in texts.items():
            archive.writestr(name, text)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    # Administrators open these in a spreadsheet: names must not run as formulas.
    writer.writerows(rows_safe(rows))
    return buffer.getvalue()


def _manifest() -> list[list[str]]:
    rows = [["manifest.version", "1.0"], ["oneroster.version", "1.2"]]
    rows += [[key, "bulk"] for key in MANIFEST_KEYS.values()]
    rows += [[f"file.{name}", "absent"] for name in OTHER_FILES]
    rows += [
        ["source.systemName", "City school platform"],
        ["source.systemCode", "city"],
    ]
    return rows


class Ids:
    """Gives every exported row a sourcedId and builds the rows of each file."""

    def __init__(self, data: RosterData):
        self.data = data
        self.schools = {s.pk: s.sourced_id or s.external_id for s in data.schools}
        self.years = {y.pk: y.sourced_id or f"year-{y.pk}" for y in data.years}
        self.people = {u.pk: u.sourced_id or f"user-{u.pk}" for u in data.people}
        self.subjects = {
            s.pk: s.sourced_id or f"subject-{s.code}" for s in data.subjects
        }
        self.homerooms, self.sections = self.class_ids()
        self.linked = self.linked_schools()

    def class_ids(self) -> tuple[dict[int, str], dict[tuple[int, int], str]]:
        homerooms: dict[int, str] = {}
        sections: dict[tuple[int, int], str] = {}
        for section in self.data.sections:
            if section.subject_id is None:
                homerooms.setdefault(section.class_group_id, section.sourced_id)
            else:
                key = (section.class_group_id, section.subject_id)
                sections.setdefault(key, section.sourced_id)
        taken = set(homerooms.values()) | set(sections.values())
        for group in self.data.classes:
            if group.pk not in homerooms:
                sid = group.sourced_id
                homerooms[group.pk] = (
                    sid if sid and sid not in taken else f"class-{group.pk}"
                )
        for a in self.data.assignments:
            key = (a.class_group_id, a.subject_id)
            sections.setdefault(key, f"class-{a.class_group_id}-{a.subject_id}")
        return homerooms, sections

    def rows(self) -> dict[str, list[dict]]:
        return {
            ORGS.name: self.orgs(),
            SESSIONS.name: self.sessions(),
            COURSES.name: self.courses(),
            CLASSES.name: self.classes(),
            USERS.name: self.users(),
            ROLES.name: self.roles(),
            ENROLLMENTS.name: self.enrollments(),
        }

    def orgs(self) -> list[dict]:
        rows = [{"sourcedId": CITY, "name": "City", "type": "district"}]
        return rows + [
            {
                "sourcedId": self.schools[school.pk],
                "name": school.name,
                "type": "school",
                "identifier": school.external_id,
                "parentSourcedId": CITY,
            }
            for school in self.data.schools
        ]

    def sessions(self) -> list[dict]:
        rows: dict[str, dict] = {}
        for year in self.data.years:
            rows.setdefault(
                self.years[year.pk],
                _session(self.years[year.pk], year.name, "schoolYear", year, ""),
            )
        for term in self.data.terms:
            sid = term.sourced_id or f"term-{term.pk}"
            parent = self.years[term.academic_year_id]
            row = _session(sid, term.name, "term", term, parent)
            row["schoolYear"] = rows[parent]["schoolYear"]
            rows.setdefault(sid, row)
        return list(rows.values())

    def courses(self) -> list[dict]:
        return [_course(self.subjects[s.pk], s) for s in self.data.subjects]

    def classes(self) -> list[dict]:
        groups = {group.pk: group for group in self.data.classes}
        subjects = {subject.pk: subject for subject in self.data.subjects}
        rows = [
            _klass(sid, groups[pk], None, "", self.years[groups[pk].academic_year_id])
            for pk, sid in self.homerooms.items()
            if pk in groups
        ]
        for (group_id, subject_id), sid in self.sections.items():
            group = groups[group_id]
            year = self.years[group.academic_year_id]
            subject = subjects[subject_id]
            rows.append(_klass(sid, group, subject, self.subjects[subject_id], year))
        for row, group in zip(rows, self.class_order(groups), strict=True):
            row["schoolSourcedId"] = self.schools[group.school_id]
        return rows

    def class_order(self, groups: dict[int, ClassGroup]) -> list[ClassGroup]:
        order = [groups[pk] for pk in self.homerooms if pk in groups]
        return order + [groups[group_id] for group_id, _ in self.sections]

    def users(self) -> list[dict]:
        children = defaultdict(list)
        for link in self.data.guardianships:
            if link.parent_id in self.people and link.pupil_id in self.people:
                children[link.parent_id].append(self.people[link.pupil_id])
        return [
            {
                "sourcedId": self.people[user.pk],
                "enabledUser": "true" if user.is_active else "false",
                "username": user.username,
                "givenName": user.first_name,
                "familyName": user.last_name,
                "middleName": user.patronymic,
                "email": user.email,
                "agentSourcedIds": ",".join(children[user.pk]),
            }
            for user in self.data.people
        ]

    def roles(self) -> list[dict]:
        rows = []
        for user in self.data.people:
            orgs = self.orgs_of(user.pk)
            for role in sorted(self.data.roles.get(user.pk, set())):
                if role not in EXPORT_ROLES:
                    continue
                for index, org in enumerate(orgs):
                    rows.append(
                        {
                            "sourcedId": f"{self.people[user.pk]}-{role}-{org}",
                            "userSourcedId": self.people[user.pk],
                            "roleType": "primary" if index == 0 else "secondary",
                            "role": EXPORT_ROLES[role],
                            "orgSourcedId": org,
                        }
                    )
        return rows

    def orgs_of(self, user_id: int) -> list[str]:
        schools = self.data.memberships.get(user_id, set()) | self.linked[user_id]
        return sorted(self.schools[pk] for pk in schools) or [CITY]

    def linked_schools(self) -> dict[int, set[int]]:
        """Schools a person is in through classes, not membership."""
        groups = {group.pk: group.school_id for group in self.data.classes}
        linked: dict[int, set[int]] = defaultdict(set)
        for enrolment in self.data.enrolments:
            linked[enrolment.pupil_id].add(groups[enrolment.class_group_id])
        for assignment in self.data.assignments:
            linked[assignment.teacher_id].add(groups[assignment.class_group_id])
        return linked

    def enrollments(self) -> list[dict]:
        groups = {group.pk: group for group in self.data.classes}
        rows, used = [], set()
        for enrolment in self.data.enrolments:
            sid = enrolment.sourced_id
            sid = sid if sid and sid not in used else f"enrolment-{enrolment.pk}"
            used.add(sid)
            group = groups[enrolment.class_group_id]
            rows.append(
                self.enrollment(
                    sid, group, self.homerooms[group.pk], enrolment.pupil_id
                )
                | {
                    "role": "student",
                    "beginDate": enrolment.starts_on.isoformat(),
                    "endDate": enrolment.ends_on.isoformat()
                    if enrolment.ends_on
                    else "",
                }
            )
        for a in self.data.assignments:
            sid = (
                a.sourced_id
                if a.sourced_id and a.sourced_id not in used
                else f"assignment-{a.pk}"
            )
            used.add(sid)
            klass = self.sections[(a.class_group_id, a.subject_id)]
            rows.append(
                self.enrollment(sid, groups[a.class_group_id], klass, a.teacher_id)
                | {"role": "teacher", "primary": "true"}
            )
        for group in self.data.classes:
            if group.homeroom_teacher_id in self.people:
                sid = f"homeroom-{group.pk}"
                rows.append(
                    self.enrollment(
                        sid, group, self.homerooms[group.pk], group.homeroom_teacher_id
                    )
                    | {"role": "teacher", "primary": "true"}
                )
        return rows

    def enrollment(self, sid: str, group: ClassGroup, klass: str, user_id: int) -> dict:
        return {
            "sourcedId": sid,
            "classSourcedId": klass,
            "schoolSourcedId": self.schools[group.school_id],
            "userSourcedId": self.people[user_id],
        }


def _session(sid, title, kind, span, parent) -> dict:
    return {
        "sourcedId": sid,
        "title": title,
        "type": kind,
        "startDate": span.starts_on.isoformat(),
        "endDate": span.ends_on.isoformat(),
        "parentSourcedId": parent,
        "schoolYear": str(span.ends_on.year),
    }


def _course(sid: str, subject: Subject) -> dict:
    return {
        "sourcedId": sid,
        "title": subject.name,
        "courseCode": subject.code,
        "orgSourcedId": CITY,
        "subjects": subject.name,
    }


def _klass(sid, group: ClassGroup, subject: Subject | None, course: str, year: str):
    return {
        "sourcedId": sid,
        "title": f"{group.name} {subject.name}" if subject else group.name,
        "grades": f"{group.grade:02d}",
        "courseSourcedId": course,
        "classType": "scheduled" if subject else "homeroom",
        "termSourcedIds": year,
    }
