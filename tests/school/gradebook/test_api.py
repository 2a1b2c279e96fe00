"""The grid's JSON endpoints as the grid script uses them, per persona."""

import pytest

from school.models import Attendance, Mark, MarkChange, TermMark
from tests.school.gradebook.conftest import gradebook_url, post_json, signed_in

pytestmark = pytest.mark.django_db

OUTSIDERS = ["other_teacher", "pupil_in", "pupil_out", "parent", "other_parent"]
READERS = ["admin_one", "homeroom"]


def person(city, homeroom, name):
    return homeroom if name == "homeroom" else getattr(city, name)


def mark_body(city, lesson, **extra):
    body = {"lesson": lesson.pk, "pupil": city.pupil_in.pk, "work_type": "classwork"}
    return {**body, **extra}


def test_teacher_saves_a_mark_and_gets_the_cell_and_average_back(city, lesson):
    status, data = post_json(
        signed_in(city.teacher),
        gradebook_url(city, "mark_save"),
        mark_body(city, lesson, value="4", comment="Хорошо"),
    )
    assert status == 200
    assert data["cell"]["marks"] == [
        {
            "work_type": "classwork",
            "work_type_name": "Работа на уроке",
            "weight": 1,
            "value": 4,
            "display": "4",
            "comment": "Хорошо",
        }
    ]
    assert data["row"]["average"] == "4.00"
    assert Mark.objects.get().value == 4


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ('{"value": NaN}', "whole number"),
        ('{"value": "NaN"}', "whole number"),
        ('{"value": "пять"}', "whole number"),
        ('{"value": 6}', "1 to 5"),
        ('{"value": 0}', "1 to 5"),
    ],
)
def test_a_bad_value_comes_back_as_a_clear_message_and_writes_nothing(
    city, lesson, raw, reason
):
    body = raw[:-1] + f', "lesson": {lesson.pk}, "pupil": {city.pupil_in.pk}, '
    body += '"work_type": "classwork"}'
    client = signed_in(city.teacher)
    client.cookies["django_language"] = "en"
    status, data = post_json(client, gradebook_url(city, "mark_save"), body)
    assert status == 400
    assert reason in data["error"]
    assert not Mark.objects.exists()
    assert not MarkChange.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", '{"lesson": "x"}', '{"lesson": true}'],
)
def test_an_unreadable_request_is_refused(city, lesson, body):
    status, data = post_json(
        signed_in(city.teacher), gradebook_url(city, "mark_save"), body
    )
    assert status == 400
    assert data["error"]


def test_a_pupil_of_another_class_is_refused_with_a_message(city, lesson):
    status, data = post_json(
        signed_in(city.teacher),
        gradebook_url(city, "mark_save"),
        {**mark_body(city, lesson, value=5), "pupil": city.pupil_out.pk},
    )
    assert status == 400
    assert data["error"]
    assert not Mark.objects.exists()


def test_a_lesson_of_another_gradebook_is_refused(city):
    from tests import factories

    foreign = factories.make_lesson(city.class_out, city.maths, city.other_teacher)
    status, _data = post_json(
        signed_in(city.teacher),
        gradebook_url(city, "mark_save"),
        mark_body(city, foreign, value=5),
    )
    assert status == 400
    assert not Mark.objects.exists()


@pytest.mark.parametrize("name", OUTSIDERS)
def test_outsiders_get_404_from_every_endpoint_and_no_data(
    city, lesson, homeroom, name
):
    client = signed_in(person(city, homeroom, name))
    Mark.objects.create(
        lesson=lesson,
        pupil=city.pupil_in,
        work_type_id=1,
        scale="five",
        value=5,
        comment="секрет",
        created_by=city.teacher,
    )
    for endpoint in ("mark_save", "mark_remove", "attendance_save", "term_mark_save"):
        status, data = post_json(
            client, gradebook_url(city, endpoint), mark_body(city, lesson, value=2)
        )
        assert (status, list(data)) == (404, ["error"])
    response = client.get(
        gradebook_url(city, "history"),
        {"lesson": lesson.pk, "pupil": city.pupil_in.pk},
    )
    assert response.status_code == 404
    assert "секрет" not in response.content.decode()
    assert Mark.objects.get().value == 5
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("name", READERS)
def test_readers_may_read_history_but_not_write(city, lesson, homeroom, name):
    post_json(
        signed_in(city.teacher),
        gradebook_url(city, "mark_save"),
        mark_body(city, lesson, value=3),
    )
    client = signed_in(person(city, homeroom, name))
    for endpoint in ("mark_save", "mark_remove", "attendance_save", "term_mark_save"):
        status, data = post_json(
            client, gradebook_url(city, endpoint), mark_body(city, lesson, value=5)
        )
        assert status == 403
        assert data["error"]
    history = client.get(
        gradebook_url(city, "history"),
        {"lesson": lesson.pk, "pupil": city.pupil_in.pk},
    ).json()
    assert [(c["old"], c["new"]) for c in history["changes"]] == [("", "3")]
    assert Mark.objects.get().value == 3


def test_anonymous_is_sent_to_sign_in(city, lesson, client):
    response = client.post(gradebook_url(city, "mark_save"), {})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_remove_then_history_shows_every_step(city, lesson):
    client = signed_in(city.teacher)
    post_json(
        client, gradebook_url(city, "mark_save"), mark_body(city, lesson, value=2)
    )
    post_json(
        client, gradebook_url(city, "mark_save"), mark_body(city, lesson, value=4)
    )
    status, data = post_json(
        client, gradebook_url(city, "mark_remove"), mark_body(city, lesson)
    )
    assert (status, data["cell"]["marks"]) == (200, [])
    history = client.get(
        gradebook_url(city, "history"),
        {"lesson": lesson.pk, "pupil": city.pupil_in.pk},
    ).json()["changes"]
    assert [(c["old"], c["new"]) for c in history] == [("4", ""), ("2", "4"), ("", "2")]
    assert all(c["who"] == city.teacher.short_name for c in history)


def test_removing_a_mark_that_is_not_there_says_so(city, lesson):
    status, data = post_json(
        signed_in(city.teacher),
        gradebook_url(city, "mark_remove"),
        mark_body(city, lesson),
    )
    assert status == 400
    assert data["error"]


def test_attendance_from_the_grid(city, lesson):
    client = signed_in(city.teacher)
    status, data = post_json(
        client,
        gradebook_url(city, "attendance_save"),
        mark_body(city, lesson, status="absent"),
    )
    assert (status, data["cell"]["status"]) == (200, "absent")
    assert data["row"]["rate"] == 0
    assert Attendance.objects.get().status == "absent"
    status, data = post_json(
        client,
        gradebook_url(city, "attendance_save"),
        mark_body(city, lesson, status="present"),
    )
    assert (data["cell"]["status"], data["row"]["rate"]) == ("present", 100)
    assert not Attendance.objects.exists()


def test_term_mark_endpoint(city, lesson):
    client = signed_in(city.teacher)
    body = {"pupil": city.pupil_in.pk, "value": "5"}
    status, data = post_json(client, gradebook_url(city, "term_mark_save"), body)
    assert (status, data["row"]["term_mark"]) == (200, 5)
    status, data = post_json(
        client, gradebook_url(city, "term_mark_save"), {**body, "value": "9"}
    )
    assert status == 400
    assert TermMark.objects.get().value == 5
