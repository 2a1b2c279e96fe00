"""Authoring and moderation of library lessons in the Wagtail admin.

Personas (see tests/conftest.py `city`): alice and bob teach mathematics; Мира
moderates mathematics, Фёдор moderates physics; Петя is a pupil, Ольга a parent.
"""

import json
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Site, TaskState, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lessons.models import (
    CoursePage,
    LessonPage,
    LibraryIndexPage,
    MethodologistSubject,
    SubjectPage,
    UnitPage,
)
from lessons.moderation_setup import library_moderation_setup
from school.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@dataclass
class Library:
    unit: UnitPage
    methodologist: object
    physics_methodologist: object


@pytest.fixture
def library(city) -> Library:
    root = Site.objects.get(is_default_site=True).root_page
    index = root.add_child(instance=LibraryIndexPage(title="Библиотека уроков"))
    section = index.add_child(
        instance=SubjectPage(title="Математика", subject=city.maths)
    )
    course = section.add_child(instance=CoursePage(title="Математика 5", grade=5))
    unit = course.add_child(instance=UnitPage(title="Дроби"))
    library_moderation_setup(library=index)
    physics = factories.SubjectFactory(code="physics", name="Физика")
    mira = factories.UserFactory(username="mira", roles=[Role.METHODOLOGIST])
    fedor = factories.UserFactory(username="fedor", roles=[Role.METHODOLOGIST])
    MethodologistSubject.objects.create(user=mira, subject=city.maths)
    MethodologistSubject.objects.create(user=fedor, subject=physics)
    return Library(unit=unit, methodologist=mira, physics_methodologist=fedor)


def lesson_form(title: str, body: list, **fields) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": fields.pop("slug", "lesson"),
            "objectives": rich_text("<p>Сравнивать дроби.</p>"),
            "duration_minutes": "45",
            "grade": "5",
            "subject": "",
            "tags": "",
            "body": streamfield(body),
            "comments": {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            },
            **fields,
        }
    )


SIMPLE_BODY = [
    ("heading", "Сравнение дробей"),
    ("paragraph", rich_text("<p>Какая дробь больше?</p>")),
]


def add_lesson(client, user, unit, *, title="Сравнение дробей", body=SIMPLE_BODY):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=("lessons", "lessonpage", unit.pk))
    return client.post(url, lesson_form(title, body, **{"action-submit": "1"}))


def submitted_lesson(client, city, library) -> LessonPage:
    response = add_lesson(client, city.teacher, library.unit)
    assert response.status_code == 302, response.content[:2000]
    return LessonPage.objects.get(title="Сравнение дробей")


def act(client, user, page, action: str, comment: str = ""):
    client.force_login(user)
    state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk)
    )
    return client.post(url, {"comment": comment})


def test_teacher_submits_a_lesson_that_is_not_live(client, city, library):
    page = submitted_lesson(client, city, library)
    assert page.owner == city.teacher
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert [b.block_type for b in page.get_latest_revision_as_object().body] == [
        "heading",
        "paragraph",
    ]
    client.logout()
    assert client.get(page.url).status_code == 404


def test_methodologist_of_the_subject_sees_and_approves_with_a_comment(
    client, city, library
):
    page = submitted_lesson(client, city, library)
    client.force_login(library.methodologist)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert "Сравнение дробей" in dashboard.content.decode()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert editor.status_code == 200

    response = act(client, library.methodologist, page, "approve", "Хороший урок.")

    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    state = TaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert (state.status, state.comment) == ("approved", "Хороший урок.")
    assert page.live_revision == page.get_latest_revision()
    assert LessonPage.objects.live().filter(pk=page.pk).exists()


def test_rejected_lesson_stays_hidden_and_its_author_reads_why(client, city, library):
    page = submitted_lesson(client, city, library)

    act(client, library.methodologist, page, "reject", "Добавьте задачи на дом.")

    page.refresh_from_db()
    assert not page.live
    client.force_login(city.teacher)
    state = WorkflowState.objects.get(object_id=str(page.pk))
    history = client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=(page.pk, state.pk))
    )
    assert "Добавьте задачи на дом." in history.content.decode()


