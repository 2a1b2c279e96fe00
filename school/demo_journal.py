"""The demo city's journal: marks, attendance and homework of a term under way.

`demo_journal_seed()` runs after `demo_timetable_seed()`. It fills the lessons of
the current term that are already over, sets homework up to the end of next week,
lets pupils answer the homework that is due, and gives final marks for the terms
that have ended. It only adds: a past lesson is filled once, while it has no
marks at all (so a teacher's own marks, deletions and corrections are kept), and
homework, submissions and term marks are added only where there are none yet.

Every draw comes from a generator seeded with the entity it is for (a lesson, a
pupil's week, a homework), so a run on another day adds the lessons that became
past without reshuffling what earlier runs wrote.

The rows are bulk-written for speed, keeping the invariants of the services
(school.gradebook.services, school.homework.services, school.attendance.services):
a mark is within its gradebook's scale, set by the teacher of the class × subject,
with a MarkChange history row; a reviewed submission links its homework mark.
"""

import datetime
import random
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, OuterRef

from school.demo_plan import SCHOOLS, demo_city_plan, school_year
from school.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    ClassGroup,
    Enrolment,
    Gradebook,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    MarkChange,
    Subject,
    Submission,
    SubmissionStatus,
    TeachingAssignment,
    Term,
    TermMark,
    User,
    WeeklySlot,
    WorkType,
)
from school.models.journal import Scale

SEED = "demo-journal"
WEEK = datetime.timedelta(days=7)
SHOWCASE_PARENT = "parent of children in two schools"

# Chances of a 2, 3, 4, 5 for the three kinds of pupil a class has.
ABILITIES = (
    (0.3, (1, 6, 33, 60)),  # strong
    (0.5, (3, 17, 48, 32)),  # good
    (0.2, (8, 38, 40, 14)),  # struggling
)
# A test or an independent work marks the whole class; otherwise a few are asked.
CONTROL_CHANCE = 0.08
TEST_SHARE = 0.35
CLASSWORK_PER_WEEK = 0.6  # marks a pupil gets per subject a week from classwork
REVIEWED_PER_WEEK = 0.3  # and from reviewed homework
ORAL_SHARE = 0.25
COMMENT_CHANCE = 0.06
# Attendance: a week with a cold (1–3 days away), a skipped lesson, a late arrival.
ILL_WEEK_CHANCE = 0.1
CERTIFICATE_CHANCE = 0.6
SKIP_CHANCE = 0.01
LATE_CHANCE = 0.02
HOMEWORK_CHANCE = 0.8
LIGHT_SUBJECTS = {"music", "physical-education"}  # homework there is rare
LIGHT_HOMEWORK_CHANCE = 0.1

