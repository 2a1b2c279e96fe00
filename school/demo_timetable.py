"""The demo city's timetable: bells, a weekly pattern per class, dated lessons.

`demo_timetable_seed()` runs after `demo_city_seed()`. It only adds what is missing
(bells, the pattern of a class that has none, lessons, topics of past lessons), so
a second run writes nothing and an administrator's changes are kept.
"""

import datetime
import random
from collections import defaultdict

from django.db import transaction

from school.demo_plan import SCHOOLS, school_year
from school.models import (
    ClassGroup,
    Lesson,
    LessonSlot,
    LessonStatus,
    School,
    Subject,
    TeachingAssignment,
    WeeklySlot,
)
from school.timetable.services import lessons_generate_for_term

# A Moscow school's bells: 45-minute lessons, longer breaks after the 2nd to 4th.
BELLS = (
    ((8, 30), (9, 15)),
    ((9, 25), (10, 10)),
    ((10, 25), (11, 10)),
    ((11, 30), (12, 15)),
    ((12, 35), (13, 20)),
    ((13, 30), (14, 15)),
    ((14, 25), (15, 10)),
    ((15, 20), (16, 5)),
)
SCHOOL_DAYS = 5
LESSONS_A_WEEK = (SCHOOL_DAYS * 5, SCHOOL_DAYS * 7)
MAX_A_WEEK = 5  # lessons of one subject; at most one a day
SEATING_ATTEMPTS = 50
HOURS = {
    "mathematics": 5,
    "russian-language": 4,
    "literature": 3,
    "english-language": 3,
    "world-around": 2,
    "history": 2,
    "geography": 2,
    "biology": 2,
    "physics": 2,
    "chemistry": 2,
    "physical-education": 3,
    "computer-science": 1,
    "music": 1,
}
ROOMS = {"physical-education": "Спортзал", "music": "Актовый зал"}
TOPICS = {
    "mathematics": (
        "Натуральные числа",
        "Сложение и вычитание",
        "Умножение и деление",
        "Обыкновенные дроби",
        "Десятичные дроби",
        "Проценты",
        "Уравнения",
        "Решение текстовых задач",
    ),
    "russian-language": (
        "Орфограммы в корне слова",
        "Части речи",
        "Словосочетание и предложение",
        "Знаки препинания",
        "Изложение",
        "Правописание приставок",
    ),
    "literature": (
        "Устное народное творчество",
        "Басни И. А. Крылова",
        "А. С. Пушкин. Стихотворения",
        "Сказки",
        "Рассказы о природе",
        "Внеклассное чтение",
    ),
    "english-language": (
        "Present Simple",
        "My family",
        "At school",
        "Past Simple",
        "Travelling",
        "Reading and vocabulary",
    ),
    "world-around": ("Природа родного края", "Вода и воздух", "Растения", "Животные"),
    "history": (
        "Древний Египет",
        "Древняя Греция",
        "Древний Рим",
        "Русь в IX–XII веках",
        "Работа с исторической картой",
    ),
    "geography": ("План и карта", "Литосфера", "Гидросфера", "Атмосфера"),
    "biology": ("Клетка", "Ткани", "Строение растений", "Многообразие организмов"),
    "physics": (
        "Строение вещества",
        "Механическое движение",
        "Сила",
        "Давление",
        "Работа и мощность",
    ),
    "chemistry": ("Вещества и их свойства", "Атомы и молекулы", "Химические реакции"),
    "computer-science": ("Информация", "Алгоритмы", "Программирование"),
    "music": ("Музыка и слово", "Народная песня", "Симфония"),
    "physical-education": ("Лёгкая атлетика", "Гимнастика", "Спортивные игры"),
}


@transaction.atomic
def demo_timetable_seed(*, today: datetime.date) -> int:
    """Adds the timetable to the demo city's classes of the school year of `today`.

    Returns how many rows were written (0 when everything was there already).
    """
    year_name = school_year(today)[0]
    schools = list(
        School.objects.filter(external_id__in=[spec.external_id for spec in SCHOOLS])
    )
    written = 0
    for school in schools:
        bells = _bells_ensure(school)
        written += bells.written
        classes = list(
            ClassGroup.objects.filter(
                school=school, academic_year__name=year_name
            ).select_related("academic_year")
        )
        written += _patterns_ensure(school, classes, bells.by_number)
        written += _lessons_ensure(classes)
        written += _topics_ensure(classes, today)
    return written


class _Bells:
    def __init__(self, by_number: dict[int, LessonSlot], written: int) -> None:
        self.by_number, self.written = by_number, written


def _bells_ensure(school: School) -> _Bells:
    held = {slot.number: slot for slot in LessonSlot.objects.filter(school=school)}
    new = [
        LessonSlot(
            school=school,
            number=number,
            starts_at=datetime.time(*starts),
            ends_at=datetime.time(*ends),
        )
        for number, (starts, ends) in enumerate(BELLS, start=1)
        if number not in held
    ]
    LessonSlot.objects.bulk_create(new)
    held = {slot.number: slot for slot in LessonSlot.objects.filter(school=school)}
    return _Bells(held, len(new))


