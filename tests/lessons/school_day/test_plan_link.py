"""The teacher reaches a lesson's material from their own week in the timetable."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_teachers_week_links_each_of_their_lessons_to_its_material(client, city):
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    client.force_login(city.teacher)
    page = client.get(reverse("timetable:my_week")).content.decode()
    assert reverse("lessons:plan", args=[lesson.pk]) in page
    client.force_login(city.pupil_in)
    page = client.get(reverse("timetable:class_week", args=[city.class_in.pk]))
    assert reverse("lessons:plan", args=[lesson.pk]) not in page.content.decode()