COMMENTS = {
    5: ("Отличный ответ у доски", "Молодец!", "Безупречное оформление"),
    4: ("Есть небольшие недочёты", "Хороший ответ, но неполный"),
    3: ("Повторить правило", "Работа выполнена не полностью", "Много исправлений"),
    2: ("Работа не выполнена", "Нужно пересдать", "Тема не усвоена"),
}
REVIEW_COMMENTS = (
    "Хорошо, но есть помарки.",
    "Отлично!",
    "Исправь ошибки во втором задании.",
    "Аккуратнее с оформлением.",
)
ANSWERS = (
    "Всё выполнено, проверьте, пожалуйста.",
    "Ответы: 1) {a}; 2) {b}; 3) {c}.",
    "Сделано. Последнее задание не получилось — разберём на уроке?",
    "Работа в тетради, ответы переписал(а) сюда: {a}, {b}, {c}.",
)
LATE_NOTE = "Опоздание на {minutes} минут"
CERTIFICATE_NOTE = "Справка от врача"
NOTICE_REASON = "Плановый приём у врача"
TASKS = {
    "mathematics": (
        "Учебник, с. {p}, № {a}, {b}, {c}.",
        "Решить задачи № {a} и {b}; повторить правило на с. {p}.",
        "Рабочая тетрадь: с. {p}, упражнения {x}–{y}.",
    ),
    "russian-language": (
        "Упр. {a}: списать, вставить пропущенные буквы, обозначить орфограммы.",
        "Выучить правило на с. {p}; упр. {a}.",
        "Словарные слова на с. {p} — выучить к диктанту.",
    ),
    "literature": (
        "Прочитать с. {p}–{q}, письменно ответить на вопросы 1–4.",
        "Выучить наизусть стихотворение на с. {p}.",
        "Подготовить пересказ прочитанной главы близко к тексту.",
    ),
    "english-language": (
        "Student's Book p. {p}, ex. {x}; выучить новые слова.",
        "Workbook p. {p}, ex. {x}–{y}.",
        "Рассказ о своей семье на английском (8–10 предложений).",
    ),
    "world-around": (
        "Прочитать с. {p}–{q}, ответить на вопросы в конце темы.",
        "Рабочая тетрадь, с. {p}, задания 1–3.",
    ),
    "history": (
        "§ {s}, ответить на вопросы 1–3 после параграфа.",
        "§ {s}: составить хронологическую таблицу.",
        "§ {s}, работа с картой на с. {p}.",
    ),
    "geography": (
        "§ {s}; обозначить на контурной карте объекты со с. {p}.",
        "§ {s}, вопросы 1–4 устно.",
    ),
    "biology": ("§ {s}, зарисовать схему в тетрадь.", "§ {s}, вопросы 1–5 устно."),
    "physics": ("§ {s}, упр. {x} (задачи 1–3).", "§ {s}: выучить формулы, с. {p}."),
    "chemistry": (
        "§ {s}, упр. {x}; составить уравнения реакций.",
        "§ {s}, вопросы 1–4 письменно.",
    ),
    "computer-science": (
        "§ {s}: составить алгоритм к заданию {x}.",
        "§ {s}, практическая работа № {x}.",
    ),
    "music": ("Послушать произведение с урока и записать свои впечатления.",),
    "physical-education": ("Комплекс утренней зарядки — выполнять каждый день.",),
}
DEFAULT_TASKS = ("§ {s}, вопросы после параграфа.",)


def _rng(*parts) -> random.Random:
    # Reproducible on purpose: the same entity always draws the same journal.
    return random.Random("/".join(map(str, (SEED, *parts))))  # nosec B311  # noqa: S311 - demo data


class _Lesson(NamedTuple):
    pk: int
    class_id: int
    subject_id: int
    term_id: int
    date: datetime.date
    slot_id: int
    teacher_id: int
    substitute_id: int | None

    @property
    def key(self) -> str:
        return f"{self.class_id}/{self.subject_id}/{self.date}/{self.slot_id}"

    @property
    def given_by(self) -> int:
        return self.substitute_id or self.teacher_id


LESSON_FIELDS = (
    "pk",
    "class_group_id",
    "subject_id",
    "term_id",
    "date",
    "slot_id",
    "teacher_id",
    "substitute_id",
)


def _lessons(queryset) -> list[_Lesson]:
    rows = queryset.order_by("date", "slot__number", "pk").values_list(*LESSON_FIELDS)
    return [_Lesson(*row) for row in rows]


