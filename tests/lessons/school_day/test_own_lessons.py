"""A teacher teaches their own lesson — a library copy being adapted, a draft —
before (or without) the citywide moderation; the class sees its latest saved
version and is scored against it. Personas: tests/conftest.py `city`."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lessons.models import LessonPlan, PracticeAttempt
from lessons.services import lesson_copy, lesson_plan_attach
from tests.lessons.school_day.conftest import (
    QUIZ_ID,
    choice_question,
    client_for,
)

pytestmark = pytest.mark.django_db

EDITED_RIGHT = "Исправленный-верный-ответ"


def own_copy(city, page):
    return lesson_copy(page=page, teacher=city.teacher)


def draft_with_new_answer(copy, user):
    """Saves a draft revision of the copy whose first quiz has a new right answer."""
    body = copy.body.raw_data
    quiz = next(block for block in body if block["id"] == QUIZ_ID)
    question = choice_question("Исправленный вопрос")
    question["choices"] = [
        {"text": "Неверный", "correct": False},
        {"text": EDITED_RIGHT, "correct": True},
    ]
    quiz["value"]["questions"] = [question]
    copy.body = body
    copy.save_revision(user=user)


def test_teacher_attaches_their_own_unpublished_copy(city, lesson, page):
    copy = own_copy(city, page)
    assert not copy.live

    plan = lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=copy)

    assert plan.page == copy


def test_another_teachers_draft_cannot_be_attached(city, lesson, page):
    theirs = lesson_copy(page=page, teacher=city.other_teacher)
    with pytest.raises(ValidationError):
        lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=theirs)
    assert not LessonPlan.objects.exists()


def test_plan_page_lists_own_lessons_not_others(city, lesson, page):
    mine = own_copy(city, page)
    theirs = lesson_copy(page=page, teacher=city.other_teacher)
    theirs.title = "Чужая копия урока"
    theirs.draft_title = theirs.title
    theirs.save()

    html = (
        client_for(city.teacher)
        .get(reverse("lessons:plan", args=[lesson.pk]))
        .content.decode()
    )

    own_section = html.split('id="own-heading"')[1].split("</section>")[0]
    assert f'value="{mine.pk}"' in own_section
    assert "Чужая копия урока" not in html


def test_pupils_see_and_are_scored_against_the_latest_draft(city, lesson, page):
    copy = own_copy(city, page)
    lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=copy)
    draft_with_new_answer(copy, city.teacher)
    pupil = client_for(city.pupil_in)

    html = pupil.get(
        reverse("lessons:pupil_lesson", args=[copy.pk, lesson.pk])
    ).content.decode()
    assert EDITED_RIGHT in html
    assert "Исправленный вопрос" in html
    assert "Сколько будет 1/8 + 2/8?" not in html

    url = reverse("lessons:practice_submit", args=[copy.pk, lesson.pk, QUIZ_ID])
    scored = pupil.post(url, {"answers": [[1]]}, content_type="application/json")
    assert scored.json()["score"] == 1
    attempt = PracticeAttempt.objects.get(pupil=city.pupil_in)
    assert (attempt.page_id, attempt.max_score) == (copy.pk, 1)


def test_a_draft_attached_by_someone_else_stays_closed(city, lesson, page):
    """Only the author's own attaching opens a draft to a class: a page that
    later changes owner is not shown to pupils unpublished."""
    copy = own_copy(city, page)
    lesson_plan_attach(teacher=city.teacher, lesson=lesson, page=copy)
    copy.owner = city.other_teacher
    copy.save(update_fields=["owner"])

    response = client_for(city.pupil_in).get(
        reverse("lessons:pupil_lesson", args=[copy.pk, lesson.pk])
    )

    assert response.status_code == 404
