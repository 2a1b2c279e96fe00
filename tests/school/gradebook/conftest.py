"""Fixtures for the gradebook tests: a lesson in 5А maths and ways to reach it."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from school.models import WorkType
from tests import factories

BACKEND = "school.backends.LocalPasswordBackend"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def gradebook_url(city, name: str = "grid", term=None) -> str:
    term = term or factories.make_term(city.class_in)
    return reverse(f"gradebook:{name}", args=[city.class_in.pk, city.maths.pk, term.pk])


def post_json(client: Client, url: str, data) -> tuple[int, dict]:
    body = data if isinstance(data, str) else json.dumps(data)
    response = client.post(url, body, content_type="application/json")
    return response.status_code, response.json()


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def classwork(db):
    return WorkType.objects.get(code="classwork")


@pytest.fixture
def test_work(db):
    return WorkType.objects.get(code="test")


@pytest.fixture
def homeroom(city):
    """A teacher who leads 5А but teaches it no maths."""
    teacher = factories.UserFactory(roles=["teacher"], username="homeroom")
    city.class_in.homeroom_teacher = teacher
    city.class_in.save(update_fields=["homeroom_teacher"])
    return teacher