@dataclass
class _City:
    """What every part of the seed looks up, loaded once."""

    today: datetime.date
    classes: list[ClassGroup]
    current_terms: dict[int, Term]  # academic year id → its term under way
    past_terms: list[Term]
    year_ends: dict[int, datetime.date]  # class id → last day of its year
    teachers: dict[tuple[int, int], list[int]]  # (class, subject) → assignment's
    hours: dict[tuple[int, int], int]  # lessons a week
    codes: dict[int, str]
    work_types: dict[str, int]
    enrolments: dict[int, list[tuple[int, datetime.date, datetime.date | None]]]
    showcase_parent: User | None
    showcase_pupils: list[int]
    scales: dict[tuple[int, int, int], str] = field(default_factory=dict)
    abilities: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def pupils_on(self, class_id: int, day: datetime.date) -> list[int]:
        return [
            pupil
            for pupil, starts, ends in self.enrolments[class_id]
            if starts <= day and (ends is None or ends >= day)
        ]

    def marker(self, lesson: _Lesson) -> int | None:
        """The teacher who keeps the lesson's gradebook, as mark_set requires."""
        teachers = self.teachers.get((lesson.class_id, lesson.subject_id), [])
        if lesson.teacher_id in teachers:
            return lesson.teacher_id
        return teachers[0] if teachers else None

    def ability(self, pupil: int) -> tuple[int, ...]:
        if pupil not in self.abilities:
            rng = _rng("pupil", pupil)
            shares = [share for share, _ in ABILITIES]
            self.abilities[pupil] = rng.choices(ABILITIES, shares)[0][1]
        return self.abilities[pupil]

    def value(self, rng: random.Random, pupil: int) -> int:
        return rng.choices((2, 3, 4, 5), self.ability(pupil))[0]


def _city_load(today: datetime.date) -> _City | None:
    classes = list(
        ClassGroup.objects.filter(
            school__external_id__in=[spec.external_id for spec in SCHOOLS],
            academic_year__name=school_year(today)[0],
        ).select_related("academic_year")
    )
    if not classes:
        return None
    years = {c.academic_year_id: c.academic_year for c in classes}
    terms = Term.objects.filter(academic_year_id__in=years, starts_on__lte=today)
    current: dict[int, Term] = {}
    for term in terms.order_by("starts_on"):
        current[term.academic_year_id] = term
    past = [t for t in terms if t.ends_on < today and t not in current.values()]
    pairs = TeachingAssignment.objects.filter(class_group__in=classes).order_by("pk")
    teachers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for class_id, subject_id, teacher_id in pairs.values_list(
        "class_group_id", "subject_id", "teacher_id"
    ):
        teachers[(class_id, subject_id)].append(teacher_id)
    hours: dict[tuple[int, int], int] = defaultdict(int)
    for pair in WeeklySlot.objects.filter(class_group__in=classes).values_list(
        "class_group_id", "subject_id"
    ):
        hours[pair] += 1
    parent, children = _showcase_family()
    return _City(
        today=today,
        classes=classes,
        current_terms=current,
        past_terms=past,
        year_ends={c.pk: c.academic_year.ends_on for c in classes},
        teachers=dict(teachers),
        hours=dict(hours),
        codes=dict(Subject.objects.values_list("pk", "code")),
        work_types=dict(WorkType.objects.values_list("code", "pk")),
        enrolments=_enrolments(classes),
        showcase_parent=parent,
        showcase_pupils=children,
    )


def _enrolments(classes: list[ClassGroup]) -> dict[int, list]:
    spans: dict[int, list] = defaultdict(list)
    rows = Enrolment.objects.filter(class_group__in=classes).order_by("pupil_id", "pk")
    for class_id, *span in rows.values_list(
        "class_group_id", "pupil_id", "starts_on", "ends_on"
    ):
        spans[class_id].append(tuple(span))
    return spans


def _showcase_family() -> tuple[User | None, list[int]]:
    """The parent with children in two schools, whom seed_demo prints."""
    plan = demo_city_plan()
    username = plan.people[plan.showcase[SHOWCASE_PARENT]].username
    parent = User.objects.filter(username=username).first()
    if parent is None:
        return None, []
    children = parent.guardianships.order_by("pupil_id").values_list("pupil_id")
    return parent, [pupil for (pupil,) in children]


@transaction.atomic
def demo_journal_seed(*, today: datetime.date) -> int:
    """Adds the journal of the current term's past lessons to the demo city.

    Returns how many rows were written (0 when everything was there already).
    """
    city = _city_load(today)
    if city is None or not city.current_terms:
        return 0
    written = _gradebooks_ensure(city)
    written += _notice_ensure(city)
    past = _lessons_to_fill(city)
    written += _register_write(city, past)
    written += _homework_write(city, past)
    written += _submissions_write(city)
    written += _term_marks_write(city)
    return written


