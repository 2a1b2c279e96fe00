"""The attached lesson as the class sees it: no teacher notes, starter, homework
suggestion or quiz answers; only for the class, its parents and its teachers."""

import pytest
from django.urls import reverse

from lessons.models import LessonPlan
from tests import factories
from tests.lessons.school_day.conftest import (
    ACCEPTED,
    HOMEWORK_TEXT,
    STARTER_TITLE,
    TEACHER_NOTE,
    client_for,
    library_lesson,
)

pytestmark = pytest.mark.django_db
# Session, user, plan with its lesson, roles, enrolment, may-practise.
PAGE_QUERY_BOUND = 6


def pupil_url(plan: LessonPlan) -> str:
    return reverse("lessons:pupil_lesson", args=[plan.page_id, plan.lesson_id])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher", 200),
        ("pupil_in", 200),
        ("parent", 200),
        ("other_teacher", 404),
        ("pupil_out", 404),
        ("other_parent", 404),
        ("admin_two", 404),
    ],
)
def test_who_may_open_the_lesson(city, plan, persona, status):
    response = client_for(getattr(city, persona)).get(pupil_url(plan))
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(plan):
    response = client_for(None).get(pupil_url(plan))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_pupil_sees_questions_but_nothing_for_the_teacher(city, plan):
    html = client_for(city.pupil_in).get(pupil_url(plan)).content.decode()
    assert "Сравнение дробей" in html
    assert "Сколько будет 1/8 + 2/8?" in html
    for secret in (TEACHER_NOTE, STARTER_TITLE, HOMEWORK_TEXT, ACCEPTED, "десятых"):
        assert secret not in html
    # Right and wrong choices are marked up alike: nothing tells them apart.
    assert "correct" not in html
    assert 'value="0"' in html
    assert "checked" not in html


def test_right_and_wrong_choices_render_identically(city, plan):
    html = client_for(city.pupil_in).get(pupil_url(plan)).content.decode()
    right = html.split("Ответ-верный-три-восьмых")[0].rsplit("<label", 1)[1]
    wrong = html.split("Ответ-неверный-пять-восьмых")[0].rsplit("<label", 1)[1]
    assert right.replace('value="0"', "") == wrong.replace('value="1"', "")


def test_lesson_not_attached_to_that_lesson_is_404(city, plan, page):
    other = factories.make_lesson(
        city.class_in, city.maths, city.teacher, date=plan.lesson.date, number=2
    )
    url = reverse("lessons:pupil_lesson", args=[page.pk, other.pk])
    assert client_for(city.pupil_in).get(url).status_code == 404
    another_page = library_lesson(city.maths, title="Другой урок")
    url = reverse("lessons:pupil_lesson", args=[another_page.pk, plan.lesson_id])
    assert client_for(city.pupil_in).get(url).status_code == 404


def test_unpublished_lesson_is_404(city, plan, page):
    page.unpublish()
    assert client_for(city.pupil_in).get(pupil_url(plan)).status_code == 404


def test_only_pupils_get_a_form_to_send(city, plan):
    pupil_html = client_for(city.pupil_in).get(pupil_url(plan)).content.decode()
    parent_html = client_for(city.parent).get(pupil_url(plan)).content.decode()
    assert 'type="submit" class="primary"' in pupil_html
    assert 'type="submit" class="primary"' not in parent_html
    assert "disabled" in parent_html


def test_pupil_page_queries_do_not_grow_with_the_lesson(
    city, plan, page, django_assert_max_num_queries
):
    client = client_for(city.pupil_in)
    client.get(pupil_url(plan))  # warm the session and the site caches
    with django_assert_max_num_queries(PAGE_QUERY_BOUND) as small:
        client.get(pupil_url(plan))
    raw = list(page.body.raw_data)
    page.body = raw + [
        {**block, "id": f"{block['id']}-{n}"}
        for n in range(5)
        for block in raw
        if block["type"] in ("quiz", "paragraph", "heading")
    ]
    page.save_revision().publish()
    with django_assert_max_num_queries(PAGE_QUERY_BOUND) as large:
        response = client.get(pupil_url(plan))
    assert response.content.decode().count('class="card quiz practice"') == 12
    assert len(large.captured_queries) == len(small.captured_queries)
