"""Searching the library (Wagtail search), alone and with the filters."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from tests import factories
from tests.lessons.library_pages import lesson_page, library_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(city):
    unit = library_unit(city.maths)
    lesson_page(unit, "Обыкновенная дробь", owner=city.teacher)
    lesson_page(unit, "Сложение дробей", owner=city.teacher, tags=["проект"])
    lesson_page(unit, "Площадь прямоугольника", owner=city.teacher)
    lesson_page(
        library_unit(city.maths, 6), "Деление дробей", owner=city.teacher, grade=6
    )
    lesson_page(unit, "Черновик: дробь", owner=city.teacher, live=False)
    russian = factories.SubjectFactory(code="russian", name="Русский язык")
    lesson_page(library_unit(russian), "Имя существительное", owner=city.teacher)
    client = Client()
    client.force_login(city.other_teacher)

    def titles(**query) -> set[str]:
        response = client.get(reverse("lessons:library"), query)
        assert response.status_code == 200
        return {card.title for card in response.context["cards"]}

    return titles


def test_a_search_finds_published_lessons_by_title_and_objectives(found):
    assert found(q="прямоугольника") == {"Площадь прямоугольника"}
    assert found(q="существительное") == {"Имя существительное"}
    assert found(q="решать") == {  # in every lesson's objectives
        "Обыкновенная дробь",
        "Сложение дробей",
        "Площадь прямоугольника",
        "Деление дробей",
        "Имя существительное",
    }


def test_a_search_combines_with_the_filters(found, city):
    assert found(q="дробей", grade=6) == {"Деление дробей"}
    assert found(q="сложение", grade=5, subject=city.maths.pk) == {"Сложение дробей"}
    project = Tag.objects.get(name="проект").slug
    assert found(q="дробей", tag=project) == {"Сложение дробей"}
    assert found(q="площадь", tag=project) == set()
    assert found(q="существительное", subject=city.maths.pk) == set()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Russian stemming is PostgreSQL's full-text search; SQLite matches words.",
)
def test_on_postgresql_a_search_in_russian_finds_other_word_forms(found):
    assert found(q="дроби") == {
        "Обыкновенная дробь",
        "Сложение дробей",
        "Деление дробей",
    }