def _weekly_hours(codes: list[str]) -> list[int]:
    """Lessons a week per assignment: the curriculum's, padded or trimmed so that
    each of the five days has five to seven lessons."""
    hours = [HOURS.get(code, 2) for code in codes]
    low, high = LESSONS_A_WEEK
    order = sorted(range(len(codes)), key=lambda i: (-hours[i], codes[i]))
    while sum(hours) < low and any(hours[i] < MAX_A_WEEK for i in order):
        hours[next(i for i in order if hours[i] < MAX_A_WEEK)] += 1
    while sum(hours) > high and any(hours[i] > 1 for i in order):
        hours[next(i for i in order if hours[i] > 1)] -= 1
    return hours


def _days_of(assignments: list[TeachingAssignment], codes: dict) -> list[list]:
    """Deals the week's lessons onto the days; a subject's lessons land on
    different days because they are dealt one after another."""
    names = [codes[a.subject_id] for a in assignments]
    hours = _weekly_hours(names)
    ranked = sorted(zip(assignments, hours, strict=True), key=lambda p: -p[1])
    lessons = [assignment for assignment, count in ranked for _ in range(count)]
    days: list[list] = [[] for _ in range(SCHOOL_DAYS)]
    for index, assignment in enumerate(lessons):
        days[index % SCHOOL_DAYS].append(assignment)
    return days


def _patterns_ensure(
    school: School, classes: list[ClassGroup], bells: dict[int, LessonSlot]
) -> int:
    """A weekly pattern for each class without one; no teacher in two places."""
    held = WeeklySlot.objects.filter(class_group__school=school).select_related("slot")
    busy = {(line.teacher_id, line.weekday, line.slot.number) for line in held}
    planned = set(held.values_list("class_group_id", flat=True))
    codes = dict(Subject.objects.values_list("pk", "code"))
    rooms = _teacher_rooms(school)
    new = []
    for class_group in classes:
        if class_group.pk in planned:
            continue
        assignments = list(
            TeachingAssignment.objects.filter(class_group=class_group).order_by(
                "subject__code", "teacher_id"
            )
        )
        rng = random.Random(f"{school.external_id}/{class_group.name}")  # nosec B311  # noqa: S311 - demo data
        for weekday, day in enumerate(_days_of(assignments, codes), start=1):
            for number, assignment in _seat(day, weekday, busy, rng):
                code = codes[assignment.subject_id]
                new.append(
                    WeeklySlot(
                        class_group=class_group,
                        weekday=weekday,
                        slot=bells[number],
                        subject_id=assignment.subject_id,
                        teacher_id=assignment.teacher_id,
                        room=ROOMS.get(code, rooms.get(assignment.teacher_id, "")),
                    )
                )
    WeeklySlot.objects.bulk_create(new)
    return len(new)


def _seat(day: list, weekday: int, busy: set, rng: random.Random) -> list[tuple]:
    """Periods 1, 2, … for the day's lessons, each to a teacher free then.

    Tries a few orders and keeps the one with the fewest clashes (a demo may
    keep a rare one rather than search for long).
    """
    best: list[tuple] = []
    best_clashes = len(day) + 1
    for _attempt in range(SEATING_ATTEMPTS):
        order = rng.sample(day, len(day))
        seated, clashes = _seat_greedily(order, weekday, busy)
        if clashes < best_clashes:
            best, best_clashes = seated, clashes
        if not clashes:
            break
    busy.update((a.teacher_id, weekday, number) for number, a in best)
    return best


def _seat_greedily(order: list, weekday: int, busy: set) -> tuple[list[tuple], int]:
    left, seated, clashes = list(order), [], 0
    for number in range(1, len(order) + 1):
        free = [a for a in left if (a.teacher_id, weekday, number) not in busy]
        assignment = (free or left)[0]
        clashes += not free
        left.remove(assignment)
        seated.append((number, assignment))
    return seated, clashes


def _teacher_rooms(school: School) -> dict[int, str]:
    teachers = sorted(
        set(
            TeachingAssignment.objects.filter(class_group__school=school).values_list(
                "teacher_id", flat=True
            )
        )
    )
    return {teacher: str(201 + index) for index, teacher in enumerate(teachers)}


def _lessons_ensure(classes: list[ClassGroup]) -> int:
    created = 0
    for class_group in classes:
        for term in class_group.academic_year.terms.all():
            created += lessons_generate_for_term(class_group=class_group, term=term)
    return created


def _topics_ensure(classes: list[ClassGroup], today: datetime.date) -> int:
    """Topics for the lessons already held, in order through each subject's list."""
    codes = dict(Subject.objects.values_list("pk", "code"))
    past = (
        Lesson.objects.filter(
            class_group__in=classes, date__lt=today, status=LessonStatus.SCHEDULED
        )
        .order_by("class_group_id", "subject_id", "date", "slot__number")
        .values_list("pk", "class_group_id", "subject_id", "topic")
    )
    seen: dict[tuple[int, int], int] = defaultdict(int)
    changed = []
    for pk, class_id, subject_id, topic in past:
        index = seen[(class_id, subject_id)]
        seen[(class_id, subject_id)] += 1
        topics = TOPICS.get(codes[subject_id])
        if topic or not topics:
            continue
        changed.append(Lesson(pk=pk, topic=topics[index % len(topics)]))
    Lesson.objects.bulk_update(changed, ["topic"], batch_size=500)
    return len(changed)
