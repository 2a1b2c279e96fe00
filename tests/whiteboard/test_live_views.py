"""Live-lesson pages for each persona: start, console, pen forms, end, join, room."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from whiteboard import live
from whiteboard.models import LiveSession, Pen

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def session(city, lesson):
    return live.live_session_start(teacher=city.teacher, lesson=lesson)


OUTSIDERS = ["other_teacher", "pupil_out", "parent", "other_parent", "admin_one"]


def test_the_teacher_starts_the_lesson_and_lands_on_the_console(city, lesson):
    response = client_for(city.teacher).post(
        reverse("whiteboard:live_start", args=[lesson.pk])
    )
    session = LiveSession.objects.get(lesson=lesson)
    assert response.url == reverse("whiteboard:live_console", args=[session.pk])
    page = client_for(city.teacher).get(response.url)
    assert page.status_code == 200
    assert session.code in page.content.decode()


def test_the_lesson_plan_page_offers_to_start_it(city, lesson):
    page = client_for(city.teacher).get(reverse("lessons:plan", args=[lesson.pk]))
    start = reverse("whiteboard:live_start", args=[lesson.pk])
    assert f'action="{start}"' in page.content.decode()


def test_starting_twice_opens_the_same_session(city, lesson):
    client = client_for(city.teacher)
    url = reverse("whiteboard:live_start", args=[lesson.pk])
    assert client.post(url).url == client.post(url).url
    assert LiveSession.objects.count() == 1


def test_start_is_post_only(city, lesson):
    url = reverse("whiteboard:live_start", args=[lesson.pk])
    assert client_for(city.teacher).get(url).status_code == 405


@pytest.mark.parametrize("persona", [*OUTSIDERS, "pupil_in"])
def test_nobody_else_starts_or_controls_it(city, lesson, session, persona):
    client = client_for(getattr(city, persona))
    other = factories.make_lesson(city.class_in, city.maths, city.teacher, number=2)
    assert (
        client.post(reverse("whiteboard:live_start", args=[other.pk])).status_code
        == 404
    )
    assert not LiveSession.objects.filter(lesson=other).exists()
    for name in ("live_console",):
        assert (
            client.get(reverse(f"whiteboard:{name}", args=[session.pk])).status_code
            == 404
        )
    for name in ("live_pen", "live_end"):
        url = reverse(f"whiteboard:{name}", args=[session.pk])
        assert client.post(url, {"everyone": "1"}).status_code == 404
    session.refresh_from_db()
    assert (session.pen, session.ended_at) == (Pen.NONE, None)


def test_the_console_shows_who_is_present(city, session):
    live.live_presence_enter(session=session, user=city.pupil_in)
    page = client_for(city.teacher).get(
        reverse("whiteboard:live_console", args=[session.pk])
    )
    assert f'data-user="{city.pupil_in.pk}"' in page.content.decode()


def test_the_pen_forms_give_and_take_the_pen(city, session):
    client = client_for(city.teacher)
    url = reverse("whiteboard:live_pen", args=[session.pk])
    client.post(url, {"pupil": city.pupil_in.pk})
    session.refresh_from_db()
    assert (session.pen, session.pen_holder) == (Pen.ONE, city.pupil_in)
    client.post(url, {"everyone": "1"})
    session.refresh_from_db()
    assert session.pen == Pen.ALL
    client.post(url, {"take": "1"})
    session.refresh_from_db()
    assert session.pen == Pen.NONE


def test_the_pen_form_refuses_a_pupil_of_another_class(city, session):
    client = client_for(city.teacher)
    url = reverse("whiteboard:live_pen", args=[session.pk])
    response = client.post(url, {"pupil": city.pupil_out.pk}, follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    session.refresh_from_db()
    assert session.pen == Pen.NONE


def test_ending_shows_the_proposed_attendance(city, session):
    absent = factories.make_pupil(city.class_in)
    live.live_presence_enter(session=session, user=city.pupil_in)
    response = client_for(city.teacher).post(
        reverse("whiteboard:live_end", args=[session.pk]), follow=True
    )
    assert response.status_code == 200
    assert response.context["proposal"].present == [city.pupil_in]
    assert response.context["proposal"].absent == [absent]
    session.refresh_from_db()
    assert session.ended_at is not None
    console = reverse("whiteboard:live_console", args=[session.pk])
    assert client_for(city.teacher).get(console).status_code == 404


def test_a_pupil_sees_join_and_joins_with_the_code(city, session):
    client = client_for(city.pupil_in)
    room = reverse("whiteboard:live_room", args=[session.pk])
    page = client.get(reverse("whiteboard:live_join"))
    assert room in page.content.decode()
    response = client.post(reverse("whiteboard:live_join"), {"code": session.code})
    assert response.url == room
    page = client.get(room)
    assert page.status_code == 200
    assert f'data-board="{session.board_id}"' in page.content.decode()


def test_a_code_of_another_class_does_not_let_a_pupil_in(city, session):
    client = client_for(city.pupil_out)
    response = client.post(reverse("whiteboard:live_join"), {"code": session.code})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["sessions"] == []


@pytest.mark.parametrize("persona", [*OUTSIDERS, "teacher"])
def test_the_pupils_room_is_the_classs_only(city, session, persona):
    url = reverse("whiteboard:live_room", args=[session.pk])
    assert client_for(getattr(city, persona)).get(url).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(city, session):
    url = reverse("whiteboard:live_room", args=[session.pk])
    assert client_for(None).get(url).status_code == 302


def test_the_console_costs_the_same_however_many_are_present(
    city, session, django_assert_num_queries
):
    client = client_for(city.teacher)
    url = reverse("whiteboard:live_console", args=[session.pk])
    live.live_pen_give(teacher=city.teacher, session=session, pupil=city.pupil_in)
    client.get(url)  # the session and the login are warm now
    with django_assert_num_queries(7) as one:
        client.get(url)
    for _ in range(5):
        live.live_presence_enter(
            session=session, user=factories.make_pupil(city.class_in)
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_join_page_costs_the_same_however_many_sessions_are_open(
    city, session, django_assert_num_queries
):
    client = client_for(city.pupil_in)
    url = reverse("whiteboard:live_join")
    client.get(url)
    with django_assert_num_queries(4) as one:
        client.get(url)
    for number in (2, 3):
        lesson = factories.make_lesson(
            city.class_in, city.maths, city.teacher, number=number
        )
        live.live_session_start(teacher=city.teacher, lesson=lesson)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
