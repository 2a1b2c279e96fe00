"""The library's pages cost a fixed number of queries, however big the library."""

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from bench.library_data import LibrarySize, library_build
from lessons.models import LessonPage

pytestmark = pytest.mark.django_db

QUERY_BOUND = 13
SIZES = {"30 lessons": 30, "300 lessons": 300}


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def teacher_client(request, city):
    library_build(LibrarySize(lessons=SIZES[request.param], subjects=2, grades=(5, 6)))
    client = Client()
    client.force_login(
        city.other_teacher, backend="school.backends.LocalPasswordBackend"
    )
    return client


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "дробей"},
        {"q": "дробей", "grade": 5, "tag": "proekt"},
        {"grade": 6, "page": 2},
    ],
    ids=["index", "search", "filtered search", "filtered page 2"],
)
def test_the_library_index_and_search(
    teacher_client, query, django_assert_max_num_queries
):
    if "tag" in query:
        query["tag"] = Tag.objects.get(name="проект").slug
    with django_assert_max_num_queries(QUERY_BOUND):
        response = teacher_client.get(reverse("lessons:library"), query)
    assert response.status_code == 200
    assert response.context["cards"]


def test_a_lesson_preview(teacher_client, django_assert_max_num_queries):
    page = LessonPage.objects.live().order_by("pk").last()
    with django_assert_max_num_queries(QUERY_BOUND):
        response = teacher_client.get(reverse("lessons:library_lesson", args=[page.pk]))
    assert response.status_code == 200