def _gradebooks_ensure(city: _City) -> int:
    """A gradebook for each class × subject of the current and the ended terms;
    their scales decide the values written."""
    terms = [*city.current_terms.values(), *city.past_terms]
    held = Gradebook.objects.filter(class_group__in=city.classes, term__in=terms)
    city.scales = {
        (g.class_group_id, g.subject_id, g.term_id): g.scale for g in held.all()
    }
    new = [
        Gradebook(class_group_id=class_id, subject_id=subject_id, term_id=term.pk)
        for class_group in city.classes
        for term in terms
        if term.academic_year_id == class_group.academic_year_id
        for (class_id, subject_id) in city.teachers
        if class_id == class_group.pk
        and (class_id, subject_id, term.pk) not in city.scales
    ]
    Gradebook.objects.bulk_create(new)
    for gradebook in new:
        key = (gradebook.class_group_id, gradebook.subject_id, gradebook.term_id)
        city.scales[key] = gradebook.scale
    return len(new)


def _in_scale(scale: str, five_point: int, rng: random.Random) -> int:
    """A 5-point mark told on the gradebook's scale."""
    if scale == Scale.HUNDRED_POINT:
        low, high = {5: (85, 100), 4: (70, 84), 3: (50, 69), 2: (20, 49)}[five_point]
        return rng.randint(low, high)
    if scale == Scale.PASS_FAIL:
        return int(five_point >= 3)
    return five_point


