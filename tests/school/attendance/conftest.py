import pytest

from tests import factories
from tests.school.gradebook.conftest import signed_in  # noqa: F401


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def substitute(city, lesson):
    teacher = factories.UserFactory(roles=["teacher"], username="sub")
    lesson.substitute = teacher
    lesson.save(update_fields=["substitute"])
    return teacher
