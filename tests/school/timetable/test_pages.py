"""The timetable pages as each persona sees them; wrong people get 404 and no data."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from school.models import Lesson, LessonStatus
from school.timetable.services import (
    lesson_cancel,
    lesson_move,
    lesson_substitute,
    lessons_generate_for_term,
)
from tests.school.timetable.conftest import DAY, monday_of, signed_in

pytestmark = pytest.mark.django_db

PERSONAS = [
    "teacher",
    "other_teacher",
    "pupil_in",
    "pupil_out",
    "parent",
    "other_parent",
    "admin_one",
    "admin_two",
]
SEES_CLASS_IN = {"teacher", "pupil_in", "parent", "admin_one"}


def page_text(response) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags))


@pytest.fixture
def lessons(city, timetable) -> list[Lesson]:
    lessons_generate_for_term(class_group=city.class_in, term=timetable.term)
    return list(Lesson.objects.filter(class_group=city.class_in).order_by("date"))


def this_week(lessons) -> list[Lesson]:
    monday = monday_of(timezone.localdate())
    return [lesson for lesson in lessons if monday <= lesson.date < monday + 7 * DAY]


def class_url(city, day=None) -> str:
    url = reverse("timetable:class_week", args=[city.class_in.pk])
    return f"{url}?week={day.isoformat()}" if day else url


# --- A class's week


@pytest.mark.parametrize("persona", PERSONAS)
def test_class_week_only_for_the_class_its_families_and_its_admin(
    city, lessons, persona
):
    lesson = this_week(lessons)[0]
    lesson.topic = "Секретная тема"
    lesson.save(update_fields=["topic"])
    response = signed_in(getattr(city, persona)).get(class_url(city))
    if persona in SEES_CLASS_IN:
        assert response.status_code == 200
        assert "Секретная тема" in response.content.decode()
    else:
        assert response.status_code == 404
        assert "Секретная тема" not in response.content.decode()
        assert "Математика" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(city, lessons):
    from django.test import Client

    response = Client().get(class_url(city))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_week_shows_times_subject_teacher_room_and_topic(city, timetable, lessons):
    monday = this_week(lessons)[0]
    monday.topic = "Дроби"
    monday.save(update_fields=["topic"])
    text = page_text(signed_in(city.pupil_in).get(class_url(city)))
    assert "09:00 – 09:45" in text  # the first bell of the fixture's school
    assert "10:00 – 10:45" in text
    assert "Математика" in text
    assert city.teacher.short_name in text
    assert "room 21" in text
    assert "Topic: Дроби" in text


def test_week_marks_substituted_moved_and_cancelled_lessons(city, timetable, lessons):
    next_week = [
        lesson
        for lesson in lessons
        if lesson.date >= monday_of(timezone.localdate()) + 7 * DAY
    ][:2]
    lesson_substitute(
        lesson=next_week[0], substitute=timetable.substitute, by=city.admin_one
    )
    lesson_move(
        lesson=next_week[1],
        date=next_week[1].date + DAY,
        slot=timetable.bells[3],
        by=city.admin_one,
    )
    url = class_url(city, next_week[0].date)
    text = page_text(signed_in(city.parent).get(url))
    assert "Substitution" in text and timetable.substitute.short_name in text
    assert f"instead of {city.teacher.short_name}" in text
    assert "Moved from" in text
    lesson_cancel(lesson=next_week[0], by=city.admin_one)
    text = page_text(signed_in(city.parent).get(url))
    assert "Cancelled" in text


def test_previous_and_next_week_links(city, lessons):
    monday = monday_of(timezone.localdate())
    response = signed_in(city.pupil_in).get(class_url(city))
    body = response.content.decode()
    assert f"?week={(monday - 7 * DAY).isoformat()}" in body
    assert f"?week={(monday + 7 * DAY).isoformat()}" in body
    earlier = [lesson for lesson in lessons if lesson.date < monday][0]
    response = signed_in(city.pupil_in).get(class_url(city, earlier.date + DAY))
    assert response.context["week"].monday == monday_of(earlier.date)
    shown = [lesson for day in response.context["week"].days for lesson in day.lessons]
    assert earlier in shown


def test_a_bad_week_falls_back_to_this_week(city, lessons):
    response = signed_in(city.pupil_in).get(class_url(city) + "?week=nonsense")
    assert response.status_code == 200
    assert response.context["week"].monday == monday_of(timezone.localdate())


def test_only_the_admin_sees_change_links(city, lessons):
    manage = (
        f'href="{reverse("timetable:lesson_manage", args=[this_week(lessons)[0].pk])}"'
    )
    assert manage in signed_in(city.admin_one).get(class_url(city)).content.decode()
    for persona in ("teacher", "pupil_in", "parent"):
        body = signed_in(getattr(city, persona)).get(class_url(city)).content.decode()
        assert manage not in body


# --- A teacher's week and topics


def test_teacher_week_lists_own_and_substituted_lessons(city, timetable, lessons):
    lesson = this_week(lessons)[0]
    lesson_substitute(lesson=lesson, substitute=timetable.substitute, by=city.admin_one)
    url = reverse("timetable:my_week") + f"?week={lesson.date.isoformat()}"
    response = signed_in(timetable.substitute).get(url)
    shown = [item for day in response.context["week"].days for item in day.lessons]
    assert shown == [lesson]
    assert "class 5А" in page_text(response)
    own = signed_in(city.teacher).get(url)
    shown = [item for day in own.context["week"].days for item in day.lessons]
    assert lesson in shown  # still listed, marked as substituted
    assert len(shown) == len(this_week(lessons))


@pytest.mark.parametrize("persona", ["pupil_in", "parent", "admin_one"])
def test_teacher_week_is_for_teachers(city, persona):
    response = signed_in(getattr(city, persona)).get(reverse("timetable:my_week"))
    assert response.status_code == 404


def test_the_teacher_edits_a_topic_inline(city, lessons):
    lesson = this_week(lessons)[0]
    page = signed_in(city.teacher).get(reverse("timetable:my_week"))
    topic_url = reverse("timetable:lesson_topic", args=[lesson.pk])
    assert topic_url in page.content.decode()
    back = reverse("timetable:my_week") + "?week=2020-01-06"
    response = signed_in(city.teacher).post(
        topic_url, {"topic": "Десятичные дроби", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Lesson.objects.get(pk=lesson.pk).topic == "Десятичные дроби"


def test_no_topic_form_for_pupils_and_parents(city, lessons):
    topic_url = reverse("timetable:lesson_topic", args=[this_week(lessons)[0].pk])
    for persona in ("pupil_in", "parent", "admin_one"):
        body = signed_in(getattr(city, persona)).get(class_url(city)).content.decode()
        assert topic_url not in body


@pytest.mark.parametrize(
    "persona", ["other_teacher", "pupil_in", "parent", "admin_one", "admin_two"]
)
def test_nobody_else_can_post_a_topic(city, lessons, persona):
    lesson = this_week(lessons)[0]
    url = reverse("timetable:lesson_topic", args=[lesson.pk])
    response = signed_in(getattr(city, persona)).post(url, {"topic": "Взлом"})
    assert response.status_code == 404
    assert Lesson.objects.get(pk=lesson.pk).topic == ""


def test_a_foreign_next_address_is_ignored(city, lessons):
    lesson = this_week(lessons)[0]
    url = reverse("timetable:lesson_topic", args=[lesson.pk])
    response = signed_in(city.teacher).post(
        url, {"topic": "Тема", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(reverse("timetable:my_week"))


def test_a_too_long_topic_shows_an_error_and_saves_nothing(city, lessons):
    lesson = this_week(lessons)[0]
    url = reverse("timetable:lesson_topic", args=[lesson.pk])
    response = signed_in(city.teacher).post(url, {"topic": "я" * 300}, follow=True)
    assert "at most 255 characters" in page_text(response)
    assert Lesson.objects.get(pk=lesson.pk).topic == ""


# --- The administrator changes a lesson


def manage_url(lesson) -> str:
    return reverse("timetable:lesson_manage", args=[lesson.pk])


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin_one"])
def test_lesson_page_only_for_the_schools_admin(city, lessons, persona):
    lesson = this_week(lessons)[0]
    client = signed_in(getattr(city, persona))
    assert client.get(manage_url(lesson)).status_code == 404
    assert client.post(manage_url(lesson), {"action": "cancel"}).status_code == 404
    assert Lesson.objects.get(pk=lesson.pk).status == LessonStatus.SCHEDULED


def test_admin_cancels_substitutes_and_moves_from_the_lesson_page(
    city, timetable, lessons
):
    future = [lesson for lesson in lessons if lesson.date > timezone.localdate()]
    client = signed_in(city.admin_one)
    assert client.get(manage_url(future[0])).status_code == 200
    response = client.post(manage_url(future[0]), {"action": "cancel"})
    assert response.status_code == 302
    assert Lesson.objects.get(pk=future[0].pk).status == LessonStatus.CANCELLED
    client.post(
        manage_url(future[1]),
        {"action": "substitute", "substitute": timetable.substitute.pk},
    )
    assert Lesson.objects.get(pk=future[1].pk).substitute == timetable.substitute
    target = future[1].date + DAY
    client.post(
        manage_url(future[1]),
        {"action": "move", "date": target.isoformat(), "slot": timetable.bells[3].pk},
    )
    moved = Lesson.objects.get(pk=future[1].pk)
    assert (moved.date, moved.slot, moved.moved_from_date) == (
        target,
        timetable.bells[3],
        future[1].date,
    )


def test_a_refused_move_explains_why(city, timetable, lessons):
    lesson = [lesson for lesson in lessons if lesson.date > timezone.localdate()][0]
    outside = timetable.term.ends_on + 3 * DAY
    response = signed_in(city.admin_one).post(
        manage_url(lesson),
        {"action": "move", "date": outside.isoformat(), "slot": timetable.bells[0].pk},
    )
    assert response.status_code == 400
    assert "is outside the term Четверть" in page_text(response)
    assert Lesson.objects.get(pk=lesson.pk).date == lesson.date


def test_a_substitute_from_another_school_is_not_offered(city, timetable, lessons):
    lesson = this_week(lessons)[0]
    response = signed_in(city.admin_one).post(
        manage_url(lesson),
        {"action": "substitute", "substitute": timetable.outsider.pk},
    )
    assert response.status_code == 400
    assert Lesson.objects.get(pk=lesson.pk).substitute is None
    assert timetable.outsider.last_name not in response.content.decode()


# --- Generating a term's lessons


def generate_url(class_group) -> str:
    return reverse("timetable:generate", args=[class_group.pk])


def test_admin_generates_a_terms_lessons(city, timetable):
    client = signed_in(city.admin_one)
    assert client.get(generate_url(city.class_in)).status_code == 200
    response = client.post(
        generate_url(city.class_in), {"term": timetable.term.pk}, follow=True
    )
    assert "14 lessons were created" in page_text(response)
    assert Lesson.objects.filter(class_group=city.class_in).count() == 14
    response = client.post(generate_url(city.class_in), {"term": timetable.term.pk})
    assert Lesson.objects.filter(class_group=city.class_in).count() == 14


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin_one"])
def test_only_the_schools_admin_generates(city, timetable, persona):
    client = signed_in(getattr(city, persona))
    assert client.get(generate_url(city.class_in)).status_code == 404
    client.post(generate_url(city.class_in), {"term": timetable.term.pk})
    assert not Lesson.objects.filter(class_group=city.class_in).exists()


def test_a_term_of_another_school_cannot_be_chosen(city, timetable):
    from tests import factories

    other_term = factories.make_term(city.class_out)
    response = signed_in(city.admin_one).post(
        generate_url(city.class_in), {"term": other_term.pk}
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Lesson.objects.filter(class_group=city.class_in).exists()


# --- The start page


def test_start_page_links_each_persona_to_their_timetables(city, lessons):
    class_link = reverse("timetable:class_week", args=[city.class_in.pk])
    my_week = reverse("timetable:my_week")
    for persona, expected, absent in [
        ("teacher", [my_week], []),
        ("pupil_in", [class_link], [my_week]),
        ("parent", [class_link], [my_week]),
        ("other_parent", [], [class_link]),
        ("admin_one", [class_link, generate_url(city.class_in)], []),
        ("admin_two", [], [class_link]),
    ]:
        response = signed_in(getattr(city, persona)).get(reverse("timetable:index"))
        # One timetable of one's own opens at once; otherwise a page of links.
        body = response.get("Location") or response.content.decode()
        assert all(link in body for link in expected), persona
        assert not any(link in body for link in absent), persona
