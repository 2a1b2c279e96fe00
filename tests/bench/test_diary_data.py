"""The diary benchmark's city builder, run small so that it does not rot."""

import pytest
from django.test import Client

from bench.diary_data import CitySize, city_build
from school.models import Attendance, Homework, Lesson, Mark, Submission, User

pytestmark = pytest.mark.django_db


def test_a_small_city_loads_and_its_diaries_open(django_assert_max_num_queries):
    city = city_build(CitySize(pupils=60, marks=900))
    assert Mark.objects.count() == 900
    assert User.objects.filter(role_grants__role="pupil").count() == 50
    assert Lesson.objects.exists() and Homework.objects.exists()
    assert Attendance.objects.exists() and Submission.objects.exists()
    parent = User.objects.get(pk=city.parents[0])
    client = Client()
    client.force_login(parent, backend="school.backends.LocalPasswordBackend")
    for child in city.children[parent.pk]:
        with django_assert_max_num_queries(10):
            response = client.get(f"/diary/{child}/")
        assert response.status_code == 200
        assert 'class="mark"' in response.content.decode()


def test_a_second_load_does_not_collide_and_leaves_the_sequences_past_it(db):
    city_build(CitySize(pupils=25, marks=100))
    city_build(CitySize(pupils=25, marks=100))
    assert Mark.objects.count() == 200
    assert User.objects.create(username="after-the-load").pk > max(
        User.objects.exclude(username="after-the-load").values_list("pk", flat=True)
    )
