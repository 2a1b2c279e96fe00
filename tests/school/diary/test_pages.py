"""The diary pages as the pupil, their parent and their teachers see them."""

import datetime
import html
import re

import pytest

from school.models import AbsenceNotice, Homework
from tests import factories
from tests.school.diary.conftest import give_mark, ru, signed_in

PERSONAS_ALLOWED = ["pupil_in", "parent", "teacher", "admin_one"]
PERSONAS_REFUSED = ["pupil_out", "other_parent", "other_teacher", "admin_two"]


def text_of(response) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags))


def day_text(response, day: datetime.date) -> str:
    """The visible text of one day's card."""
    page = response.content.decode()
    match = re.search(
        rf'<section[^>]*data-day="{day.isoformat()}".*?</section>', page, re.S
    )
    assert match, f"no card for {day}"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match[0])))


def test_pupil_sees_lessons_marks_attendance_and_homework_of_the_week(city, week):
    response = signed_in(city.pupil_in).get(f"/diary/{city.pupil_in.pk}/")
    assert response.status_code == 200
    monday = day_text(response, week.monday)
    for expected in ("Математика", "Дроби", "214", "Молодец", "Задача № 12"):
        assert expected in monday
    assert city.teacher.short_name in monday
    assert "×3" in monday  # the test's weight
    assert re.search(r"\b5\b.*Работа на уроке", monday)
    tuesday = day_text(response, week.monday + datetime.timedelta(1))
    assert ru("Cancelled") in tuesday
    wednesday = day_text(response, week.monday + datetime.timedelta(2))
    assert "Замена" in wednesday  # the substitute, not the teacher
    assert city.teacher.short_name not in wednesday
    assert "Задача № 12" in wednesday  # due that day, with the pupil's status
    assert 'class="status status-done"' in response.content.decode()
    friday = day_text(response, week.monday + datetime.timedelta(4))
    assert ru("Absent") in friday
    assert ru("Late") in wednesday
    assert ru("Absent") not in monday and ru("Late") not in monday


def test_parent_sees_the_same_week_and_switches_between_children(city, week):
    sister = factories.make_pupil(city.class_in, first_name="Маша")
    factories.make_parent(sister)  # someone else's child stays out of the switcher
    city.parent.guardianships.create(pupil=sister)
    response = signed_in(city.parent).get(f"/diary/{city.pupil_in.pk}/")
    assert response.status_code == 200
    pupil_view = signed_in(city.pupil_in).get(f"/diary/{city.pupil_in.pk}/")
    for day in (week.monday, week.monday + datetime.timedelta(4)):
        assert day_text(response, day) == day_text(pupil_view, day)
    page = response.content.decode()
    switcher = re.search(r'<nav class="diary-switcher".*?</nav>', page, re.S)[0]
    assert f'href="/diary/{sister.pk}/"' in switcher
    assert f'href="/diary/{city.pupil_in.pk}/" aria-current="page"' in switcher
    sisters_week = signed_in(city.parent).get(f"/diary/{sister.pk}/")
    assert "Молодец" not in text_of(sisters_week)  # Петя's marks are Петя's


def test_week_navigation_shows_another_week(city, week):
    earlier = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=week.monday - datetime.timedelta(days=5),
    )
    give_mark(earlier, city.pupil_in, "oral", 4, comment="Прошлая неделя")
    client = signed_in(city.pupil_in)
    this_week = client.get(f"/diary/{city.pupil_in.pk}/")
    assert "Прошлая неделя" not in text_of(this_week)
    previous = week.monday - datetime.timedelta(days=7)
    assert f'href="?week={previous.isoformat()}"' in this_week.content.decode()
    # Any day of a week opens that week.
    asked = (previous + datetime.timedelta(days=3)).isoformat()
    response = client.get(f"/diary/{city.pupil_in.pk}/?week={asked}")
    assert "Прошлая неделя" in text_of(response)
    assert "Молодец" not in text_of(response)


def test_a_malformed_week_shows_this_week(city, week):
    response = signed_in(city.pupil_in).get(f"/diary/{city.pupil_in.pk}/?week=x")
    assert response.status_code == 200
    assert "Молодец" in text_of(response)


