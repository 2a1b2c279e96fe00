"""The demo city as plain data: schools, classes, lessons, people and families.

`demo_city_plan()` draws everything from a fixed random seed, so every call describes
the same city; `school.demo_city` loads it into the database.
"""

import datetime
import math
import random
import uuid
from dataclasses import dataclass, field

from school.demo_names import (
    FEMALE_ADULT_NAMES,
    FEMALE_CHILD_NAMES,
    MALE_ADULT_NAMES,
    MALE_CHILD_NAMES,
    SURNAMES,
    feminine_surname,
    patronymic,
    transliterate,
)
from school.models import Role

ADMIN_USERNAME = "admin"
SEED = 20260901
SUB_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://demo.city.example/accounts")


@dataclass(frozen=True)
class SchoolSpec:
    external_id: str
    name: str
    short_name: str
    address: str
    classes: tuple[tuple[int, str], ...]


SCHOOLS = (
    SchoolSpec(
        "demo-school-101",
        "ГБОУ Школа № 101 города Демограда",
        "Школа № 101",
        "Демоград, Школьная улица, 1",
        ((5, "А"), (5, "Б"), (7, "А"), (9, "В")),
    ),
    SchoolSpec(
        "demo-school-202",
        "ГБОУ Лицей № 202 города Демограда",
        "Лицей № 202",
        "Демоград, Лицейский проезд, 2",
        ((3, "А"), (4, "А"), (6, "Б"), (8, "А"), (10, "А")),
    ),
)

SUBJECTS = {
    "mathematics": "Математика",
    "russian-language": "Русский язык",
    "literature": "Литература",
    "english-language": "Английский язык",
    "history": "История",
    "geography": "География",
    "biology": "Биология",
    "chemistry": "Химия",
    "physics": "Физика",
    "computer-science": "Информатика",
    "world-around": "Окружающий мир",
    "music": "Музыка",
    "physical-education": "Физическая культура",
}

PRIMARY, SECONDARY, ALL_GRADES = range(1, 5), range(5, 12), range(1, 12)
# What one teacher teaches: subjects that are commonly taught together, and the grades.
SPECIALTIES = (
    (("mathematics", "world-around"), PRIMARY),
    (("russian-language", "literature"), PRIMARY),
    (("mathematics",), SECONDARY),
    (("russian-language", "literature"), SECONDARY),
    (("english-language",), ALL_GRADES),
    (("history", "geography"), SECONDARY),
    (("biology", "chemistry"), SECONDARY),
    (("physics", "computer-science"), SECONDARY),
    (("music",), ALL_GRADES),
    (("physical-education",), ALL_GRADES),
)
MAX_CLASSES_PER_TEACHER = 3

# Quarters of the Russian school year: (name, first day, last day) as (month, day).
TERMS = (
    ("1 четверть", (9, 1), (10, 25)),
    ("2 четверть", (11, 5), (12, 28)),
    ("3 четверть", (1, 12), (3, 21)),
    ("4 четверть", (3, 30), (5, 26)),
)


def curriculum(grade: int) -> tuple[str, ...]:
    """Subject codes a class of this grade studies."""
    if grade in PRIMARY:
        return (
            "mathematics",
            "russian-language",
            "literature",
            "world-around",
            "english-language",
            "music",
            "physical-education",
        )
    codes = ["mathematics", "russian-language", "literature", "english-language"]
    codes += ["history", "geography", "biology", "physical-education"]
    if grade <= 6:
        codes.append("music")
    if grade >= 7:
        codes += ["physics", "computer-science"]
    if grade >= 8:
        codes.append("chemistry")
    return tuple(codes)


@dataclass
class Person:
    key: str
    female: bool
    surname: str  # the masculine form; last_name gives the person's own form
    first_name: str
    patronymic: str
    roles: list[str]
    schools: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    username: str = ""

    @property
    def last_name(self) -> str:
        return feminine_surname(self.surname) if self.female else self.surname

    @property
    def sub(self) -> str:
        return f"city-{uuid.uuid5(SUB_NAMESPACE, self.key)}"


@dataclass
class ClassPlan:
    school: str
    grade: int
    letter: str
    pupils: list[str] = field(default_factory=list)
    lessons: list[tuple[str, str]] = field(default_factory=list)  # (subject, teacher)
    homeroom: str = ""


@dataclass
class CityPlan:
    people: dict[str, Person]
    classes: list[ClassPlan]
    showcase: dict[str, str]  # what the account shows → its person key