def test_methodologist_of_another_subject_cannot_approve(client, city, library):
    page = submitted_lesson(client, city, library)
    fedor = library.physics_methodologist
    client.logout()
    client.force_login(fedor)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert "Сравнение дробей" not in dashboard.content.decode()

    response = act(client, fedor, page, "approve")

    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_teacher_cannot_approve_or_publish_their_own_lesson(client, city, library):
    page = submitted_lesson(client, city, library)
    act(client, city.teacher, page, "approve")
    url = reverse(
        "wagtailadmin_pages:add", args=("lessons", "lessonpage", library.unit.pk)
    )
    client.post(
        url,
        lesson_form(
            "Второй урок", SIMPLE_BODY, slug="second", **{"action-publish": "1"}
        ),
    )

    page.refresh_from_db()
    assert not page.live
    assert not LessonPage.objects.filter(live=True).exists()


def test_another_teacher_cannot_edit_the_lesson(client, city, library):
    page = submitted_lesson(client, city, library)
    page.current_workflow_state.cancel(user=city.teacher)
    client.force_login(city.other_teacher)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))

    assert response.status_code in (302, 403)
    assert "Сравнение дробей" not in response.content.decode()


def test_author_edits_their_own_draft(client, city, library):
    page = submitted_lesson(client, city, library)
    page.current_workflow_state.cancel(user=city.teacher)
    client.force_login(city.teacher)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))

    assert response.status_code == 200


def test_teacher_cannot_add_library_sections(client, city, library):
    client.force_login(city.teacher)
    course = library.unit.get_parent()
    url = reverse("wagtailadmin_pages:add", args=("lessons", "unitpage", course.pk))

    response = client.get(url)

    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] != url
    client.post(url, {"title": "Проценты", "slug": "percent"})
    assert not UnitPage.objects.filter(title="Проценты").exists()


@pytest.mark.parametrize("persona", ["pupil_in", "parent"])
def test_pupils_and_parents_cannot_enter_the_admin(client, city, persona):
    client.force_login(getattr(city, persona))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/admin/" not in response["Location"]


def test_quiz_without_a_correct_answer_is_refused(client, city, library):
    quiz = {
        "title": "Проверка",
        "questions": {
            "count": "1",
            "0": {
                "deleted": "",
                "order": "0",
                "id": "",
                "value": {
                    "text": "Что больше: 1/2 или 1/3?",
                    "kind": "choice",
                    "choices": {
                        "count": "2",
                        **{
                            str(i): {
                                "deleted": "",
                                "order": str(i),
                                "id": "",
                                "value": {"text": text},
                            }
                            for i, text in enumerate(["1/2", "1/3"])
                        },
                    },
                    "accepted_answers": {"count": "0"},
                    "time_limit": "30",
                },
            },
        },
    }

    response = add_lesson(client, city.teacher, library.unit, body=[("quiz", quiz)])

    assert response.status_code == 200
    assert not LessonPage.objects.exists()
    with translation.override("ru"):
        error = translation.gettext("Mark at least one choice as correct.")
    # The editor shows block errors from JSON data, where non-ASCII is escaped.
    page = response.content.decode()
    assert escape(error) in page or escape(json.dumps(error)[1:-1]) in page


def test_pasted_script_is_stripped_from_rich_text(client, city, library):
    pasted = "<p>Дроби <script>alert('x')</script><b>важны</b></p>"
    typed = json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "<script>alert(1)</script>",
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }
    )
    body = [("paragraph", rich_text(pasted)), ("paragraph", typed)]

    response = add_lesson(client, city.teacher, library.unit, body=body)

    assert response.status_code == 302
    stored = LessonPage.objects.get().get_latest_revision_as_object().body
    html = [str(block.value) for block in stored]
    assert "<b>важны</b>" in html[0]
    assert not any("<script" in value for value in html)
    assert "&lt;script&gt;" in html[1]