def test_an_absence_covered_by_a_notice_shows_as_excused(city, week):
    AbsenceNotice.objects.create(
        pupil=city.pupil_in,
        announced_by=city.parent,
        starts_on=week.friday.date,
        ends_on=week.friday.date,
        reason="Врач",
    )
    response = signed_in(city.parent).get(f"/diary/{city.pupil_in.pk}/")
    friday = response.content.decode().split(f'data-day="{week.friday.date}"')[1]
    assert "attendance-excused" in friday.split("</section>")[0]


def test_homework_due_this_week_but_given_earlier_is_listed(city, week):
    earlier = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=week.monday - datetime.timedelta(days=10),
    )
    Homework.objects.create(
        lesson=earlier,
        due_date=week.monday + datetime.timedelta(3),
        text="Проект по геометрии",
        created_by=city.teacher,
    )
    response = signed_in(city.pupil_in).get(f"/diary/{city.pupil_in.pk}/")
    thursday = day_text(response, week.monday + datetime.timedelta(3))
    assert "Проект по геометрии" in thursday
    assert ru("Not handed in") in thursday


def test_a_pupil_sees_only_the_lessons_of_their_own_class(city, week):
    factories.make_lesson(
        city.class_out, city.maths, city.other_teacher, date=week.monday
    )
    response = signed_in(city.pupil_out).get(f"/diary/{city.pupil_out.pk}/")
    assert response.status_code == 200
    assert "Дроби" not in text_of(response)
    assert "Математика" in day_text(response, week.monday)


# --- Who may open what.


def diary_urls(city, week) -> list[str]:
    pupil = city.pupil_in.pk
    return [
        f"/diary/{pupil}/",
        f"/diary/{pupil}/?week={week.monday - datetime.timedelta(days=7)}",
        f"/diary/{pupil}/days/{week.monday.isoformat()}/",
        f"/diary/{pupil}/summary/",
    ]


@pytest.mark.parametrize("persona", PERSONAS_ALLOWED)
def test_the_pupil_their_parent_teacher_and_school_admin_may_read(city, week, persona):
    client = signed_in(getattr(city, persona))
    for url in diary_urls(city, week):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", PERSONAS_REFUSED)
def test_anyone_else_gets_404_and_no_data(city, week, persona):
    client = signed_in(getattr(city, persona))
    for url in diary_urls(city, week):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Молодец" not in response.content.decode()
        assert city.pupil_in.last_name not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(city, week):
    from django.test import Client

    for url in [*diary_urls(city, week), "/diary/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_diary_home_opens_the_pupils_own_or_the_parents_first_child(city):
    pupil = signed_in(city.pupil_in).get("/diary/")
    assert pupil["Location"] == f"/diary/{city.pupil_in.pk}/"
    parent = signed_in(city.parent).get("/diary/")
    assert parent["Location"] == f"/diary/{city.pupil_in.pk}/"
    assert signed_in(city.teacher).get("/diary/").status_code == 404


def test_a_deactivated_pupil_has_no_diary(city, week):
    city.pupil_in.is_active = False
    city.pupil_in.save(update_fields=["is_active"])
    response = signed_in(city.parent).get(f"/diary/{city.pupil_in.pk}/")
    assert response.status_code == 404


def test_a_non_pupil_has_no_diary(city):
    response = signed_in(city.admin_one).get(f"/diary/{city.teacher.pk}/")
    assert response.status_code == 404


# --- The day fragment the live page swaps in.


def test_day_fragment_holds_only_that_day(city, week):
    url = f"/diary/{city.pupil_in.pk}/days/{week.monday.isoformat()}/"
    response = signed_in(city.parent).get(url)
    page = response.content.decode()
    assert page.count("data-day=") == 1
    assert "Молодец" in page
    assert "<html" not in page


def test_day_fragment_refuses_a_malformed_date(city):
    url = f"/diary/{city.pupil_in.pk}/days/2026-13-45/"
    assert signed_in(city.parent).get(url).status_code == 404
