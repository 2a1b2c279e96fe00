"""The library's whole path in one scenario, through the real views.

Алиса writes a lesson with a quiz in the Wagtail admin and submits it; Мира,
methodologist of mathematics, approves it; Борис, a mathematics teacher in
another school, finds it by searching in Russian, copies it, attaches his copy
to Tuesday's lesson of his 5th grade; Вася opens it from his diary and practises
its quiz; Борис sees the result. Personas: tests/conftest.py `city`.
"""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Site, TaskState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lessons.models import (
    CoursePage,
    LessonPage,
    LessonPlan,
    LibraryIndexPage,
    MethodologistSubject,
    PracticeAttempt,
    SubjectPage,
    UnitPage,
)
from lessons.moderation_setup import library_moderation_setup
from school.models import Role, TeachingAssignment
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = "Сравнение дробей на пицце"
TEACHER_NOTE = "Заметка: спросить тех, кто болел"
RIGHT = "Три восьмых"
WRONG = "Пять восьмых"


def listed(items: list[dict]) -> dict:
    """A ListBlock's form data: count, then each item with its order."""
    rows = {
        str(n): {"deleted": "", "order": str(n), "id": "", "value": value}
        for n, value in enumerate(items)
    }
    return {"count": str(len(items)), **rows}


def lesson_form(unit_grade: int) -> dict:
    quiz = {
        "title": "Проверь себя",
        "questions": listed(
            [
                {
                    "text": "Сколько будет 1/8 + 2/8?",
                    "kind": "choice",
                    "choices": listed(
                        [{"text": RIGHT, "correct": "on"}, {"text": WRONG}]
                    ),
                    "accepted_answers": {"count": "0"},
                    "time_limit": "30",
                }
            ]
        ),
    }
    body = [
        ("heading", "Пицца"),
        ("paragraph", rich_text("<p>Какой кусок больше: три восьмых или пять?</p>")),
        ("teacher_notes", rich_text(f"<p>{TEACHER_NOTE}</p>")),
        ("quiz", quiz),
    ]
    return nested_form_data(
        {
            "title": TITLE,
            "slug": "pizza",
            "objectives": rich_text(
                "<p>Сравнивать дроби с одинаковыми знаменателями.</p>"
            ),
            "duration_minutes": "45",
            "grade": str(unit_grade),
            "subject": "",
            "tags": "дроби",
            "body": streamfield(body),
            "comments": {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            },
            "action-submit": "1",
        }
    )


def next_tuesday(after: datetime.date) -> datetime.date:
    return after + datetime.timedelta(days=(1 - after.weekday()) % 7 or 7)


@pytest.fixture
def unit(city) -> UnitPage:
    root = Site.objects.get(is_default_site=True).root_page
    index = root.add_child(instance=LibraryIndexPage(title="Библиотека уроков"))
    section = index.add_child(
        instance=SubjectPage(title="Математика", subject=city.maths)
    )
    course = section.add_child(instance=CoursePage(title="Математика 5", grade=5))
    library_moderation_setup(library=index)
    return course.add_child(instance=UnitPage(title="Дроби"))


def test_written_approved_found_copied_attached_and_practised(client, city, unit):
    mira = factories.UserFactory(username="mira", roles=[Role.METHODOLOGIST])
    MethodologistSubject.objects.create(user=mira, subject=city.maths)
    boris = city.other_teacher
    fifth = factories.ClassGroupFactory(
        academic_year=city.class_out.academic_year, grade=5, letter="В"
    )
    TeachingAssignment.objects.create(
        teacher=boris, class_group=fifth, subject=city.maths
    )
    vasya = factories.make_pupil(fifth, username="vasya5", first_name="Василий")
    tuesday = next_tuesday(fifth.academic_year.starts_on + datetime.timedelta(days=6))
    lesson = factories.make_lesson(fifth, city.maths, boris, date=tuesday)

    # Алиса writes the lesson in the admin and submits it for moderation.
    client.force_login(city.teacher)
    add = reverse("wagtailadmin_pages:add", args=("lessons", "lessonpage", unit.pk))
    response = client.post(add, lesson_form(5))
    assert response.status_code == 302, response.content[:3000]
    original = LessonPage.objects.get(title=TITLE)
    assert not original.live

    # Мира approves it: it is published in the library.
    client.force_login(mira)
    task = TaskState.objects.get(
        workflow_state__object_id=str(original.pk),
        status=TaskState.STATUS_IN_PROGRESS,
    )
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(original.pk, "approve", task.pk),
    )
    client.post(approve, {"comment": "Хороший урок."})
    original.refresh_from_db()
    assert original.live

    # Борис finds it by a Russian word; PostgreSQL stems "дробей" to "дроб".
    client.force_login(boris)
    word = "дробей" if connection.vendor == "postgresql" else "дроби"
    found = client.get(reverse("lessons:library"), {"q": word}).content.decode()
    assert TITLE in found

    # He copies it; the copy is his, unpublished, and points at its source.
    response = client.post(reverse("lessons:library_copy", args=[original.pk]))
    copy = LessonPage.objects.get(source=original)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert (copy.owner, copy.live) == (boris, False)

    # He attaches his copy to Tuesday's lesson from the lesson's plan page.
    plan_page = client.get(reverse("lessons:plan", args=[lesson.pk])).content.decode()
    assert copy.title in plan_page
    client.post(reverse("lessons:plan_attach", args=[lesson.pk]), {"page": copy.pk})
    plan = LessonPlan.objects.get(lesson=lesson)
    assert plan.page == copy

    # Вася opens it from his diary: no teacher notes, no answers in the page.
    client.force_login(vasya)
    diary = client.get(
        reverse("diary:week", args=[vasya.pk]), {"week": tuesday.isoformat()}
    ).content.decode()
    material = reverse("lessons:pupil_lesson", args=[copy.pk, lesson.pk])
    assert f'href="{material}"' in diary
    page_html = client.get(material).content.decode()
    assert "Какой кусок больше" in page_html
    assert TEACHER_NOTE not in page_html
    assert not re.search(r"correct|is_right|accepted", page_html)

    # He practises the quiz: the server scores it.
    quiz_id = next(b.id for b in copy.body if b.block_type == "quiz")
    submit = reverse("lessons:practice_submit", args=[copy.pk, lesson.pk, quiz_id])
    choices = [c["text"] for c in copy.body[3].value["questions"][0]["choices"]]
    scored = client.post(
        submit,
        {"answers": [[choices.index(RIGHT)]]},
        content_type="application/json",
    ).json()
    assert (scored["score"], scored["max_score"]) == (1, 1)
    assert PracticeAttempt.objects.filter(pupil=vasya, page=copy).count() == 1

    # Борис sees Вася's result for the class.
    client.force_login(boris)
    results = client.get(
        reverse("lessons:plan_results", args=[lesson.pk])
    ).content.decode()
    row = results.split(f'data-pupil="{vasya.pk}"')[1].split("</tr>")[0]
    assert '<span class="best">' in row and "1/1" in row
