"""“Copy to my lessons”: an editable copy that is the teacher's own and keeps a
link to its source; the original stays as it was."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from lessons.models import LessonPage
from tests.lessons.library_pages import TEACHER_NOTE, lesson_page, library_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(city) -> LessonPage:
    page = lesson_page(
        library_unit(city.maths),
        "Сравнение дробей",
        owner=city.teacher,
        tags=["проект"],
    )
    # An unpublished draft of the original must not leak into anyone's copy.
    draft = page.get_latest_revision_as_object()
    draft.title = "Черновик автора"
    draft.save_revision(user=city.teacher)
    return page


def copy_as(user, page) -> tuple:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    response = client.post(reverse("lessons:library_copy", args=[page.pk]))
    return response, LessonPage.objects.exclude(pk=page.pk).get(owner=user)


def test_another_teachers_copy_is_theirs_and_points_to_the_source(city, original):
    response, copy = copy_as(city.other_teacher, original)

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert copy.owner == city.other_teacher
    assert copy.source == original
    assert copy.get_parent().pk == original.get_parent().pk
    assert copy.title == "Сравнение дробей (копия)"
    assert not copy.live
    assert [tag.name for tag in copy.tags.all()] == ["проект"]
    assert TEACHER_NOTE in str(copy.body.raw_data)
    assert original.copies.get() == copy


def test_the_original_is_unchanged(city, original):
    before = Page.objects.get(pk=original.pk)
    copy_as(city.other_teacher, original)
    after = LessonPage.objects.get(pk=original.pk)

    assert after.owner == city.teacher
    assert after.live and after.title == "Сравнение дробей"
    assert after.source is None
    assert (after.path, after.latest_revision_id) == (
        before.path,
        before.latest_revision_id,
    )


def test_a_copy_starts_from_the_published_lesson_not_the_authors_draft(city, original):
    _, copy = copy_as(city.other_teacher, original)
    latest = copy.get_latest_revision_as_object()
    assert "Черновик" not in latest.title
    assert latest.owner == city.other_teacher


def test_two_copies_in_one_unit_get_their_own_addresses(city, original):
    _, first = copy_as(city.other_teacher, original)
    _, second = copy_as(city.teacher, original)
    assert first.slug != second.slug
    assert LessonPage.objects.filter(source=original).count() == 2
