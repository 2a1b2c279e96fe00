"""Library pages for the library's tests: a small tree and lessons in it."""

from wagtail.models import Page

from lessons.models import (
    CoursePage,
    LessonPage,
    LibraryIndexPage,
    SubjectPage,
    UnitPage,
)

TEACHER_NOTE = "Спросите у доски тех, кто болел"
RIGHT_CHOICE = "Три восьмых"
WRONG_CHOICE = "Пять восьмых"
SHORT_ANSWER = "семь десятых"


def library_unit(subject, grade: int = 5, title: str = "Дроби") -> UnitPage:
    """A unit of the subject's course for the grade, making the tree as needed."""
    index = LibraryIndexPage.objects.first() or Page.get_first_root_node().add_child(
        instance=LibraryIndexPage(title="Библиотека уроков")
    )
    section = SubjectPage.objects.filter(subject=subject).first() or index.add_child(
        instance=SubjectPage(title=subject.name, subject=subject)
    )
    course = section.add_child(
        instance=CoursePage(title=f"{subject.name} {grade}", grade=grade)
    )
    return course.add_child(instance=UnitPage(title=title))


def full_body() -> list:
    """A body with everything a pupil must not see: notes and quiz answers."""
    return [
        ("heading", "Разминка"),
        ("paragraph", "<p>Какое число больше?</p>"),
        ("teacher_notes", f"<p>{TEACHER_NOTE}</p>"),
        (
            "quiz",
            {
                "title": "Проверь себя",
                "questions": [
                    {
                        "text": "Сколько будет 1/8 + 2/8?",
                        "kind": "choice",
                        "choices": [
                            {"text": RIGHT_CHOICE, "correct": True},
                            {"text": WRONG_CHOICE, "correct": False},
                        ],
                        "accepted_answers": [],
                        "time_limit": 30,
                    },
                    {
                        "text": "Запишите 0,7 словами",
                        "kind": "short",
                        "choices": [],
                        "accepted_answers": [SHORT_ANSWER],
                        "time_limit": 60,
                    },
                ],
            },
        ),
    ]


def lesson_page(unit: UnitPage, title: str, *, owner, live=True, tags=(), **fields):
    page = LessonPage(
        title=title,
        owner=owner,
        live=live,
        subject=fields.pop("subject", unit.get_parent().get_parent().specific.subject),
        grade=fields.pop("grade", unit.get_parent().specific.grade),
        objectives=fields.pop("objectives", "<p>Научиться решать задачи.</p>"),
        body=fields.pop("body", full_body()),
        **fields,
    )
    page.tags.add(*tags)
    return unit.add_child(instance=page)
