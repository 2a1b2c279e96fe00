"""The register page, today's lessons and parents' notices, per persona."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from school.models import AbsenceNotice, Attendance
from tests import factories
from tests.school.gradebook.conftest import signed_in

pytestmark = pytest.mark.django_db

OTHERS = [
    "other_teacher",
    "pupil_in",
    "pupil_out",
    "parent",
    "other_parent",
    "admin_one",
    "admin_two",
]


def register_url(lesson) -> str:
    return reverse("attendance:register", args=[lesson.pk])


def test_teacher_opens_the_register_and_taps_absent(city, lesson):
    client = signed_in(city.teacher)
    page = client.get(register_url(lesson))
    assert page.status_code == 200
    assert city.pupil_in.full_name in page.content.decode()
    response = client.post(
        register_url(lesson), {"pupil": city.pupil_in.pk, "status": "absent"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#pupil-{city.pupil_in.pk}")
    assert Attendance.objects.get().status == "absent"


def test_the_script_gets_json(city, lesson):
    response = signed_in(city.teacher).post(
        register_url(lesson),
        {"pupil": city.pupil_in.pk, "status": "late"},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {
        "pupil": city.pupil_in.pk,
        "status": "late",
        "letter": response.json()["letter"],
    }
    bad = signed_in(city.teacher).post(
        register_url(lesson),
        {"pupil": city.pupil_out.pk, "status": "late"},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]
    assert Attendance.objects.get().pupil == city.pupil_in


def test_the_substitute_takes_the_register(city, lesson, substitute):
    client = signed_in(substitute)
    assert client.get(register_url(lesson)).status_code == 200
    client.post(register_url(lesson), {"pupil": city.pupil_in.pk, "status": "absent"})
    assert Attendance.objects.get().recorded_by == substitute
    today = client.get(reverse("attendance:today")).content.decode()
    assert register_url(lesson) in today


@pytest.mark.parametrize("name", OTHERS)
def test_others_get_404_and_write_nothing(city, lesson, name):
    client = signed_in(getattr(city, name))
    assert client.get(register_url(lesson)).status_code == 404
    response = client.post(
        register_url(lesson), {"pupil": city.pupil_in.pk, "status": "absent"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_today_lists_only_the_teachers_lessons(city, lesson):
    theirs = factories.make_lesson(city.class_out, city.maths, city.other_teacher)
    content = signed_in(city.teacher).get(reverse("attendance:today")).content.decode()
    assert register_url(lesson) in content
    assert register_url(theirs) not in content
    assert signed_in(city.parent).get(reverse("attendance:today")).status_code == 404


@pytest.mark.parametrize("pupils", [5, 30])
def test_register_page_queries_do_not_grow(
    city, lesson, pupils, django_assert_max_num_queries
):
    for _ in range(pupils - 1):
        factories.make_pupil(city.class_in)
    url, client = register_url(lesson), signed_in(city.teacher)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count('class="register-form"') == pupils


def notices_url() -> str:
    return reverse("attendance:notices")


def test_parent_announces_an_absence_and_the_teacher_sees_excused(city, lesson):
    client = signed_in(city.parent)
    today = timezone.localdate()
    response = client.post(
        notices_url(),
        {
            "pupil": city.pupil_in.pk,
            "starts_on": today,
            "ends_on": today,
            "reason": "Врач",
        },
    )
    assert response.status_code == 302
    assert AbsenceNotice.objects.get().announced_by == city.parent
    page = signed_in(city.teacher).get(register_url(lesson)).content.decode()
    assert 'value="excused" aria-pressed="true"' in page


def test_parent_cannot_announce_for_another_child(city):
    today = timezone.localdate()
    response = signed_in(city.parent).post(
        notices_url(),
        {
            "pupil": city.pupil_out.pk,
            "starts_on": today,
            "ends_on": today,
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert city.pupil_out.full_name not in response.content.decode()
    assert not AbsenceNotice.objects.exists()


def test_bad_dates_come_back_with_a_message(city):
    client = signed_in(city.parent)
    client.cookies["django_language"] = "en"
    today = timezone.localdate()
    response = client.post(
        notices_url(),
        {
            "pupil": city.pupil_in.pk,
            "starts_on": today,
            "ends_on": today - datetime.timedelta(days=1),
            "reason": "x",
        },
    )
    assert "cannot come before" in response.content.decode()
    assert not AbsenceNotice.objects.exists()


def test_notices_page_lists_only_the_familys_notices(city):
    AbsenceNotice.objects.create(
        pupil=city.pupil_out,
        announced_by=city.other_parent,
        reason="Чужое",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    content = signed_in(city.parent).get(notices_url()).content.decode()
    assert "Чужое" not in content
    assert city.pupil_in.full_name in content  # the child is offered in the form


@pytest.mark.parametrize("name", ["teacher", "pupil_in", "admin_one"])
def test_notices_page_is_for_parents(city, name):
    assert signed_in(getattr(city, name)).get(notices_url()).status_code == 404


def test_notices_page_queries_do_not_grow(city, django_assert_max_num_queries):
    for _ in range(20):
        AbsenceNotice.objects.create(
            pupil=city.pupil_in,
            announced_by=city.parent,
            reason="болеет",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )
    client, url = signed_in(city.parent), notices_url()
    with django_assert_max_num_queries(10):
        assert client.get(url).content.decode().count("болеет") == 20
