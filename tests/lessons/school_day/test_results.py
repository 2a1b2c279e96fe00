"""Practice results per class: each pupil's best and last score and attempts,
for the class's teachers and the school's administrators only."""

import pytest
from django.urls import reverse

from lessons.services import practice_attempt_submit
from tests import factories
from tests.lessons.school_day.conftest import (
    ACCEPTED,
    QUIZ_ID,
    SECOND_QUIZ_ID,
    client_for,
)

pytestmark = pytest.mark.django_db


def results_url(plan) -> str:
    return reverse("lessons:plan_results", args=[plan.lesson_id])


def practise(pupil, plan, *answers_list, block_id=QUIZ_ID) -> None:
    for answers in answers_list:
        practice_attempt_submit(
            pupil=pupil, page=plan.page, block_id=block_id, answers=answers
        )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher", 200),
        ("admin_one", 200),
        ("other_teacher", 404),
        ("pupil_in", 404),
        ("pupil_out", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("admin_two", 404),
    ],
)
def test_who_sees_results(city, plan, persona, status):
    response = client_for(getattr(city, persona)).get(results_url(plan))
    assert response.status_code == status


def test_without_a_plan_there_are_no_results(city, lesson):
    url = reverse("lessons:plan_results", args=[lesson.pk])
    assert client_for(city.teacher).get(url).status_code == 404


def test_best_last_and_attempts_per_pupil_and_quiz(city, plan):
    classmate = factories.make_pupil(city.class_in, last_name="Яковлева")
    practise(city.pupil_in, plan, [[0, 2], ACCEPTED], [[0], ACCEPTED])
    practise(city.pupil_in, plan, [[1]], block_id=SECOND_QUIZ_ID)
    response = client_for(city.teacher).get(results_url(plan))
    rows = {row.pupil: row.by_quiz for row in response.context["rows"]}
    assert list(rows) == [city.pupil_in, classmate]  # register order
    first, second = rows[city.pupil_in]
    assert (first.best, first.last, first.attempts, first.max_score) == (2, 1, 2, 2)
    assert (second.best, second.last, second.attempts) == (0, 0, 1)
    assert rows[classmate] == [None, None]
    html = response.content.decode()
    assert "2/2" in html and "1/2" in html


def test_other_classes_attempts_are_not_shown(city, plan):
    """Вася's class has the same library lesson; his tries stay in his class."""
    bobs_lesson = factories.make_lesson(city.class_out, city.maths, city.other_teacher)
    plan.page.plans.create(lesson=bobs_lesson, attached_by=city.other_teacher)
    practise(city.pupil_out, plan, [[0, 2], ACCEPTED])
    response = client_for(city.teacher).get(results_url(plan))
    assert [row.pupil for row in response.context["rows"]] == [city.pupil_in]
    assert f'data-pupil="{city.pupil_out.pk}"' not in response.content.decode()


def test_results_cost_the_same_queries_for_a_larger_class(
    city, plan, django_assert_max_num_queries
):
    client = client_for(city.teacher)
    practise(city.pupil_in, plan, [[0], "нет"])
    with django_assert_max_num_queries(10) as small:
        client.get(results_url(plan))
    for number in range(8):
        pupil = factories.make_pupil(city.class_in)
        practise(pupil, plan, [[0, 2], ACCEPTED], [[number % 3], "нет"])
        practise(pupil, plan, [[1]], block_id=SECOND_QUIZ_ID)
    with django_assert_max_num_queries(10) as large:
        response = client.get(results_url(plan))
    assert len(response.context["rows"]) == 9
    assert len(large.captured_queries) == len(small.captured_queries)
