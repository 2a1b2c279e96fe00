"""A city-sized journal for the diary benchmark, loaded in bulk.

Rows are generated as plain tuples with their ids decided here, then written with
PostgreSQL's COPY (or executemany on SQLite, which the smoke test uses), so that a
million marks load in seconds rather than the minutes model instances would take.
The shape follows a Moscow school: classes of 25, six lessons a day, ten subjects,
a teacher per subject and four classes; the term began eight weeks ago.
"""

import datetime
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from school.models import (
    AbsenceNotice,
    AcademicYear,
    Attendance,
    ClassGroup,
    Enrolment,
    Gradebook,
    Guardianship,
    Homework,
    Lesson,
    LessonSlot,
    Mark,
    RoleGrant,
    School,
    Subject,
    Submission,
    TeachingAssignment,
    Term,
    User,
    WorkType,
)

PUPILS_PER_CLASS = 25
CLASSES_PER_SCHOOL = 40
SUBJECTS = 10
LESSONS_A_DAY = 6
CLASSES_PER_TEACHER = 4
WEEKS_SO_FAR = 8


@dataclass
class CitySize:
    pupils: int = 20_000
    marks: int = 1_000_000
    seed: int = 2026

    @property
    def classes(self) -> int:
        return max(1, self.pupils // PUPILS_PER_CLASS)


@dataclass
class Ids:
    """The next free id of each table, so a load never collides with old rows."""

    next: dict = field(default_factory=dict)

    def take(self, model: type[Model], count: int = 1) -> int:
        if model not in self.next:
            top = model.objects.aggregate(top=Max("pk"))["top"] or 0
            self.next[model] = top + 1
        first = self.next[model]
        self.next[model] += count
        return first


@dataclass
class City:
    """What the benchmark needs to know about the loaded city."""

    term_id: int
    monday: datetime.date
    parents: list[int] = field(default_factory=list)  # each with two children
    pupils: list[int] = field(default_factory=list)
    children: dict[int, list[int]] = field(default_factory=dict)
    gradebooks: list[tuple[int, int, int, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def write(model: type[Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """Bulk-inserts rows (tuples in `columns` order); returns how many."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        rows = (tuple(_adapt(value) for value in row) for row in rows)
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                written, batch = written + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
        return written + len(batch)


def _adapt(value):
    """Dates and times as SQLite stores them (COPY takes the Python values)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, datetime.time):
        return connection.ops.adapt_timefield_value(value)
    return value


def _reset_sequences(models: list[type[Model]]) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _user_rows(ids: list[int], tag: str, role: str, now) -> Iterator[tuple]:
    for pk in ids:
        yield (
            pk,
            "!",
            False,
            f"{tag}-{role}-{pk}",
            "Имя",
            f"Фамилия{pk}",
            "",
            False,
            True,
            now,
            "Отчество",
            "",
            "",
            "",
        )


USER_COLUMNS = [
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "patronymic",
    "sourced_id",
    "oidc_issuer",
    "oidc_sub",
]
LESSON_COLUMNS = [
    "id",
    "class_group_id",
    "subject_id",
    "term_id",
    "teacher_id",
    "date",
    "slot_id",
    "room",
    "topic",
    "status",
    "sourced_id",
]
MARK_COLUMNS = [
    "id",
    "lesson_id",
    "pupil_id",
    "work_type_id",
    "scale",
    "value",
    "comment",
    "created_by_id",
    "created_at",
    "updated_at",
]
SUBMISSION_COLUMNS = [
    "id",
    "homework_id",
    "pupil_id",
    "text",
    "status",
    "submitted_at",
    "updated_at",
    "teacher_comment",
]


@dataclass
class PastLesson:
    pk: int
    klass: int  # index into Builder.classes
    date: datetime.date
    teacher: int


class Builder:
    """Builds the city inside one transaction; `build()` returns what was made."""

    def __init__(self, size: CitySize):
        self.size = size
        self.random = random.Random(size.seed)  # noqa: S311 seeded: same city each run
        self.ids = Ids()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.monday = self.today - datetime.timedelta(days=self.today.weekday())
        self.term_start = self.monday - datetime.timedelta(weeks=WEEKS_SO_FAR)
        self.term_end = self.monday + datetime.timedelta(weeks=5, days=4)
        self.counts: dict[str, int] = {}

    def _write(self, model, columns, rows) -> None:
        name = model._meta.model_name
        self.counts[name] = self.counts.get(name, 0) + write(model, columns, rows)

    def _block(self, model, count: int) -> list[int]:
        first = self.ids.take(model, count)
        return list(range(first, first + count))

    def users(self, role: str, count: int) -> list[int]:
        ids = self._block(User, count)
        self._write(User, USER_COLUMNS, _user_rows(ids, self.tag, role, self.now))
        grants = zip(self._block(RoleGrant, count), ids, strict=True)
        self._write(RoleGrant, ["id", "user_id", "role"], (g + (role,) for g in grants))
        return ids

    # --- structure

    def schools(self) -> None:
        count = -(-self.size.classes // CLASSES_PER_SCHOOL)
        self.school_ids = self._block(School, count)
        self.tag = f"b{self.school_ids[0]}"  # usernames stay unique across loads
        self._write(
            School,
            ["id", "sourced_id", "external_id", "name", "short_name", "address"],
            (
                (pk, "", f"{self.tag}-{pk}", f"Школа {pk}", f"Ш{pk}", "")
                for pk in self.school_ids
            ),
        )
        self.year_ids = self._block(AcademicYear, count)
        start = self.term_start - datetime.timedelta(days=60)
        end = self.term_end + datetime.timedelta(days=120)
        self._write(
            AcademicYear,
            ["id", "sourced_id", "school_id", "name", "starts_on", "ends_on"],
            zip(
                self.year_ids,
                [""] * count,
                self.school_ids,
                ["bench"] * count,
                [start] * count,
                [end] * count,
                strict=True,
            ),
        )
        self.year_start = start
        self.term_ids = self._block(Term, count)
        self._write(
            Term,
            ["id", "sourced_id", "academic_year_id", "name", "starts_on", "ends_on"],
            (
                (t, "", y, "2 четверть", self.term_start, self.term_end)
                for t, y in zip(self.term_ids, self.year_ids, strict=True)
            ),
        )
        self.slot_ids = {}
        rows = []
        for school in self.school_ids:
            for number in range(1, LESSONS_A_DAY + 1):
                pk = self.ids.take(LessonSlot)
                self.slot_ids[school, number] = pk
                begins = datetime.time(7 + number, 0)
                rows.append((pk, school, number, begins, begins.replace(minute=45)))
        self._write(
            LessonSlot, ["id", "school_id", "number", "starts_at", "ends_at"], rows
        )

    def subjects(self) -> None:
        self.subject_ids = []
        for n in range(SUBJECTS):
            subject, _ = Subject.objects.get_or_create(
                code=f"bench-{n}", defaults={"name": f"Предмет {n + 1:02d}"}
            )
            self.subject_ids.append(subject.pk)

    def classes(self) -> None:
        self.class_ids = self._block(ClassGroup, self.size.classes)
        self.class_school = [n // CLASSES_PER_SCHOOL for n in range(self.size.classes)]
        rows = []
        for n, pk in enumerate(self.class_ids):
            local = n % CLASSES_PER_SCHOOL
            school = self.class_school[n]
            rows.append(
                (
                    pk,
                    "",
                    self.school_ids[school],
                    self.year_ids[school],
                    1 + local % 11,
                    "АБВГДЕЖЗИК"[local // 11],
                )
            )
        columns = [
            "id",
            "sourced_id",
            "school_id",
            "academic_year_id",
            "grade",
            "letter",
        ]
        self._write(ClassGroup, columns, rows)

    def people(self) -> None:
        pupils = self.users("pupil", self.size.classes * PUPILS_PER_CLASS)
        self.class_pupils = [
            pupils[n * PUPILS_PER_CLASS : (n + 1) * PUPILS_PER_CLASS]
            for n in range(self.size.classes)
        ]
        self._write(
            Enrolment,
            ["id", "sourced_id", "pupil_id", "class_group_id", "starts_on"],
            (
                (e, "", p, self.class_ids[n // PUPILS_PER_CLASS], self.year_start)
                for n, (e, p) in enumerate(
                    zip(self._block(Enrolment, len(pupils)), pupils, strict=True)
                )
            ),
        )
        self.pupils = pupils
        self._families(pupils)
        self._teachers()

    def _families(self, pupils: list[int]) -> None:
        """A tenth of the parents have two children, in different classes."""
        half, pairs = len(pupils) // 2, len(pupils) // 10
        families = [[pupils[j], pupils[j + half]] for j in range(pairs)]
        paired = {child for family in families for child in family}
        families += [[pupil] for pupil in pupils if pupil not in paired]
        parents = self.users("parent", len(families))
        links = [
            (parent, child)
            for parent, family in zip(parents, families, strict=True)
            for child in family
        ]
        self._write(
            Guardianship,
            ["id", "sourced_id", "parent_id", "pupil_id"],
            (
                (pk, "", parent, child)
                for pk, (parent, child) in zip(
                    self._block(Guardianship, len(links)), links, strict=True
                )
            ),
        )
        self.parent_children = dict(zip(parents[:pairs], families[:pairs], strict=True))
        self.parent_of = {child: parent for parent, child in links}

    def _teachers(self) -> None:
        """One teacher per subject for every four classes of a school."""
        per_school = -(-CLASSES_PER_SCHOOL // CLASSES_PER_TEACHER) * SUBJECTS
        teachers = self.users("teacher", per_school * len(self.school_ids))
        self.teacher_of = {}
        for n in range(self.size.classes):
            local, school = n % CLASSES_PER_SCHOOL, self.class_school[n]
            for s in range(SUBJECTS):
                index = (
                    school * per_school + (local // CLASSES_PER_TEACHER) * SUBJECTS + s
                )
                self.teacher_of[n, s] = teachers[index]
        keys = sorted(self.teacher_of)
        self._write(
            TeachingAssignment,
            ["id", "sourced_id", "teacher_id", "class_group_id", "subject_id"],
            (
                (
                    pk,
                    "",
                    self.teacher_of[key],
                    self.class_ids[key[0]],
                    self.subject_ids[key[1]],
                )
                for pk, key in zip(
                    self._block(TeachingAssignment, len(keys)), keys, strict=True
                )
            ),
        )
        self._write(
            Gradebook,
            ["id", "class_group_id", "subject_id", "term_id", "scale"],
            (
                (
                    pk,
                    self.class_ids[n],
                    self.subject_ids[s],
                    self.term_ids[self.class_school[n]],
                    "five",
                )
                for pk, (n, s) in zip(
                    self._block(Gradebook, len(keys)), keys, strict=True
                )
            ),
        )

    # --- the journal

    def _school_days(self) -> Iterator[datetime.date]:
        day = self.term_start
        while day <= self.monday + datetime.timedelta(days=4):
            if day.weekday() < 5:
                yield day
            day += datetime.timedelta(days=1)

    def lessons(self) -> None:
        """Six lessons a school day from the term's start to this Friday."""
        self.past: list[PastLesson] = []
        days = list(self._school_days())
        total = self.size.classes * len(days) * LESSONS_A_DAY
        first = self.ids.take(Lesson, total)
        self._write(Lesson, LESSON_COLUMNS, self._lesson_rows(days, first))

    def _lesson_rows(self, days, pk: int) -> Iterator[tuple]:
        for n, class_id in enumerate(self.class_ids):
            school = self.class_school[n]
            for day in days:
                for number in range(1, LESSONS_A_DAY + 1):
                    s = (day.weekday() * LESSONS_A_DAY + number + n) % SUBJECTS
                    teacher = self.teacher_of[n, s]
                    if day <= self.today:
                        self.past.append(PastLesson(pk, n, day, teacher))
                    yield (
                        pk,
                        class_id,
                        self.subject_ids[s],
                        self.term_ids[school],
                        teacher,
                        day,
                        self.slot_ids[self.school_ids[school], number],
                        f"{100 + n % 300}",
                        f"Тема {pk}",
                        "scheduled",
                        "",
                    )
                    pk += 1

    def marks(self) -> None:
        """Spreads the wanted number of marks evenly over the past lessons."""
        work_types = list(WorkType.objects.values_list("pk", flat=True))
        rate = self.size.marks / max(1, len(self.past))
        first = self.ids.take(Mark, self.size.marks)
        self._write(Mark, MARK_COLUMNS, self._mark_rows(work_types, rate, first))

    def _mark_rows(self, work_types, rate: float, pk: int) -> Iterator[tuple]:
        pick, choices = self.random.sample, self.random.choices
        for index, lesson in enumerate(self.past):
            count = int((index + 1) * rate) - int(index * rate)
            pupils = pick(self.class_pupils[lesson.klass], min(count, PUPILS_PER_CLASS))
            values = choices((2, 3, 4, 5), weights=(5, 25, 40, 30), k=len(pupils))
            work_type = choices(work_types, k=1)[0]
            for pupil, value in zip(pupils, values, strict=True):
                yield (
                    pk,
                    lesson.pk,
                    pupil,
                    work_type,
                    "five",
                    value,
                    "",
                    lesson.teacher,
                    self.now,
                    self.now,
                )
                pk += 1

    def attendance(self) -> None:
        rows = []
        for lesson in self.past:
            pupils = self.class_pupils[lesson.klass]
            if self.random.random() < 0.8:
                rows.append((lesson.pk, self.random.choice(pupils), "absent"))
            if self.random.random() < 0.3:
                rows.append((lesson.pk, self.random.choice(pupils), "late"))
        unique = list(
            {(lesson, pupil): status for lesson, pupil, status in rows}.items()
        )
        ids = self._block(Attendance, len(unique))
        teacher = {lesson.pk: lesson.teacher for lesson in self.past}
        self._write(
            Attendance,
            [
                "id",
                "lesson_id",
                "pupil_id",
                "status",
                "note",
                "recorded_by_id",
                "updated_at",
            ],
            (
                (pk, lesson, pupil, status, "", teacher[lesson], self.now)
                for pk, ((lesson, pupil), status) in zip(ids, unique, strict=True)
            ),
        )

    def homework(self) -> None:
        """Every other lesson sets homework due two days later; 40 % hand it in."""
        given = self.past[::2]
        ids = self._block(Homework, len(given))
        self._write(
            Homework,
            ["id", "lesson_id", "due_date", "text", "created_by_id", "created_at"],
            (
                (
                    pk,
                    lesson.pk,
                    lesson.date + datetime.timedelta(days=2),
                    "Упражнения 1–5",
                    lesson.teacher,
                    self.now,
                )
                for pk, lesson in zip(ids, given, strict=True)
            ),
        )
        handed = [
            (homework, pupil)
            for homework, lesson in zip(ids, given, strict=True)
            for pupil in self.random.sample(self.class_pupils[lesson.klass], 10)
        ]
        statuses = ("done", "submitted", "reviewed")
        self._write(
            Submission,
            SUBMISSION_COLUMNS,
            (
                (
                    pk,
                    homework,
                    pupil,
                    "",
                    self.random.choice(statuses),
                    self.now,
                    self.now,
                    "",
                )
                for pk, (homework, pupil) in zip(
                    self._block(Submission, len(handed)), handed, strict=True
                )
            ),
        )

    def notices(self) -> None:
        """One pupil in fifty had a parent announce three days away."""
        away = self.pupils[::50]
        ids = self._block(AbsenceNotice, len(away))
        rows = []
        for pk, pupil in zip(ids, away, strict=True):
            start = self.term_start + datetime.timedelta(days=self.random.randrange(60))
            rows.append(
                (
                    pk,
                    pupil,
                    self.parent_of[pupil],
                    start,
                    start + datetime.timedelta(days=2),
                    "Болезнь",
                    self.now,
                )
            )
        columns = [
            "id",
            "pupil_id",
            "announced_by_id",
            "starts_on",
            "ends_on",
            "reason",
            "created_at",
        ]
        self._write(AbsenceNotice, columns, rows)

    def build(self) -> City:
        with transaction.atomic():
            self.schools()
            self.subjects()
            self.classes()
            self.people()
            self.lessons()
            self.marks()
            self.attendance()
            self.homework()
            self.notices()
        _reset_sequences(list(self.ids.next))
        return self.city()

    def city(self) -> City:
        gradebooks = [
            (
                self.class_ids[n],
                self.subject_ids[s],
                self.term_ids[self.class_school[n]],
                teacher,
            )
            for (n, s), teacher in self.teacher_of.items()
        ]
        return City(
            term_id=self.term_ids[0],
            monday=self.monday,
            parents=list(self.parent_children),
            pupils=self.pupils,
            children=self.parent_children,
            gradebooks=gradebooks,
            counts=dict(self.counts),
        )


def city_build(size: CitySize) -> City:
    """Loads a city of `size` into the default database; returns its handles."""
    return Builder(size).build()
