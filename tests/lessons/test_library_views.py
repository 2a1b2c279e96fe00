"""The library as teachers use it: find, preview, copy; usage counts for authors
and methodologists. Personas: tests/conftest.py `city` plus Мира, a methodologist.
"""

import pytest
from django.test import Client
from django.urls import reverse

from lessons.models import LessonPage, LessonPlan
from school.models import Role
from tests import factories
from tests.lessons.library_pages import (
    RIGHT_CHOICE,
    SHORT_ANSWER,
    TEACHER_NOTE,
    WRONG_CHOICE,
    lesson_page,
    library_unit,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


@pytest.fixture
def methodologist(city):
    return factories.UserFactory(username="mira", roles=[Role.METHODOLOGIST])


@pytest.fixture
def lesson(city) -> LessonPage:
    unit = library_unit(city.maths)
    return lesson_page(
        unit, "Сравнение дробей", owner=city.teacher, tags=["устный счёт"]
    )


def urls(lesson) -> dict[str, str]:
    return {
        "index": reverse("lessons:library"),
        "preview": reverse("lessons:library_lesson", args=[lesson.pk]),
    }


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "methodologist"])
def test_teachers_and_methodologists_open_the_library(city, lesson, who, request):
    user = (
        request.getfixturevalue(who) if who == "methodologist" else getattr(city, who)
    )
    client = client_for(user)
    for url in urls(lesson).values():
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Сравнение дробей" in response.content.decode()
    response = client.post(reverse("lessons:library_copy", args=[lesson.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["pupil_in", "parent", "admin_one"])
def test_pupils_parents_and_others_get_no_library(city, lesson, who):
    client = client_for(getattr(city, who))
    for url in urls(lesson).values():
        assert client.get(url).status_code == 404, url
    copy = client.post(reverse("lessons:library_copy", args=[lesson.pk]))
    assert copy.status_code == 404
    assert LessonPage.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(lesson):
    client = client_for(None)
    for url in [*urls(lesson).values(), f"/library/lessons/{lesson.pk}/copy/"]:
        response = client.get(url) if "copy" not in url else client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert LessonPage.objects.count() == 1


def test_drafts_are_not_in_the_library(city, lesson):
    draft = lesson_page(
        lesson.get_parent(), "Черновик про дроби", owner=city.teacher, live=False
    )
    client = client_for(city.other_teacher)
    assert "Черновик" not in client.get(reverse("lessons:library")).content.decode()
    preview = reverse("lessons:library_lesson", args=[draft.pk])
    assert client.get(preview).status_code == 404
    copy = client.post(reverse("lessons:library_copy", args=[draft.pk]))
    assert copy.status_code == 404


def test_a_result_shows_what_a_teacher_chooses_by(city, lesson):
    page = client_for(city.other_teacher).get(reverse("lessons:library"))
    html = page.content.decode()
    assert "Математика" in html
    assert "устный счёт" in html
    assert "45" in html
    assert "Научиться решать задачи." in html
    # Objectives are an excerpt: no markup of the rich text comes through.
    assert "<p>Научиться" not in html


def test_the_preview_shows_notes_and_marks_the_answers(city, lesson):
    html = client_for(city.other_teacher).get(urls(lesson)["preview"]).content.decode()
    assert TEACHER_NOTE in html
    right = html.index(RIGHT_CHOICE)
    assert "quiz-correct" in html[right : html.index(WRONG_CHOICE)]
    assert "quiz-correct" not in html[html.index(WRONG_CHOICE) :].split("</li>")[0]
    assert SHORT_ANSWER in html


def test_filters_by_subject_grade_and_tag_combine(city, lesson):
    russian = factories.SubjectFactory(code="russian", name="Русский язык")
    lesson_page(library_unit(russian, 5), "Глагол", owner=city.teacher)
    lesson_page(library_unit(city.maths, 6), "Дроби шестой", owner=city.teacher)
    tagged = lesson_page(
        lesson.get_parent(), "Дроби с проектом", owner=city.teacher, tags=["проект"]
    )
    client = client_for(city.other_teacher)

    def titles(**query) -> set[str]:
        response = client.get(reverse("lessons:library"), query)
        return {card.title for card in response.context["cards"]}

    assert titles(subject=russian.pk) == {"Глагол"}
    assert titles(subject=city.maths.pk, grade=5) == {
        "Сравнение дробей",
        "Дроби с проектом",
    }
    assert titles(grade=6) == {"Дроби шестой"}
    assert titles(tag=tagged.tags.get().slug, grade=5) == {"Дроби с проектом"}
    assert titles(tag=tagged.tags.get().slug, grade=6) == set()
    # A filter with a value that does not exist is ignored, not an error page.
    assert len(titles(grade="twelve")) == 4


def test_results_come_twenty_to_a_page(city, lesson):
    unit = lesson.get_parent()
    for number in range(24):
        lesson_page(unit, f"Урок {number:02}", owner=city.teacher, body=[])
    client = client_for(city.other_teacher)
    first = client.get(reverse("lessons:library"))
    assert len(first.context["cards"]) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("lessons:library"), {"page": 2, "grade": 5})
    assert len(second.context["cards"]) == 5
    assert "grade=5" in second.content.decode().split('rel="prev"')[1][:80]


def _use(city, lesson) -> None:
    """Two copies (one by another teacher) and three dated lessons taught."""
    for teacher in (city.teacher, city.other_teacher):
        client_for(teacher).post(reverse("lessons:library_copy", args=[lesson.pk]))
    for number in range(1, 4):
        taught = factories.make_lesson(
            city.class_in, city.maths, city.teacher, number=number
        )
        LessonPlan.objects.create(lesson=taught, page=lesson, attached_by=city.teacher)


@pytest.mark.parametrize("page", ["index", "preview"])
def test_usage_is_shown_to_the_author_and_methodologists(
    city, lesson, methodologist, page
):
    _use(city, lesson)
    for user in (city.teacher, methodologist):
        html = client_for(user).get(urls(lesson)[page]).content.decode()
        assert "library-usage" in html
        usage = html.split('class="library-usage">')[1].split("</p>")[0]
        assert "2" in usage and "3" in usage
    other = client_for(city.other_teacher).get(urls(lesson)[page])
    assert "library-usage" not in other.content.decode()
