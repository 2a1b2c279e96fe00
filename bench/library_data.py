"""A citywide lesson library of any size, for the library benchmark and its tests.

Pages go in through treebeard's `add_child` (Wagtail's own write path: tree paths,
tags), in one transaction, so that what is measured is what the admin would have
written; the search index is then written in bulk, not page by page. Titles
repeat a handful of topics in different word forms ("дробь", "дроби",
"дробей") so that searching has something to stem.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from lessons.models import (
    CoursePage,
    LessonPage,
    LibraryIndexPage,
    SubjectPage,
    UnitPage,
)
from school.models import Role, Subject, User
from school.services import user_roles_set

TOPICS = {
    ("bench-mathematics", "Математика"): [
        "Обыкновенные дроби",
        "Сложение дробей",
        "Сравнение дробей",
        "Десятичная дробь",
        "Площадь прямоугольника",
        "Уравнения",
    ],
    ("bench-russian", "Русский язык"): [
        "Имя существительное",
        "Глаголы прошедшего времени",
        "Безударные гласные",
        "Сложное предложение",
    ],
    ("bench-science", "Окружающий мир"): [
        "Круговорот воды",
        "Растения леса",
        "Смена времён года",
        "Полезные ископаемые",
    ],
    ("bench-history", "История"): [
        "Древний Египет",
        "Крещение Руси",
        "Петровские реформы",
    ],
    ("bench-biology", "Биология"): [
        "Строение клетки",
        "Фотосинтез",
        "Царство грибов",
    ],
}
TAGS = ["функциональная грамотность", "устный счёт", "проект", "работа в парах"]


@dataclass
class LibrarySize:
    lessons: int = 10_000
    subjects: int = len(TOPICS)
    grades: tuple[int, ...] = tuple(range(1, 12))
    units_per_course: int = 4


@dataclass
class Library:
    index: LibraryIndexPage
    author: User
    subjects: list[Subject] = field(default_factory=list)
    lessons: int = 0


def _body(topic: str, number: int) -> list[tuple[str, object]]:
    question = {
        "text": f"Что изучали на уроке «{topic}»?",
        "kind": "choice",
        "choices": [
            {"text": topic, "correct": True},
            {"text": "Другое", "correct": False},
        ],
        "accepted_answers": [],
        "time_limit": 30,
    }
    return [
        ("heading", topic),
        ("paragraph", f"<p>Разбираем тему «{topic}», урок {number}.</p>"),
        ("quiz", {"title": "Проверь себя", "questions": [question]}),
        ("teacher_notes", "<p>Начните с повторения прошлого урока.</p>"),
    ]


def _index() -> LibraryIndexPage:
    index = LibraryIndexPage.objects.first()
    if index is None:
        root = Page.get_first_root_node()
        index = root.add_child(instance=LibraryIndexPage(title="Библиотека уроков"))
    return index


def _author() -> User:
    author, created = User.objects.get_or_create(
        username="bench-library-author",
        defaults={"first_name": "Анна", "last_name": "Методова"},
    )
    if created:
        user_roles_set(user=author, roles=[Role.TEACHER])
    return author


def _units(library: Library, size: LibrarySize):
    """Subject, grade and unit pages; yields (subject, grade, unit, topics)."""
    for (code, name), topics in itertools.islice(TOPICS.items(), size.subjects):
        subject, _ = Subject.objects.get_or_create(code=code, defaults={"name": name})
        library.subjects.append(subject)
        section = library.index.add_child(
            instance=SubjectPage(title=name, subject=subject, slug=code)
        )
        for grade in size.grades:
            course = section.add_child(
                instance=CoursePage(title=f"{name}, {grade} класс", grade=grade)
            )
            for number in range(1, size.units_per_course + 1):
                unit = course.add_child(instance=UnitPage(title=f"Раздел {number}"))
                yield subject, grade, unit, topics


def _lessons_add(library: Library, size: LibrarySize, progress) -> list[int]:
    units = list(_units(library, size))
    added = []
    for number in range(size.lessons):
        subject, grade, unit, topics = units[number % len(units)]
        topic = topics[(number // len(units)) % len(topics)]
        page = LessonPage(
            title=f"{topic} — урок {number + 1}",
            slug=f"lesson-{number + 1}",
            subject=subject,
            grade=grade,
            duration_minutes=45,
            objectives=f"<p>Понять тему «{topic}» и применить её в задачах.</p>",
            body=_body(topic, number + 1),
            owner=library.author,
        )
        page.tags.add(TAGS[number % len(TAGS)])
        added.append(unit.add_child(instance=page).pk)
        if progress and len(added) % 500 == 0:
            progress(len(added))
    return added


@transaction.atomic
def library_build(
    size: LibrarySize, progress: Callable[[int], None] | None = None
) -> Library:
    """Adds `size.lessons` live lesson pages spread evenly over the units."""
    library = Library(index=_index(), author=_author())
    # Indexing each page as it is saved costs more than saving it.
    post_save.disconnect(post_save_signal_handler, sender=LessonPage)
    try:
        added = _lessons_add(library, size, progress)
    finally:
        post_save.connect(post_save_signal_handler, sender=LessonPage)
    pages = LessonPage.objects.filter(pk__in=added).prefetch_related("tags")
    get_search_backend().add_bulk(LessonPage, list(pages))
    library.lessons = len(added)
    return library