def demo_city_plan() -> CityPlan:
    """The whole demo city, the same on every call."""
    rng = random.Random(SEED)  # nosec B311  # noqa: S311 - reproducible demo
    people: dict[str, Person] = {}
    classes = [
        ClassPlan(school=spec.external_id, grade=grade, letter=letter)
        for spec in SCHOOLS
        for grade, letter in spec.classes
    ]
    for spec in SCHOOLS:
        _plan_staff(
            rng, people, spec, [c for c in classes if c.school == spec.external_id]
        )
    methodologist = _adult(rng, "methodologist:1", Role.METHODOLOGIST)
    people[methodologist.key] = methodologist
    parent_teacher = _pick_parent_teacher(rng, people, classes)
    two_school_parents = _plan_families(rng, people, classes, parent_teacher)
    _assign_usernames(people.values())
    first_class = classes[0]
    return CityPlan(
        people=people,
        classes=classes,
        showcase={
            "pupil": first_class.pupils[0],
            "teacher": first_class.homeroom,
            "maths teacher of that pupil": next(
                teacher
                for code, teacher in first_class.lessons
                if code == "mathematics"
            ),
            "parent of that pupil": next(
                person.key
                for person in people.values()
                if first_class.pupils[0] in person.children
            ),
            "parent of children in two schools": two_school_parents[0],
            "parent who is also a teacher": parent_teacher,
            "school administrator": f"school_admin:{SCHOOLS[0].external_id}",
            "methodologist": methodologist.key,
        },
    )


def _adult(
    rng: random.Random,
    key: str,
    role: str,
    *,
    female: bool | None = None,
    surname: str = "",
    **kwargs,
) -> Person:
    if female is None:
        female = rng.random() < 0.5
    return Person(
        key=key,
        female=female,
        surname=surname or rng.choice(SURNAMES),
        first_name=rng.choice(FEMALE_ADULT_NAMES if female else MALE_ADULT_NAMES),
        patronymic=patronymic(rng.choice(MALE_ADULT_NAMES), female=female),
        roles=[role],
        **kwargs,
    )


def _plan_staff(
    rng: random.Random, people: dict, spec: SchoolSpec, classes: list[ClassPlan]
) -> None:
    """Teachers of one school, their lessons and homerooms, and its administrator."""
    school = spec.external_id
    teachers: list[str] = []
    for subjects, grades in SPECIALTIES:
        taught = [
            c
            for c in classes
            if c.grade in grades and set(subjects) & set(curriculum(c.grade))
        ]
        for group in _split(taught, MAX_CLASSES_PER_TEACHER):
            # Four teachers in five are women, as in Russian schools.
            teacher = _adult(
                rng,
                f"teacher:{school}:{len(teachers) + 1:02d}",
                Role.TEACHER,
                female=rng.random() < 0.8,
                schools=[school],
            )
            people[teacher.key] = teacher
            teachers.append(teacher.key)
            for class_plan in group:
                class_plan.lessons += [
                    (code, teacher.key)
                    for code in subjects
                    if code in curriculum(class_plan.grade)
                ]
    _plan_homerooms(rng, classes)
    admin = _adult(rng, f"school_admin:{school}", Role.SCHOOL_ADMIN, schools=[school])
    people[admin.key] = admin


def _split(items: list, size: int) -> list[list]:
    """Contiguous groups of at most `size`, as even as possible."""
    count = math.ceil(len(items) / size)
    groups, start = [], 0
    for index in range(count):
        length = len(items) // count + (index < len(items) % count)
        groups.append(items[start : start + length])
        start += length
    return groups


def _plan_homerooms(rng: random.Random, classes: list[ClassPlan]) -> None:
    taken: set[str] = set()
    for class_plan in classes:
        teachers = list(dict.fromkeys(teacher for _, teacher in class_plan.lessons))
        free = [teacher for teacher in teachers if teacher not in taken] or teachers
        # A primary class gets one of its primary-school teachers as homeroom teacher.
        pick = free[0] if class_plan.grade in PRIMARY else rng.choice(free)
        class_plan.homeroom = pick
        taken.add(pick)


def _pick_parent_teacher(
    rng: random.Random, people: dict, classes: list[ClassPlan]
) -> str:
    """A woman teaching in the first school (not the showcased teacher)."""
    candidates = [
        person.key
        for person in people.values()
        if Role.TEACHER in person.roles
        and person.female
        and person.schools == [SCHOOLS[0].external_id]
        and person.key != classes[0].homeroom
    ]
    return rng.choice(candidates)


@dataclass
class _Family:
    surname: str
    father: str  # the father's first name gives the children's patronymic
    seats: list[ClassPlan]
    parents: list[str] = field(default_factory=list)


