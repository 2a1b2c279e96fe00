"""Wagtail API v2: published library lessons as open data, nothing more."""

import json

import pytest
from django.test import Client

from tests.lessons.library_pages import (
    RIGHT_CHOICE,
    SHORT_ANSWER,
    TEACHER_NOTE,
    WRONG_CHOICE,
    lesson_page,
    library_unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(city):
    unit = library_unit(city.maths)
    live = lesson_page(unit, "Сравнение дробей", owner=city.teacher, tags=["проект"])
    draft = lesson_page(unit, "Черновик", owner=city.teacher, live=False)
    return live, draft


def get(url: str, **query):
    return Client().get(url, query)


def test_a_lesson_comes_without_notes_and_answers(lessons):
    live, _ = lessons
    response = get(f"/api/v2/pages/{live.pk}/")
    assert response.status_code == 200
    data = response.json()
    text = json.dumps(data, ensure_ascii=False)

    assert data["title"] == "Сравнение дробей"
    assert data["grade"] == 5 and data["duration_minutes"] == 45
    assert data["tags"] == ["проект"]
    assert [block["type"] for block in data["public_body"]] == [
        "heading",
        "paragraph",
        "quiz",
    ]
    quiz = data["public_body"][2]["value"]
    assert quiz["questions"][0]["choices"] == [RIGHT_CHOICE, WRONG_CHOICE]
    assert TEACHER_NOTE not in text
    assert SHORT_ANSWER not in text
    assert '"correct"' not in text and "accepted_answers" not in text
    assert "owner" not in data and "body" not in data


def test_the_raw_body_and_the_owner_cannot_be_asked_for(lessons):
    live, _ = lessons
    for field in ("body", "owner", "source"):
        response = get(f"/api/v2/pages/{live.pk}/", fields=field)
        assert response.status_code == 400, field
        assert TEACHER_NOTE not in response.content.decode()
    listing = get("/api/v2/pages/", fields="*")
    assert listing.status_code == 200
    assert TEACHER_NOTE not in listing.content.decode()
    assert SHORT_ANSWER not in listing.content.decode()


def test_only_published_lessons_are_listed(lessons, city):
    live, draft = lessons
    listing = get("/api/v2/pages/").json()
    assert [item["id"] for item in listing["items"]] == [live.pk]
    assert get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    # Other pages of the tree (the unit, the library's root) are not lessons.
    assert get(f"/api/v2/pages/{live.get_parent().pk}/").status_code == 404
    assert (
        get("/api/v2/pages/", type="wagtailcore.Page").json()["meta"]["total_count"]
        == 1
    )


def test_a_published_lesson_with_a_newer_draft_serves_the_published_version(
    lessons, city
):
    live, _ = lessons
    draft = live.get_latest_revision_as_object()
    draft.title = "Неопубликованная правка"
    draft.save_revision(user=city.teacher)
    data = get(f"/api/v2/pages/{live.pk}/").json()
    assert data["title"] == "Сравнение дробей"