def _week(day: datetime.date) -> tuple[int, int]:
    return day.isocalendar()[:2]


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _notice_ensure(city: _City) -> int:
    """A parent's notice that a child will miss a day soon, unless one is pending."""
    if city.showcase_parent is None or not city.showcase_pupils:
        return 0
    pupil = city.showcase_pupils[-1]
    if AbsenceNotice.objects.filter(pupil_id=pupil, ends_on__gte=city.today).exists():
        return 0
    class_ids = [
        class_id
        for class_id in city.enrolments
        if pupil in city.pupils_on(class_id, city.today)
    ]
    day = (
        Lesson.objects.filter(
            class_group_id__in=class_ids,
            date__gte=city.today + datetime.timedelta(days=2),
            status=LessonStatus.SCHEDULED,
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    if day is None:
        return 0
    AbsenceNotice.objects.create(
        pupil_id=pupil,
        announced_by=city.showcase_parent,
        starts_on=day,
        ends_on=day,
        reason=NOTICE_REASON,
    )
    return 1


def _lessons_to_fill(city: _City) -> list[_Lesson]:
    """Held lessons of the current term before today that have no marks yet."""
    lessons = Lesson.objects.filter(
        class_group__in=city.classes,
        term__in=city.current_terms.values(),
        date__lt=city.today,
        status=LessonStatus.SCHEDULED,
    ).exclude(Exists(Mark.objects.filter(lesson=OuterRef("pk"))))
    return _lessons(lessons)


def _having(model, lessons: list[_Lesson]) -> set[int]:
    """Which of the lessons already have rows of `model` (someone wrote them)."""
    ids = [lesson.pk for lesson in lessons]
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = model.objects.filter(lesson_id__in=ids[start : start + 500])
        found.update(chunk.values_list("lesson_id", flat=True).distinct())
    return found


class _Register:
    """Marks and attendance drawn for lessons, written in a few bulk inserts."""

    def __init__(self, city: _City) -> None:
        self.city = city
        self.marks: dict[tuple[int, int, int], Mark] = {}
        self.attendance: dict[tuple[int, int], Attendance] = {}
        self.away: set[tuple[int, int]] = set()
        self.ill: dict[tuple, tuple[set[int], bool]] = {}
        self.notices = _notice_spans(city)

    def fill(self, lesson: _Lesson, *, register: bool) -> None:
        city = self.city
        rng = _rng("lesson", lesson.key)
        hours = city.hours.get((lesson.class_id, lesson.subject_id), 2)
        control = None
        if rng.random() < CONTROL_CHANCE and city.codes[lesson.subject_id] not in (
            LIGHT_SUBJECTS
        ):
            control = "test" if rng.random() < TEST_SHARE else "independent"
        chance = min(0.7, CLASSWORK_PER_WEEK / hours)
        came = []
        for pupil in city.pupils_on(lesson.class_id, lesson.date):
            status, note = self._status(lesson, pupil, rng)
            mark_roll, type_roll, comment_roll = (
                rng.random(),
                rng.random(),
                rng.random(),
            )
            value = city.value(rng, pupil)
            if status and register:
                self._attend(lesson, pupil, status, note)
            if status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
                self.away.add((lesson.pk, pupil))
                continue
            came.append(pupil)
            work = control if control and mark_roll < 0.95 else None
            if not control and mark_roll < chance:
                work = "oral" if type_roll < ORAL_SHARE else "classwork"
            if work:
                comment = ""
                if comment_roll < COMMENT_CHANCE:
                    options = COMMENTS[value]
                    comment = options[int(comment_roll * 1000) % len(options)]
                self._mark(lesson, pupil, work, value, comment, rng)
        # Someone is always asked: a lesson with marks counts as filled, so a
        # later run leaves it (and whatever its teacher changed) alone.
        if came and not self._has([lesson], came, "mark"):
            pupil = rng.choice(came)
            self._mark(lesson, pupil, "oral", city.value(rng, pupil), "", rng)

    def _status(self, lesson: _Lesson, pupil: int, rng: random.Random) -> tuple:
        skip_roll, late_roll = rng.random(), rng.random()
        if any(s <= lesson.date <= e for s, e in self.notices.get(pupil, ())):
            return AttendanceStatus.ABSENT, ""  # shown as excused: a parent told
        ill_days, certificate = self._ill(pupil, lesson.date)
        if lesson.date.isoweekday() in ill_days:
            if certificate:
                return AttendanceStatus.EXCUSED, CERTIFICATE_NOTE
            return AttendanceStatus.ABSENT, ""
        if skip_roll < SKIP_CHANCE:
            return AttendanceStatus.ABSENT, ""
        if late_roll < LATE_CHANCE:
            minutes = 5 + int(late_roll * 1000) % 4 * 5
            return AttendanceStatus.LATE, LATE_NOTE.format(minutes=minutes)
        return None, ""

    def _ill(self, pupil: int, day: datetime.date) -> tuple[set[int], bool]:
        """The weekdays a pupil is away with a cold that week, and if excused."""
        key = (pupil, *_week(day))
        if key not in self.ill:
            rng = _rng("ill", *key)
            days: set[int] = set()
            if rng.random() < ILL_WEEK_CHANCE:
                first = rng.randint(1, 5)
                days = set(range(first, min(first + rng.randint(1, 3), 6)))
            self.ill[key] = (days, rng.random() < CERTIFICATE_CHANCE)
        return self.ill[key]

    def _attend(self, lesson: _Lesson, pupil: int, status: str, note: str) -> None:
        self.attendance[(lesson.pk, pupil)] = Attendance(
            lesson_id=lesson.pk,
            pupil_id=pupil,
            status=status,
            note=note,
            recorded_by_id=lesson.given_by,
        )

    def _mark(self, lesson, pupil, work, value, comment, rng) -> None:
        teacher = self.city.marker(lesson)
        scale = self.city.scales.get(
            (lesson.class_id, lesson.subject_id, lesson.term_id)
        )
        if teacher is None or scale is None:
            return
        work_type = self.city.work_types[work]
        self.marks[(lesson.pk, pupil, work_type)] = Mark(
            lesson_id=lesson.pk,
            pupil_id=pupil,
            work_type_id=work_type,
            scale=scale,
            value=_in_scale(scale, value, rng),
            comment=comment,
            created_by_id=teacher,
        )

    def showcase_ensure(self, lessons: list[_Lesson], registered: set[int]) -> None:
        """Every week of the showcased children has a mark and an attendance note,
        so their parent's diary is never blank for a week that was taught."""
        for pupil in self.city.showcase_pupils:
            marked, noted = _weeks_with_rows(pupil)
            weeks: dict[tuple, list[_Lesson]] = defaultdict(list)
            for lesson in lessons:
                if pupil in self.city.pupils_on(lesson.class_id, lesson.date):
                    weeks[_week(lesson.date)].append(lesson)
            for week, held in weeks.items():
                rng = _rng("showcase", pupil, *week)
                came = [x for x in held if (x.pk, pupil) not in self.away]
                if came and week not in noted and not self._has(held, pupil, "att"):
                    late = [x for x in came if x.pk in registered] or [None]
                    if late[0] is not None:
                        self._attend(rng.choice(late), pupil, "late", "")
                if came and week not in marked and not self._has(held, pupil, "mark"):
                    value = self.city.value(rng, pupil)
                    self._mark(rng.choice(came), pupil, "classwork", value, "", rng)

    def _has(self, lessons: list[_Lesson], pupils, kind: str) -> bool:
        ids = {lesson.pk for lesson in lessons}
        pupils = {pupils} if isinstance(pupils, int) else set(pupils)
        rows = self.attendance if kind == "att" else self.marks
        return any(key[0] in ids and key[1] in pupils for key in rows)

    def write(self) -> int:
        marks = Mark.objects.bulk_create(self.marks.values(), batch_size=500)
        changes = [
            MarkChange(
                mark=mark,
                lesson_id=mark.lesson_id,
                pupil_id=mark.pupil_id,
                work_type_id=mark.work_type_id,
                new_value=mark.value,
                new_comment=mark.comment,
                changed_by_id=mark.created_by_id,
            )
            for mark in marks
        ]
        MarkChange.objects.bulk_create(changes, batch_size=500)
        Attendance.objects.bulk_create(self.attendance.values(), batch_size=500)
        return len(marks) + len(changes) + len(self.attendance)


def _notice_spans(city: _City) -> dict[int, list[tuple]]:
    spans: dict[int, list[tuple]] = defaultdict(list)
    notices = AbsenceNotice.objects.filter(
        pupil__enrolments__class_group__in=city.classes, starts_on__lt=city.today
    ).distinct()
    for pupil, starts, ends in notices.values_list("pupil_id", "starts_on", "ends_on"):
        spans[pupil].append((starts, ends))
    return spans


def _weeks_with_rows(pupil: int) -> tuple[set, set]:
    marked = Mark.objects.filter(pupil_id=pupil).values_list("lesson__date", flat=True)
    noted = Attendance.objects.filter(pupil_id=pupil).values_list(
        "lesson__date", flat=True
    )
    return {_week(day) for day in marked}, {_week(day) for day in noted}


def _register_write(city: _City, lessons: list[_Lesson]) -> int:
    registered = {lesson.pk for lesson in lessons} - _having(Attendance, lessons)
    register = _Register(city)
    for lesson in lessons:
        register.fill(lesson, register=lesson.pk in registered)
    register.showcase_ensure(lessons, registered)
    return register.write()


def _task(city: _City, lesson: _Lesson) -> str | None:
    """The homework the demo sets at a lesson, or None; always the same for it,
    which is how a later run recognises the demo's own homework."""
    code = city.codes[lesson.subject_id]
    rng = _rng("homework", lesson.key)
    chance = LIGHT_HOMEWORK_CHANCE if code in LIGHT_SUBJECTS else HOMEWORK_CHANCE
    if rng.random() >= chance:
        return None
    template = rng.choice(TASKS.get(code, DEFAULT_TASKS))
    page, exercise = rng.randint(12, 180), rng.randint(1, 8)
    a, b, c = sorted(rng.sample(range(40, 600), 3))
    return template.format(
        p=page,
        q=page + rng.randint(4, 12),
        a=a,
        b=b,
        c=c,
        x=exercise,
        y=exercise + rng.randint(1, 4),
        s=rng.randint(3, 25),
    )


def _lesson_dates(city: _City) -> dict[tuple[int, int], list[datetime.date]]:
    dates: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    rows = Lesson.objects.filter(
        class_group__in=city.classes, status=LessonStatus.SCHEDULED
    ).order_by("date")
    for class_id, subject_id, day in rows.values_list(
        "class_group_id", "subject_id", "date"
    ):
        dates[(class_id, subject_id)].append(day)
    return dates


def _homework_write(city: _City, past: list[_Lesson]) -> int:
    """Homework at most filled lessons and at the lessons up to the end of next
    week, due at the subject's next lesson."""
    last = _week_start(city.today) + datetime.timedelta(days=13)
    upcoming = _lessons(
        Lesson.objects.filter(
            class_group__in=city.classes,
            date__gte=city.today,
            date__lte=last,
            status=LessonStatus.SCHEDULED,
        )
    )
    lessons = [*past, *upcoming]
    given = _having(Homework, lessons)
    dates = _lesson_dates(city)
    new = []
    for lesson in lessons:
        text = None if lesson.pk in given else _task(city, lesson)
        if text is None:
            continue
        following = dates[(lesson.class_id, lesson.subject_id)]
        after = bisect_right(following, lesson.date)
        due = following[after] if after < len(following) else lesson.date + WEEK
        due = max(lesson.date, min(due, city.year_ends[lesson.class_id]))
        new.append(
            Homework(
                lesson_id=lesson.pk,
                due_date=due,
                text=text,
                created_by_id=lesson.given_by,
            )
        )
    Homework.objects.bulk_create(new, batch_size=500)
    return len(new)


def _submissions_write(city: _City) -> int:
    """Answers to the demo's homework that is due: done, sent, or reviewed with a
    mark. Homework a teacher set themselves is left to their pupils."""
    due = (
        Homework.objects.filter(
            lesson__class_group__in=city.classes,
            lesson__status=LessonStatus.SCHEDULED,
            due_date__lt=city.today,
        )
        .exclude(Exists(Submission.objects.filter(homework=OuterRef("pk"))))
        .order_by("pk")
    )
    homework = list(due.values_list("pk", "lesson_id", "text"))
    lessons = {
        lesson.pk: lesson
        for lesson in _lessons(Lesson.objects.filter(pk__in=due.values("lesson_id")))
    }
    answers = _Answers(city, lessons.values())
    for pk, lesson_id, text in homework:
        lesson = lessons[lesson_id]
        if text == _task(city, lesson):
            answers.fill(pk, lesson)
    return answers.write()


class _Answers:
    """Pupils' submissions, and the homework marks of the reviewed ones."""

    def __init__(self, city: _City, lessons) -> None:
        self.city = city
        self.submissions: list[Submission] = []
        self.marks: list[Mark] = []  # parallel to the reviewed submissions
        self.reviewed: list[Submission] = []
        work_type = city.work_types["homework"]
        self.work_type = work_type
        ids = [lesson.pk for lesson in lessons]
        marked = Mark.objects.filter(lesson_id__in=ids, work_type_id=work_type)
        # No mark lands in a cell that says the pupil was away.
        away = Attendance.objects.filter(
            lesson_id__in=ids,
            status__in=[AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED],
        )
        self.taken = set(marked.values_list("lesson_id", "pupil_id"))
        self.taken |= set(away.values_list("lesson_id", "pupil_id"))

    def fill(self, homework: int, lesson: _Lesson) -> None:
        city = self.city
        rng = _rng("answers", lesson.key)
        hours = city.hours.get((lesson.class_id, lesson.subject_id), 2)
        review = min(0.4, REVIEWED_PER_WEEK / hours)
        now = set(city.pupils_on(lesson.class_id, city.today))
        for pupil in city.pupils_on(lesson.class_id, lesson.date):
            roll, text_roll = rng.random(), rng.random()
            value = city.value(rng, pupil)
            answer = _answer(rng)
            if pupil not in now:
                continue
            row = Submission(homework_id=homework, pupil_id=pupil, text=answer)
            if roll < review and self._review(row, lesson, value, text_roll, rng):
                continue
            if roll < review + 0.45:
                row.status, row.text = SubmissionStatus.DONE, ""
            elif roll < review + 0.6:
                row.status = SubmissionStatus.SUBMITTED
            else:
                continue
            self.submissions.append(row)

    def _review(self, row, lesson: _Lesson, value: int, roll: float, rng) -> bool:
        teacher = self.city.marker(lesson)
        key = (lesson.class_id, lesson.subject_id, lesson.term_id)
        scale = self.city.scales.get(key)
        if teacher is None or scale is None or (lesson.pk, row.pupil_id) in self.taken:
            return False
        self.taken.add((lesson.pk, row.pupil_id))
        row.status = SubmissionStatus.REVIEWED
        if roll < 0.3:
            row.teacher_comment = REVIEW_COMMENTS[int(roll * 1000) % 4]
        self.reviewed.append(row)
        self.marks.append(
            Mark(
                lesson_id=lesson.pk,
                pupil_id=row.pupil_id,
                work_type_id=self.work_type,
                scale=scale,
                value=_in_scale(scale, value, rng),
                created_by_id=teacher,
            )
        )
        return True

    def write(self) -> int:
        marks = Mark.objects.bulk_create(self.marks, batch_size=500)
        MarkChange.objects.bulk_create(
            [
                MarkChange(
                    mark=mark,
                    lesson_id=mark.lesson_id,
                    pupil_id=mark.pupil_id,
                    work_type_id=mark.work_type_id,
                    new_value=mark.value,
                    changed_by_id=mark.created_by_id,
                )
                for mark in marks
            ],
            batch_size=500,
        )
        for row, mark in zip(self.reviewed, marks, strict=True):
            row.mark = mark
        rows = [*self.submissions, *self.reviewed]
        Submission.objects.bulk_create(rows, batch_size=500)
        return 2 * len(marks) + len(rows)


def _answer(rng: random.Random) -> str:
    template = rng.choice(ANSWERS)
    a, b, c = rng.randint(2, 99), rng.randint(2, 99), rng.randint(2, 99)
    return template.format(a=a, b=b, c=c)


def _term_marks_write(city: _City) -> int:
    """Final marks of the terms that ended, for class × subject pairs that have none.

    The demo holds no marks of those terms, so a mark is drawn around the pupil's
    usual level rather than averaged.
    """
    done = set(
        TermMark.objects.filter(term__in=city.past_terms).values_list(
            "class_group_id", "subject_id", "term_id"
        )
    )
    years = {c.pk: c.academic_year_id for c in city.classes}
    new: dict[tuple[int, int, int], TermMark] = {}
    for term in city.past_terms:
        for (class_id, subject_id), teachers in city.teachers.items():
            key = (class_id, subject_id, term.pk)
            if years[class_id] != term.academic_year_id or key in done:
                continue
            for pupil in _pupils_during(city, class_id, term):
                mark = _term_mark(city, key, pupil, teachers[0])
                new.setdefault((pupil, subject_id, term.pk), mark)
    TermMark.objects.bulk_create(new.values(), batch_size=500)
    return len(new)


def _term_mark(city: _City, key: tuple, pupil: int, teacher: int) -> TermMark:
    class_id, subject_id, term_id = key
    rng = _rng("term", pupil, subject_id, term_id)
    level = sum(city.value(rng, pupil) for _ in range(4)) / 4
    scale = city.scales[key]
    return TermMark(
        pupil_id=pupil,
        class_group_id=class_id,
        subject_id=subject_id,
        term_id=term_id,
        scale=scale,
        value=_in_scale(scale, int(level + 0.5), rng),
        set_by_id=teacher,
    )


def _pupils_during(city: _City, class_id: int, term: Term) -> list[int]:
    return [
        pupil
        for pupil, starts, ends in city.enrolments[class_id]
        if starts <= term.ends_on and (ends is None or ends >= term.starts_on)
    ]
