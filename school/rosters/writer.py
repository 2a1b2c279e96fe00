"""Writes a checked roster plan with bulk queries; called inside one transaction.

Each step loads what it needs in one or two queries, then creates with
bulk_create and changes with bulk_update, so ten thousand people cost tens of
queries, not tens of thousands. Nobody is deleted: a person marked tobedeleted
loses enrolments, assignments, family links and school memberships; an
enrolment that ends gets an end date.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.contrib.auth.hashers import make_password
from django.db.models import Model, Q
from django.utils import timezone

from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    RosterClass,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
)
from school.rosters.access import RosterScope
from school.rosters.records import ClassRecord, EnrollmentRecord, RosterPlan
from school.rosters.spec import ROSTER_ROLES
from school.services import guardianships_set_many, user_roles_set_many

Progress = Callable[[str], None]
BATCH = 1000


def assign(obj: Model, values: dict) -> list[str]:
    """Sets the values that differ; returns the names of the fields changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


class Writer:
    def __init__(self, plan: RosterPlan, scope: RosterScope, progress: Progress):
        self.plan, self.known, self.scope = plan, plan.known, scope
        self.progress = progress
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.today = timezone.localdate()
        self.schools: dict[str, School] = dict(self.known.schools)
        self.subjects: dict[str, Subject] = dict(self.known.subjects_by_course)
        self.years: dict[tuple[int, str], AcademicYear] = {}
        self.targets: dict[str, tuple[ClassGroup, int | None, bool]] = {
            sid: (known.class_group, known.subject_id, known.homeroom)
            for sid, known in self.known.classes.items()
        }
        self.users: dict[str, User] = dict(self.known.users)

    def run(self) -> dict[str, Counter]:
        steps = [
            ("schools", self.write_schools),
            ("subjects", self.write_subjects),
            ("academic years", self.write_years),
            ("classes", self.write_classes),
            ("users", self.write_users),
            ("roles", self.write_roles),
            ("guardianships", self.write_families),
            ("enrolments", self.write_enrolments),
            ("teaching assignments", self.write_assignments),
        ]
        for name, step in steps:
            self.progress(name)
            step()
        return dict(self.counts)

    def save(self, model, name: str, new: list, changed: list, fields: set[str]):
        model.objects.bulk_create(new, batch_size=BATCH)
        if changed and fields:
            model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
        self.counts[name]["created"] += len(new)
        self.counts[name]["updated"] += len(changed)

    def unchanged(self, name: str, count: int = 1) -> None:
        self.counts[name]["unchanged"] += count

    # --- schools

    def write_schools(self) -> None:
        new, changed, fields = [], [], set()
        for org in self.plan.orgs.values():
            if not org.is_school:
                continue
            school = self.schools.get(org.sid) or self.schools.get(org.external_id)
            if school is None:
                school = School(
                    sourced_id=org.sid,
                    external_id=org.external_id,
                    name=org.name,
                    short_name=org.name[:64],
                )
                new.append(school)
            elif names := assign(
                school,
                {
                    "sourced_id": org.sid,
                    "external_id": org.external_id,
                    "name": org.name,
                },
            ):
                changed.append(school)
                fields.update(names)
            else:
                self.unchanged("schools")
            self.schools[org.sid] = school
        self.save(School, "schools", new, changed, fields)

    # --- subjects: the citywide catalogue

    def write_subjects(self) -> None:
        by_code = dict(self.known.subjects_by_code)
        new, changed = [], {}
        for course in self.plan.courses.values():
            subject = self.subjects.get(course.sid) or by_code.get(course.subject_code)
            if subject is None:
                subject = Subject(
                    code=course.subject_code,
                    name=course.subject_name,
                    sourced_id=course.sid,
                )
                new.append(subject)
                by_code[subject.code] = subject
            elif subject.pk and not subject.sourced_id:
                # The first course that names a subject gives it its sourcedId.
                subject.sourced_id = course.sid
                changed[subject.pk] = subject
            elif subject.pk and subject.pk not in changed:
                self.unchanged("subjects")
            self.subjects[course.sid] = subject
        self.save(Subject, "subjects", new, list(changed.values()), {"sourced_id"})

    # --- academic years and terms, per school

    def session(self, sid: str) -> tuple[str, datetime.date, datetime.date]:
        record = self.plan.sessions.get(sid)
        if record is not None:
            return record.title, record.starts_on, record.ends_on
        stored = self.known.sessions[sid]
        return stored.title, stored.starts_on, stored.ends_on

    def write_years(self) -> None:
        self.update_stored_sessions()
        wanted = {
            (self.schools[record.school_sid], record.year_sid)
            for record in self.plan.classes.values()
        }
        school_ids = {school.pk for school, _ in wanted}
        stored = AcademicYear.objects.filter(school_id__in=school_ids)
        by_sid = {(y.school_id, y.sourced_id): y for y in stored if y.sourced_id}
        by_name = {(y.school_id, y.name): y for y in stored}
        new, adopted = [], []
        for school, year_sid in sorted(wanted, key=lambda pair: (pair[0].pk, pair[1])):
            title, starts_on, ends_on = self.session(year_sid)
            year = by_sid.get((school.pk, year_sid)) or by_name.get((school.pk, title))
            if year is None:
                year = AcademicYear(
                    school=school,
                    sourced_id=year_sid,
                    name=title,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
                new.append(year)
            elif not year.sourced_id:
                year.sourced_id = year_sid
                adopted.append(year)
            self.years[(school.pk, year_sid)] = year
        self.save(AcademicYear, "academic years", new, adopted, {"sourced_id"})
        self.write_terms()

    def update_stored_sessions(self) -> None:
        """Sessions in the files change every school's copy of them."""
        for model, name, field in (
            (AcademicYear, "academic years", "name"),
            (Term, "terms", "name"),
        ):
            rows = model.objects.filter(sourced_id__in=self.plan.sessions)
            changed = []
            for row in rows:
                title, starts_on, ends_on = self.session(row.sourced_id)
                values = {field: title, "starts_on": starts_on, "ends_on": ends_on}
                if assign(row, values):
                    changed.append(row)
            model.objects.bulk_update(changed, [field, "starts_on", "ends_on"])
            self.counts[name]["updated"] += len(changed)

    def write_terms(self) -> None:
        years = {year.pk: year for year in self.years.values()}
        stored = {
            (term.academic_year_id, term.sourced_id)
            for term in Term.objects.filter(academic_year_id__in=years)
        }
        new = []
        for (_, year_sid), year in self.years.items():
            for sid in self.term_sids_of(year_sid):
                if (year.pk, sid) in stored:
                    self.unchanged("terms")
                    continue
                title, starts_on, ends_on = self.session(sid)
                new.append(
                    Term(
                        academic_year=year,
                        sourced_id=sid,
                        name=title[:64],
                        starts_on=starts_on,
                        ends_on=ends_on,
                    )
                )
                stored.add((year.pk, sid))
        self.save(Term, "terms", new, [], set())

    def term_sids_of(self, year_sid: str) -> list[str]:
        """Terms, semesters and grading periods below a school year."""
        sids = []
        for record in self.plan.sessions.values():
            parent, seen = record.parent_sid, set()
            while parent and parent not in seen and not record.is_year:
                if parent == year_sid:
                    sids.append(record.sid)
                    break
                seen.add(parent)
                above = self.plan.sessions.get(parent)
                parent = above.parent_sid if above else ""
        for record in self.plan.classes.values():
            for sid in record.term_sids:
                stored = self.known.sessions.get(sid)
                if record.year_sid == year_sid and stored and not stored.is_year:
                    sids.append(sid)
        return list(dict.fromkeys(sids))

    # --- classes and their sections

    def write_classes(self) -> None:
        groups = self.class_groups()
        sections = {
            section.sourced_id: section
            for section in RosterClass.objects.filter(sourced_id__in=self.plan.classes)
        }
        new, changed, fields = [], [], set()
        for record in self.homerooms_first():
            group = groups[self.group_key(record)]
            subject = (
                self.subjects.get(record.course_sid) if not record.homeroom else None
            )
            values = {
                "class_group": group,
                "subject": subject,
                "course_sourced_id": record.course_sid,
                "title": record.title,
                "class_code": record.class_code,
            }
            section = sections.get(record.sid)
            if section is None:
                new.append(RosterClass(sourced_id=record.sid, **values))
            elif names := assign(section, values):
                changed.append(section)
                fields.update(names)
            else:
                self.unchanged("classes")
            self.targets[record.sid] = (
                group,
                subject.pk if subject else None,
                subject is None,
            )
        self.save(RosterClass, "classes", new, changed, fields)
        self.classes_removed()

    def homerooms_first(self) -> list[ClassRecord]:
        # A class group takes the sourcedId of its homeroom class when there is one.
        return sorted(
            self.plan.classes.values(), key=lambda record: not record.homeroom
        )

    def group_key(self, record: ClassRecord) -> tuple[int, int, str]:
        year = self.years[(self.schools[record.school_sid].pk, record.year_sid)]
        return year.pk, record.grade, record.letter

    def class_groups(self) -> dict[tuple[int, int, str], ClassGroup]:
        years = {year.pk: year for year in self.years.values()}
        groups = {
            (group.academic_year_id, group.grade, group.letter): group
            for group in ClassGroup.objects.filter(academic_year_id__in=years)
        }
        new, named = [], []
        for record in self.homerooms_first():
            key = self.group_key(record)
            group = groups.get(key)
            if group is None:
                year = years[key[0]]
                group = ClassGroup(
                    school_id=year.school_id,
                    academic_year=year,
                    grade=record.grade,
                    letter=record.letter,
                    sourced_id=record.sid,
                )
                groups[key] = group
                new.append(group)
            elif group.pk and not group.sourced_id:
                group.sourced_id = record.sid
                named.append(group)
        ClassGroup.objects.bulk_create(new, batch_size=BATCH)
        ClassGroup.objects.bulk_update(named, ["sourced_id"], batch_size=BATCH)
        self.counts["class groups"]["created"] += len(new)
        return groups

    def classes_removed(self) -> None:
        """A class marked tobedeleted: its pupils leave, its teachers stop."""
        for record in self.plan.classes.values():
            if record.status != "tobedeleted":
                continue
            group, subject_id, homeroom = self.targets[record.sid]
            if homeroom:
                self.enrolments_end(Enrolment.objects.filter(class_group=group))
                ClassGroup.objects.filter(pk=group.pk).update(homeroom_teacher=None)
            else:
                removed, _ = TeachingAssignment.objects.filter(
                    class_group=group, subject_id=subject_id
                ).delete()
                self.counts["teaching assignments"]["removed"] += removed

    # --- people

    def write_users(self) -> None:
        new, changed, fields = [], [], set()
        for record in self.plan.users.values():
            values = {
                "username": record.username,
                "first_name": record.first_name,
                "last_name": record.last_name,
                "patronymic": record.patronymic,
                "email": record.email,
                "is_active": record.is_active,
            }
            user = self.users.get(record.sid)
            if user is None:
                user = User(
                    sourced_id=record.sid, password=make_password(None), **values
                )
                new.append(user)
                self.users[record.sid] = user
            elif names := assign(user, values):
                changed.append(user)
                fields.update(names)
            else:
                self.unchanged("users")
        self.save(User, "users", new, changed, fields)
        self.memberships()
        self.people_removed()

    def memberships(self) -> None:
        """School memberships follow the roster, within the schools it covers."""
        wanted = {
            self.users[sid].pk: {self.schools[org].pk for org in orgs}
            for sid, orgs in self.plan.user_orgs.items()
        }
        covered = {pk for pks in wanted.values() for pk in pks} | {
            self.schools[org.sid].pk for org in self.plan.orgs.values() if org.is_school
        }
        through = User.schools.through
        held = set(
            through.objects.filter(user_id__in=wanted).values_list(
                "user_id", "school_id"
            )
        )
        if self.replaces("users.csv") or self.replaces("roles.csv"):
            stale = Q()
            for user_id, school_id in held:
                if school_id in covered and school_id not in wanted[user_id]:
                    stale |= Q(user_id=user_id, school_id=school_id)
            if stale:
                through.objects.filter(stale).delete()
        through.objects.bulk_create(
            [
                through(user_id=user_id, school_id=school_id)
                for user_id, schools in wanted.items()
                for school_id in schools
                if (user_id, school_id) not in held
            ],
            batch_size=BATCH,
        )

    def replaces(self, file: str) -> bool:
        return self.plan.modes.get(file) == "bulk"

    def people_removed(self) -> None:
        gone = [
            self.users[record.sid].pk
            for record in self.plan.users.values()
            if record.status == "tobedeleted"
        ]
        if not gone:
            return
        schools = self.scope_filter("class_group__school_id")
        self.enrolments_end(Enrolment.objects.filter(schools, pupil_id__in=gone))
        removed, _ = TeachingAssignment.objects.filter(
            schools, teacher_id__in=gone
        ).delete()
        self.counts["teaching assignments"]["removed"] += removed
        ClassGroup.objects.filter(
            self.scope_filter("school_id"), homeroom_teacher_id__in=gone
        ).update(homeroom_teacher=None)
        removed, _ = Guardianship.objects.filter(
            Q(parent_id__in=gone) | Q(pupil_id__in=gone)
        ).delete()
        self.counts["guardianships"]["removed"] += removed
        User.schools.through.objects.filter(
            self.scope_filter("school_id"), user_id__in=gone
        ).delete()
        self.counts["users"]["detached"] += len(gone)

    def scope_filter(self, field: str) -> Q:
        if self.scope.everything:
            return Q()
        return Q(**{f"{field}__in": self.scope.school_ids})

    def write_roles(self) -> None:
        roles = {
            self.users[sid].pk: roles for sid, roles in self.plan.user_roles.items()
        }
        granted, revoked = user_roles_set_many(
            roles_by_user=roles, managed=ROSTER_ROLES
        )
        self.counts["roles"]["created"] += granted
        self.counts["roles"]["removed"] += revoked

    def write_families(self) -> None:
        links: dict[int, set[int]] = defaultdict(set)
        for parent_sid, pupil_sid in self.plan.families:
            links[self.users[parent_sid].pk].add(self.users[pupil_sid].pk)
        replacing = set()
        if self.replaces("users.csv"):
            # A bulk file states every link of the people in it.
            for record in self.plan.users.values():
                links.setdefault(self.users[record.sid].pk, set())
                replacing.add(self.users[record.sid].pk)
        added, removed = guardianships_set_many(
            pupils_by_parent=dict(links), replacing=replacing
        )
        self.counts["guardianships"]["created"] += added
        self.counts["guardianships"]["removed"] += removed

    # --- enrolments of pupils

    def enrolments_end(self, enrolments, on: datetime.date | None = None) -> None:
        """Ends open enrolments the day before `on` (today), never before they began."""
        day = (on or self.today) - datetime.timedelta(days=1)
        ended = []
        for enrolment in enrolments.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=day)
        ):
            enrolment.ends_on = max(day, enrolment.starts_on)
            ended.append(enrolment)
        Enrolment.objects.bulk_update(ended, ["ends_on"], batch_size=BATCH)
        self.counts["enrolments"]["ended"] += len(ended)

    def pupil_groups(self) -> dict[tuple[int, int], list[EnrollmentRecord]]:
        groups: dict[tuple[int, int], list[EnrollmentRecord]] = defaultdict(list)
        for record in self.plan.enrollments:
            if record.role != "student":
                continue
            group, _, homeroom = self.targets[record.class_sid]
            # Several sections of one class group make one enrolment; the
            # homeroom's row leads.
            key = (self.users[record.user_sid].pk, group.pk)
            groups[key].insert(0, record) if homeroom else groups[key].append(record)
        return groups

    def write_enrolments(self) -> None:
        groups = self.pupil_groups()
        sids = {record.sid for records in groups.values() for record in records}
        pupils = {pupil_id for pupil_id, _ in groups}
        open_filter = Q(ends_on__isnull=True) | Q(ends_on__gte=self.today)
        stored = list(
            Enrolment.objects.filter(
                Q(sourced_id__in=sids) | Q(open_filter, pupil_id__in=pupils)
            )
            .select_related("class_group")
            .order_by("starts_on", "pk")
        )
        by_sid = {e.sourced_id: e for e in stored if e.sourced_id}
        open_by_pair = {
            (e.pupil_id, e.class_group_id): e
            for e in stored
            if e.ends_on is None or e.ends_on >= self.today
        }
        new, changed, ending = [], {}, []
        for (pupil_id, group_id), records in groups.items():
            self.enrolment(
                pupil_id, group_id, records, by_sid, open_by_pair, new, changed, ending
            )
        Enrolment.objects.bulk_update(ending, ["ends_on"], batch_size=BATCH)
        self.counts["enrolments"]["ended"] += len(ending)
        self.save(
            Enrolment,
            "enrolments",
            new,
            list(changed.values()),
            {"sourced_id", "starts_on", "ends_on"},
        )
        self.moved_out(groups, stored)
        if self.replaces("enrollments.csv"):
            self.absent_enrolments_end(sids)

    def enrolment(
        self, pupil_id, group_id, records, by_sid, open_by_pair, new, changed, ending
    ):
        lead = records[0]
        if all(record.status == "tobedeleted" for record in records):
            stored = by_sid.get(lead.sid) or open_by_pair.get((pupil_id, group_id))
            if stored is not None and (
                stored.ends_on is None or stored.ends_on >= self.today
            ):
                stored.ends_on = lead.ends_on or max(
                    self.today - datetime.timedelta(days=1), stored.starts_on
                )
                ending.append(stored)
            return
        begins = [r.begins_on for r in records if r.begins_on]
        ends = [r.ends_on for r in records]
        starts_on = min(begins) if begins else None
        ends_on = None if None in ends else max(ends)
        stored = by_sid.get(lead.sid)
        if stored is not None and stored.class_group_id != group_id:
            # Moved: the old enrolment ends the day before the new one starts.
            day = starts_on or self.today
            if stored.ends_on is None or stored.ends_on >= day:
                stored.ends_on = max(day - datetime.timedelta(days=1), stored.starts_on)
                ending.append(stored)
            stored = None
            starts_on = day
        stored = stored or open_by_pair.get((pupil_id, group_id))
        if stored is None:
            year_start = self.targets[lead.class_sid][0].academic_year.starts_on
            new.append(
                Enrolment(
                    pupil_id=pupil_id,
                    class_group_id=group_id,
                    sourced_id=lead.sid,
                    starts_on=starts_on or year_start,
                    ends_on=ends_on,
                )
            )
            open_by_pair[(pupil_id, group_id)] = new[-1]
            return
        values = {"sourced_id": stored.sourced_id or lead.sid, "ends_on": ends_on}
        if starts_on:
            values["starts_on"] = starts_on
        if assign(stored, values):
            changed[stored.pk] = stored
        else:
            self.unchanged("enrolments")

    def moved_out(self, groups, stored) -> None:
        """A pupil is in one class a year: other open enrolments of that year end."""
        staying = {
            pair
            for pair, records in groups.items()
            if any(r.status != "tobedeleted" for r in records)
        }
        years = {}
        for (pupil_id, group_id), records in groups.items():
            if (pupil_id, group_id) in staying:
                years[
                    (pupil_id, self.targets[records[0].class_sid][0].academic_year_id)
                ] = True
        ending = [
            e
            for e in stored
            if (e.ends_on is None or e.ends_on >= self.today)
            and (e.pupil_id, e.class_group_id) not in staying
            and (e.pupil_id, e.class_group.academic_year_id) in years
            and self.scope.covers(e.class_group.school_id)
        ]
        self.enrolments_end(Enrolment.objects.filter(pk__in=[e.pk for e in ending]))

    def absent_enrolments_end(self, sids: set[str]) -> None:
        """A bulk file lists every enrolment of its schools: the rest have ended."""
        schools = self.roster_school_ids()
        self.enrolments_end(
            Enrolment.objects.filter(class_group__school_id__in=schools)
            .exclude(sourced_id="")
            .exclude(sourced_id__in=sids)
        )

    def roster_school_ids(self) -> set[int]:
        ids = {
            self.schools[org.sid].pk for org in self.plan.orgs.values() if org.is_school
        }
        ids |= {
            self.targets[record.class_sid][0].school_id
            for record in self.plan.enrollments
        }
        return {pk for pk in ids if self.scope.covers(pk)}

    # --- teachers

    def write_assignments(self) -> None:
        records = [r for r in self.plan.enrollments if r.role == "teacher"]
        self.homeroom_teachers([r for r in records if self.targets[r.class_sid][2]])
        records = [r for r in records if not self.targets[r.class_sid][2]]
        sids = {r.sid for r in records}
        groups = {self.targets[r.class_sid][0].pk for r in records}
        stored = list(
            TeachingAssignment.objects.filter(
                Q(sourced_id__in=sids) | Q(class_group_id__in=groups)
            )
        )
        by_sid = {a.sourced_id: a for a in stored if a.sourced_id}
        by_triple = {(a.teacher_id, a.class_group_id, a.subject_id): a for a in stored}
        new, changed, gone = [], {}, set()
        for record in records:
            group, subject_id, _ = self.targets[record.class_sid]
            triple = (self.users[record.user_sid].pk, group.pk, subject_id)
            self.assignment(record, triple, by_sid, by_triple, new, changed, gone)
        TeachingAssignment.objects.filter(pk__in=gone).delete()
        self.counts["teaching assignments"]["removed"] += len(gone)
        self.save(
            TeachingAssignment,
            "teaching assignments",
            new,
            [a for pk, a in changed.items() if pk not in gone],
            {"sourced_id", "teacher", "class_group", "subject"},
        )
        if self.replaces("enrollments.csv"):
            removed, _ = (
                TeachingAssignment.objects.filter(
                    class_group__school_id__in=self.roster_school_ids()
                )
                .exclude(sourced_id="")
                .exclude(sourced_id__in=sids)
                .delete()
            )
            self.counts["teaching assignments"]["removed"] += removed

    def assignment(self, record, triple, by_sid, by_triple, new, changed, gone) -> None:
        stored = by_sid.get(record.sid)
        same = by_triple.get(triple)
        if record.status == "tobedeleted":
            for row in {stored, same} - {None}:
                gone.add(row.pk)
            return
        if stored is not None and same is not None and stored.pk != same.pk:
            gone.add(stored.pk)  # two rows for one assignment: keep the older
            stored = None
        assignment = stored or same
        values = {
            "sourced_id": record.sid,
            "teacher_id": triple[0],
            "class_group_id": triple[1],
            "subject_id": triple[2],
        }
        if assignment is None:
            assignment = TeachingAssignment(**values)
            new.append(assignment)
            by_triple[triple] = assignment
        elif assign(assignment, values):
            changed[assignment.pk] = assignment
        elif assignment.pk not in changed:
            self.unchanged("teaching assignments")

    def homeroom_teachers(self, records: Iterable[EnrollmentRecord]) -> None:
        changed = {}
        for record in records:
            group = self.targets[record.class_sid][0]
            teacher = self.users[record.user_sid]
            if record.status == "tobedeleted":
                if group.homeroom_teacher_id == teacher.pk:
                    group.homeroom_teacher = None
                    changed[group.pk] = group
            elif group.homeroom_teacher_id != teacher.pk:
                group.homeroom_teacher = teacher
                changed[group.pk] = group
        ClassGroup.objects.bulk_update(list(changed.values()), ["homeroom_teacher"])
        self.counts["class groups"]["updated"] += len(changed)