def _plan_families(
    rng: random.Random, people: dict, classes: list[ClassPlan], parent_teacher: str
) -> list[str]:
    """Pupils and their parents; returns the parents with children in two schools."""
    families = _seat_families(rng, classes)
    teacher = people[parent_teacher]
    # The teacher is the mother of a pupil of the other school.
    families[-1].surname = teacher.surname
    families[-1].parents = [teacher.key]
    teacher.roles.append(Role.PARENT)
    for number, family in enumerate(families, start=1):
        if not family.parents:
            _plan_parents(rng, people, family, number)
        _plan_children(rng, people, family)
    return [
        family.parents[0]
        for family in families
        if len({seat.school for seat in family.seats}) > 1
    ]


def _seat_families(rng: random.Random, classes: list[ClassPlan]) -> list[_Family]:
    """Seats in classes grouped into families: some siblings, most only children.

    The last family is the parent teacher's: an only child in the second school.
    """
    seats: dict[str, list[ClassPlan]] = {spec.external_id: [] for spec in SCHOOLS}
    for class_plan in classes:
        seats[class_plan.school] += [class_plan] * (25 + rng.randint(0, 3))
    for school_seats in seats.values():
        rng.shuffle(school_seats)
    one, two = (seats[spec.external_id] for spec in SCHOOLS)
    groups = [[one.pop(), two.pop()] for _ in range(8)]  # siblings in two schools
    for school_seats in (one, two):
        for _ in range(3):  # siblings in two classes of one school
            first = school_seats.pop()
            other = next(s for s in reversed(school_seats) if s is not first)
            school_seats.remove(other)
            groups.append([first, other])
    teacher_child = [two.pop()]
    groups += [[seat] for seat in one + two] + [teacher_child]
    return [
        _Family(
            surname=rng.choice(SURNAMES),
            father=rng.choice(MALE_ADULT_NAMES),
            seats=group,
        )
        for group in groups
    ]


def _plan_parents(
    rng: random.Random, people: dict, family: _Family, number: int
) -> None:
    """One or two parent accounts; most families register only the mother."""
    draw = rng.random()
    kinds = ["mother", "father"] if draw < 0.35 else ["mother"]
    if draw > 0.85:
        kinds = ["father"]
    for kind in kinds:
        parent = _adult(
            rng,
            f"parent:{number:03d}:{kind}",
            Role.PARENT,
            female=kind == "mother",
            surname=family.surname,
        )
        if kind == "father":
            parent.first_name = family.father
        people[parent.key] = parent
        family.parents.append(parent.key)


def _plan_children(rng: random.Random, people: dict, family: _Family) -> None:
    for seat in family.seats:
        female = rng.random() < 0.5
        number = len(seat.pupils) + 1
        child = Person(
            key=f"pupil:{seat.school}:{seat.grade}{seat.letter}:{number:02d}",
            female=female,
            surname=family.surname,
            first_name=rng.choice(FEMALE_CHILD_NAMES if female else MALE_CHILD_NAMES),
            patronymic=patronymic(family.father, female=female),
            roles=[Role.PUPIL],
            schools=[seat.school],
        )
        people[child.key] = child
        seat.pupils.append(child.key)
        for parent in family.parents:
            people[parent].children.append(child.key)


def _assign_usernames(people) -> None:
    """Surname and initials in Latin letters: Смирнова Анна Петровна → smirnova.ap."""
    taken = {ADMIN_USERNAME}
    for person in people:
        names = (person.first_name, person.patronymic)
        initials = "".join(transliterate(name)[0] for name in names)
        base = f"{transliterate(person.last_name)}.{initials}"
        username, number = base, 1
        while username in taken:
            number += 1
            username = f"{base}{number}"
        taken.add(username)
        person.username = username


def demo_logins(plan: CityPlan) -> list[tuple[str, str]]:
    """(what the account shows, its login) for one account of each kind."""
    logins = [
        (label, plan.people[key].username) for label, key in plan.showcase.items()
    ]
    return [*logins, ("platform administrator", ADMIN_USERNAME)]


def school_year(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """(name, first day, last day) of the school year `today` falls in.

    The year runs to 30 June so that it covers the June exams; from July to August
    the year just finished is still the current one, as in the gradebooks.
    """
    start = today.year if today.month >= 9 else today.year - 1
    return (
        f"{start}/{start + 1}",
        datetime.date(start, 9, 1),
        datetime.date(start + 1, 6, 30),
    )


def term_day(start_year: int, month_day: tuple[int, int]) -> datetime.date:
    month, day = month_day
    return datetime.date(start_year if month >= 9 else start_year + 1, month, day)
