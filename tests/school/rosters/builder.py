"""Builds OneRoster 1.2 CSV file sets for the tests, written with csv.writer.

`small_city()` is a roster of two schools: in school 1501, class 5А (homeroom and
a mathematics section) with pupils Петя and Маша, Петя's mother Ольга, and the
teacher Алиса (homeroom teacher and mathematics); class 5Б, empty; in school
1502, class 7Б with Вася, taught mathematics by Борис.
"""

import copy
import csv
import datetime
import zipfile
from pathlib import Path

from school.rosters.spec import FILES, MANIFEST_KEYS
from tests.factories import this_school_year

COLUMNS = {spec.name: list(spec.columns) for spec in FILES}


class Roster:
    def __init__(self, files: dict[str, list[dict]], modes: dict[str, str]):
        self.files = files
        self.modes = modes
        self.columns = copy.deepcopy(COLUMNS)
        self.manifest_extra: list[tuple[str, str]] = []

    def row(self, name: str, sid: str) -> dict:
        return next(row for row in self.files[name] if row["sourcedId"] == sid)

    def change(self, name: str, sid: str, **values) -> "Roster":
        self.row(name, sid).update(values)
        return self

    def add(self, name: str, **values) -> "Roster":
        self.files.setdefault(name, []).append(values)
        return self

    def remove(self, name: str, sid: str) -> "Roster":
        self.files[name] = [r for r in self.files[name] if r["sourcedId"] != sid]
        return self

    def line_of(self, name: str, sid: str) -> int:
        """The line a row is written on: the header is line 1."""
        sids = [row["sourcedId"] for row in self.files[name]]
        return sids.index(sid) + 2

    def write(self, folder: Path, *, bom: bool = False) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        encoding = "utf-8-sig" if bom else "utf-8"
        with open(folder / "manifest.csv", "w", newline="", encoding=encoding) as f:
            writer = csv.writer(f)
            writer.writerow(["propertyName", "value"])
            writer.writerow(["manifest.version", "1.0"])
            writer.writerow(["oneroster.version", "1.2"])
            for name, key in MANIFEST_KEYS.items():
                writer.writerow([key, self.modes.get(name, "absent")])
            writer.writerows(self.manifest_extra)
        for name, rows in self.files.items():
            if self.modes.get(name, "absent") == "absent":
                continue
            with open(folder / name, "w", newline="", encoding=encoding) as f:
                writer = csv.writer(f)
                writer.writerow(self.columns[name])
                for row in rows:
                    writer.writerow(
                        [row.get(column, "") for column in self.columns[name]]
                    )
        return folder

    def zip(self, path: Path, **options) -> Path:
        folder = self.write(path.with_suffix(""), **options)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, file.name)
        return path


def iso(day: datetime.date) -> str:
    return day.isoformat()


def small_city(mode: str = "bulk") -> Roster:
    start, end = this_school_year()
    term_end = start + datetime.timedelta(days=60)
    files = {
        "orgs.csv": [
            {"sourcedId": "city", "name": "Город", "type": "district"},
            {
                "sourcedId": "org-1501",
                "name": "Школа № 1501",
                "type": "school",
                "identifier": "1501",
                "parentSourcedId": "city",
            },
            {
                "sourcedId": "org-1502",
                "name": "Школа № 1502",
                "type": "school",
                "identifier": "1502",
                "parentSourcedId": "city",
            },
        ],
        "academicSessions.csv": [
            {
                "sourcedId": "year",
                "title": f"{start.year}/{end.year}",
                "type": "schoolYear",
                "startDate": iso(start),
                "endDate": iso(end),
                "schoolYear": str(end.year),
            },
            {
                "sourcedId": "q1",
                "title": "1 четверть",
                "type": "term",
                "startDate": iso(start),
                "endDate": iso(term_end),
                "parentSourcedId": "year",
                "schoolYear": str(end.year),
            },
        ],
        "courses.csv": [
            {
                "sourcedId": "course-math",
                "title": "Математика",
                "courseCode": "mathematics",
                "orgSourcedId": "city",
            },
            {
                "sourcedId": "course-rus",
                "title": "Русский язык",
                "courseCode": "russian",
                "orgSourcedId": "city",
            },
        ],
        "classes.csv": [
            _class("cls-5a", "5А", "org-1501", "homeroom", "", "05"),
            _class(
                "cls-5a-math",
                "5А Математика",
                "org-1501",
                "scheduled",
                "course-math",
                "05",
            ),
            _class("cls-5b", "5Б", "org-1501", "homeroom", "", "05"),
            _class("cls-7b", "7Б", "org-1502", "homeroom", "", "07"),
            _class(
                "cls-7b-math",
                "7Б Математика",
                "org-1502",
                "scheduled",
                "course-math",
                "07",
            ),
        ],
        "users.csv": [
            _user("u-alice", "alice", "Алиса", "Смирнова"),
            _user("u-boris", "boris", "Борис", "Орлов"),
            _user("u-petya", "petya", "Петя", "Иванов", email="petya@example.org"),
            _user("u-masha", "masha", "Маша", "Петрова"),
            _user("u-vasya", "vasya", "Вася", "Сидоров"),
            _user("u-olga", "olga", "Ольга", "Иванова", agents="u-petya"),
        ],
        "roles.csv": [
            _role("u-alice", "teacher", "org-1501"),
            _role("u-boris", "teacher", "org-1502"),
            _role("u-petya", "student", "org-1501"),
            _role("u-masha", "student", "org-1501"),
            _role("u-vasya", "student", "org-1502"),
            _role("u-olga", "parent", "org-1501"),
        ],
        "enrollments.csv": [
            _enrol("e-petya", "cls-5a", "org-1501", "u-petya", "student"),
            _enrol("e-petya-math", "cls-5a-math", "org-1501", "u-petya", "student"),
            _enrol("e-masha", "cls-5a", "org-1501", "u-masha", "student"),
            _enrol("e-vasya", "cls-7b", "org-1502", "u-vasya", "student"),
            _enrol("e-alice-5a", "cls-5a", "org-1501", "u-alice", "teacher"),
            _enrol("e-alice-math", "cls-5a-math", "org-1501", "u-alice", "teacher"),
            _enrol("e-boris-math", "cls-7b-math", "org-1502", "u-boris", "teacher"),
        ],
    }
    modes = dict.fromkeys(files, mode)
    return Roster(files, modes)


def _class(sid, title, school, class_type, course, grade) -> dict:
    return {
        "sourcedId": sid,
        "title": title,
        "grades": grade,
        "courseSourcedId": course,
        "classType": class_type,
        "schoolSourcedId": school,
        "termSourcedIds": "q1" if course else "year",
    }


def _user(sid, username, given, family, *, email="", agents="") -> dict:
    return {
        "sourcedId": sid,
        "enabledUser": "true",
        "username": username,
        "givenName": given,
        "familyName": family,
        "middleName": "Петрович" if given in {"Петя", "Вася"} else "",
        "email": email,
        "agentSourcedIds": agents,
    }


def _role(user, role, org) -> dict:
    return {
        "sourcedId": f"r-{user}-{role}",
        "userSourcedId": user,
        "roleType": "primary",
        "role": role,
        "orgSourcedId": org,
    }


def _enrol(sid, klass, school, user, role) -> dict:
    return {
        "sourcedId": sid,
        "classSourcedId": klass,
        "schoolSourcedId": school,
        "userSourcedId": user,
        "role": role,
        "primary": "true" if role == "teacher" else "",
    }
