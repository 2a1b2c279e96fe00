"""Wagtail does not serve library pages itself; the access-checked views do."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.lessons.library_pages import lesson_page, library_unit

pytestmark = pytest.mark.django_db


def test_live_library_pages_lead_to_the_access_checked_library_views(city):
    unit = library_unit(city.maths)
    lesson = lesson_page(unit, "Сравнение дробей", owner=city.teacher)
    request = RequestFactory().get("/")
    response = lesson.serve(request)
    assert response.status_code == 302
    assert response.url == reverse("lessons:library_lesson", args=[lesson.pk])
    assert unit.serve(request).url == reverse("lessons:library")


def test_the_editor_preview_shows_the_lesson_with_teacher_notes(city):
    from tests.lessons.library_pages import TEACHER_NOTE

    unit = library_unit(city.maths)
    lesson = lesson_page(unit, "Сравнение дробей", owner=city.teacher)
    request = RequestFactory().get("/")
    request.user = city.teacher
    response = lesson.serve_preview(request, "")
    response.render()
    assert TEACHER_NOTE in response.content.decode()
