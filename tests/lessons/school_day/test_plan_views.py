"""The teacher's page of a dated lesson: pick from the library, attach, detach,
set the suggested homework in one step."""

import datetime

import pytest
from django.urls import reverse

from lessons.models import LessonPlan
from school.models import Homework
from tests import factories
from tests.lessons.school_day.conftest import (
    HOMEWORK_TEXT,
    SUGGESTION_ID,
    TEACHER_NOTE,
    client_for,
    library_lesson,
)

pytestmark = pytest.mark.django_db


def plan_url(lesson, action: str = "plan") -> str:
    return reverse(f"lessons:{action}", args=[lesson.pk])


@pytest.mark.parametrize(
    "persona",
    ["other_teacher", "pupil_in", "pupil_out", "parent", "other_parent", "admin_two"],
)
def test_only_the_lessons_teacher_opens_the_plan(city, lesson, persona):
    client = client_for(getattr(city, persona))
    assert client.get(plan_url(lesson)).status_code == 404
    assert client.post(plan_url(lesson, "plan_detach")).status_code == 404


def test_picker_lists_live_lessons_of_the_subject_and_grade(city, lesson, page):
    library_lesson(city.maths, grade=7, title="Урок седьмого класса")
    library_lesson(factories.SubjectFactory(), title="Урок другого предмета")
    library_lesson(city.maths, title="Черновик урока", live=False)
    library_lesson(city.maths, title="Проценты")
    html = client_for(city.teacher).get(plan_url(lesson)).content.decode()
    assert "Сравнение дробей" in html
    assert "Проценты" in html
    for absent in ("седьмого", "другого предмета", "Черновик"):
        assert absent not in html


def test_picker_search(city, lesson, page):
    library_lesson(city.maths, title="Проценты")
    response = client_for(city.teacher).get(plan_url(lesson), {"q": "проценты"})
    html = response.content.decode()
    assert "Проценты" in html
    assert "Сравнение дробей" not in html


def test_attach_replace_and_detach(city, lesson, page):
    client = client_for(city.teacher)
    response = client.post(plan_url(lesson, "plan_attach"), {"page": page.pk})
    assert response.status_code == 302
    assert LessonPlan.objects.get(lesson=lesson).page == page
    html = client.get(plan_url(lesson)).content.decode()
    assert TEACHER_NOTE in html  # the teacher sees the whole lesson
    assert HOMEWORK_TEXT in html
    other = library_lesson(city.maths, title="Проценты")
    client.post(plan_url(lesson, "plan_attach"), {"page": other.pk})
    assert LessonPlan.objects.get(lesson=lesson).page == other
    client.post(plan_url(lesson, "plan_detach"))
    assert not LessonPlan.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_attach_unknown_page_is_404(city, lesson, value):
    response = client_for(city.teacher).post(
        plan_url(lesson, "plan_attach"), {"page": value}
    )
    assert response.status_code == 404
    assert not LessonPlan.objects.exists()


def test_attach_draft_says_why(city, lesson):
    draft = library_lesson(city.maths, title="Черновик", live=False)
    client = client_for(city.teacher)
    response = client.post(
        plan_url(lesson, "plan_attach"), {"page": draft.pk}, follow=True
    )
    assert not LessonPlan.objects.exists()
    assert list(response.context["messages"])[0].level_tag == "error"


def test_suggestion_becomes_homework_in_one_step(city, plan):
    lesson = plan.lesson
    following = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=lesson.date + datetime.timedelta(days=2),
    )
    client = client_for(city.teacher)
    html = client.get(plan_url(lesson)).content.decode()
    assert f'value="{SUGGESTION_ID}"' in html
    response = client.post(plan_url(lesson, "plan_homework"), {"block": SUGGESTION_ID})
    assert response.status_code == 302
    homework = Homework.objects.get()
    assert (homework.lesson, homework.text) == (lesson, HOMEWORK_TEXT)
    assert homework.due_date == following.date


def test_plan_page_queries_are_bounded(city, plan, django_assert_max_num_queries):
    client = client_for(city.teacher)
    for number in range(2, 8):
        library_lesson(city.maths, title=f"Урок {number}")
    with django_assert_max_num_queries(10):
        response = client.get(plan_url(plan.lesson))
    assert response.content.decode().count('name="page"') == 7


def test_the_plan_leads_to_the_lessons_register_marks_and_homework(city, lesson):
    term = factories.make_term(city.class_in)
    html = client_for(city.teacher).get(plan_url(lesson)).content.decode()
    assert f'href="{reverse("attendance:register", args=[lesson.pk])}"' in html
    grid = reverse("gradebook:grid", args=[city.class_in.pk, city.maths.pk, term.pk])
    assert f'href="{grid}"' in html
    assert f'href="{reverse("homework_lesson", args=[lesson.pk])}"' in html
