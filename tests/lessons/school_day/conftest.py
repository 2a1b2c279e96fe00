"""A library lesson attached to a dated lesson of 5А, for the school-day tests.

Personas come from tests/conftest.py `city`: Алиса teaches mathematics in 5А,
Борис teaches 7Б in another school, Петя is in 5А (his parent Ольга), Вася is in
7Б (his parent Игорь), admin1/admin2 administer school one/two.
"""

import datetime

import pytest
from django.test import Client
from wagtail.models import Page

from lessons.models import (
    CoursePage,
    LessonPage,
    LessonPlan,
    LibraryIndexPage,
    SubjectPage,
    UnitPage,
)
from school.models import Lesson
from tests import factories

TEACHER_NOTE = "Заметка-для-учителя: спросить отстающих"
STARTER_TITLE = "Доска-стартер-страница"
HOMEWORK_TEXT = "Домашнее-задание: № 512, 513"
RIGHT_CHOICE = "Ответ-верный-три-восьмых"
ALSO_RIGHT = "Ответ-верный-0,375"
WRONG_CHOICE = "Ответ-неверный-пять-восьмых"
ACCEPTED = "Семь Десятых Ёлки"
QUIZ_ID = "quiz-one"
SECOND_QUIZ_ID = "quiz-two"
SUGGESTION_ID = "homework-one"


def choice_question(text: str = "Сколько будет 1/8 + 2/8?") -> dict:
    return {
        "text": text,
        "kind": "choice",
        "choices": [
            {"text": RIGHT_CHOICE, "correct": True},
            {"text": WRONG_CHOICE, "correct": False},
            {"text": ALSO_RIGHT, "correct": True},
        ],
        "accepted_answers": [],
        "time_limit": 30,
    }


def short_question() -> dict:
    return {
        "text": "Запишите 0,7 словами",
        "kind": "short",
        "choices": [],
        "accepted_answers": [ACCEPTED, "ноль целых семь десятых"],
        "time_limit": 60,
    }


def full_body() -> list[dict]:
    """Every kind of block a pupil must not see, and two quizzes."""
    return [
        {"type": "heading", "id": "h", "value": "Сравнение дробей"},
        {"type": "paragraph", "id": "p", "value": "<p>Какая дробь больше?</p>"},
        {"type": "teacher_notes", "id": "n", "value": f"<p>{TEACHER_NOTE}</p>"},
        {
            "type": "whiteboard_starter",
            "id": "w",
            "value": {"pages": [{"title": STARTER_TITLE, "background": None}]},
        },
        {
            "type": "quiz",
            "id": QUIZ_ID,
            "value": {
                "title": "Проверь себя",
                "questions": [choice_question(), short_question()],
            },
        },
        {
            "type": "quiz",
            "id": SECOND_QUIZ_ID,
            "value": {"title": "Ещё раз", "questions": [choice_question("Снова?")]},
        },
        {
            "type": "homework_suggestion",
            "id": SUGGESTION_ID,
            "value": {"text": HOMEWORK_TEXT, "due_in_days": 3},
        },
    ]


def library_unit(subject, grade: int) -> UnitPage:
    index = LibraryIndexPage.objects.first() or Page.get_first_root_node().add_child(
        instance=LibraryIndexPage(title="Библиотека уроков")
    )
    section = SubjectPage.objects.filter(subject=subject).first() or index.add_child(
        instance=SubjectPage(title=subject.name, subject=subject)
    )
    course = section.add_child(
        instance=CoursePage(title=f"{subject.name} {grade}", grade=grade)
    )
    return course.add_child(instance=UnitPage(title=f"Раздел {grade}"))


def library_lesson(
    subject,
    *,
    grade: int = 5,
    title: str = "Сравнение дробей",
    live: bool = True,
    body=None,
) -> LessonPage:
    page = LessonPage(
        title=title,
        live=live,
        subject=subject,
        grade=grade,
        objectives="<p>Научиться сравнивать дроби.</p>",
        body=full_body() if body is None else body,
    )
    return library_unit(subject, grade).add_child(instance=page)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


@pytest.fixture
def page(city) -> LessonPage:
    return library_lesson(city.maths)


@pytest.fixture
def lesson(city) -> Lesson:
    """Алиса's mathematics lesson in 5А, a week into the school year."""
    start = city.class_in.academic_year.starts_on
    return factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=start + datetime.timedelta(days=7),
    )


@pytest.fixture
def plan(city, lesson, page) -> LessonPlan:
    return LessonPlan.objects.create(lesson=lesson, page=page, attached_by=city.teacher)
