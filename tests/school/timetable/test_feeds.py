"""Secret iCalendar feeds: events a phone's calendar can read, and URLs that stop
working the moment they are revoked."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from school.models import CalendarFeed, Guardianship, Lesson
from school.timetable.services import (
    calendar_feed_create,
    lesson_cancel,
    lesson_substitute,
    lessons_generate_for_term,
)
from tests.school.timetable.conftest import signed_in

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


@pytest.fixture
def lessons(city, timetable) -> list[Lesson]:
    lessons_generate_for_term(class_group=city.class_in, term=timetable.term)
    return list(Lesson.objects.filter(class_group=city.class_in).order_by("date"))


def feed_url(feed: CalendarFeed) -> str:
    return reverse("timetable:feed", args=[feed.token])


def download(feed: CalendarFeed):
    """As a calendar app fetches it: no session, no cookies."""
    return Client().get(feed_url(feed))


def events_of(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event.uid): event for event in calendar.events}


def create_through_page(client, pupil=None):
    data = {"pupil": pupil.pk} if pupil else {}
    return client.post(reverse("timetable:feed_create"), data)


def test_pupil_feed_has_an_event_per_lesson_in_moscow_time(city, timetable, lessons):
    lessons[0].topic = "Натуральные числа"
    lessons[0].save(update_fields=["topic"])
    lesson_cancel(lesson=lessons[-1], by=city.admin_one)
    create_through_page(signed_in(city.pupil_in), city.pupil_in)
    feed = CalendarFeed.objects.get(user=city.pupil_in)
    response = download(feed)
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Moscow"]
    events = events_of(response)
    assert len(events) == len(lessons)
    first = events[f"lesson-{lessons[0].pk}@testserver"]
    slot = timetable.bells[0]
    assert first.start == datetime.datetime.combine(
        lessons[0].date, slot.starts_at, MOSCOW
    )
    assert first.end == datetime.datetime.combine(lessons[0].date, slot.ends_at, MOSCOW)
    assert first.start.utcoffset() == datetime.timedelta(hours=3)
    assert str(first["SUMMARY"]) == "Математика"
    assert str(first["LOCATION"]) == "21"
    assert "Натуральные числа" in str(first["DESCRIPTION"])
    assert first["STATUS"] == "CONFIRMED"
    assert events[f"lesson-{lessons[-1].pk}@testserver"]["STATUS"] == "CANCELLED"


def test_event_uids_are_stable_between_downloads(city, lessons):
    feed = calendar_feed_create(user=city.pupil_in, pupil=city.pupil_in)
    first = set(events_of(download(feed)))
    lessons[2].topic = "Новая тема"
    lessons[2].save(update_fields=["topic"])
    assert set(events_of(download(feed))) == first


def test_teacher_feed_follows_substitutions(city, timetable, lessons):
    future = [lesson for lesson in lessons if lesson.date > timezone.localdate()]
    lesson_substitute(
        lesson=future[0], substitute=timetable.substitute, by=city.admin_one
    )
    own = calendar_feed_create(user=city.teacher)
    substitute = calendar_feed_create(user=timetable.substitute)
    own_events = events_of(download(own))
    assert len(own_events) == len(lessons) - 1
    assert f"lesson-{future[0].pk}@testserver" not in own_events
    assert list(events_of(download(substitute))) == [
        f"lesson-{future[0].pk}@testserver"
    ]


def test_parent_subscribes_to_a_child_but_not_to_another_familys(city, lessons):
    client = signed_in(city.parent)
    assert create_through_page(client, city.pupil_in).status_code == 302
    feed = CalendarFeed.objects.get(user=city.parent, pupil=city.pupil_in)
    assert len(events_of(download(feed))) == len(lessons)
    response = create_through_page(client, city.pupil_out)
    assert response.status_code == 404
    assert not CalendarFeed.objects.filter(pupil=city.pupil_out).exists()


@pytest.mark.parametrize(
    "persona,whose",
    [
        ("pupil_in", None),  # a pupil has no teaching lessons
        ("pupil_in", "pupil_out"),
        ("parent", None),
        ("other_parent", "pupil_in"),
        ("teacher", "pupil_in"),  # teaching a pupil is not being their parent
        ("admin_one", "pupil_in"),
    ],
)
def test_nobody_subscribes_to_a_timetable_not_theirs(city, persona, whose):
    pupil = getattr(city, whose) if whose else None
    response = create_through_page(signed_in(getattr(city, persona)), pupil)
    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_revoked_and_unknown_tokens_answer_404(city, lessons):
    client = signed_in(city.pupil_in)
    create_through_page(client, city.pupil_in)
    feed = CalendarFeed.objects.get(user=city.pupil_in)
    assert download(feed).status_code == 200
    response = client.post(reverse("timetable:feed_revoke", args=[feed.pk]))
    assert response.status_code == 302
    assert download(feed).status_code == 404
    unknown = Client().get(reverse("timetable:feed", args=["x" * 43]))
    assert unknown.status_code == 404


def test_a_new_url_locks_out_the_old_one(city, lessons):
    client = signed_in(city.pupil_in)
    create_through_page(client, city.pupil_in)
    old = CalendarFeed.objects.get(user=city.pupil_in)
    create_through_page(client, city.pupil_in)
    new = CalendarFeed.objects.get(user=city.pupil_in, revoked_at__isnull=True)
    assert new.token != old.token
    assert download(old).status_code == 404
    assert download(new).status_code == 200


def test_someone_elses_feed_cannot_be_revoked(city, lessons):
    feed = calendar_feed_create(user=city.pupil_in, pupil=city.pupil_in)
    url = reverse("timetable:feed_revoke", args=[feed.pk])
    for persona in ("parent", "admin_one", "pupil_out"):
        assert signed_in(getattr(city, persona)).post(url).status_code == 404
    assert download(feed).status_code == 200


def test_a_feed_dies_with_the_family_link(city, lessons):
    feed = calendar_feed_create(user=city.parent, pupil=city.pupil_in)
    assert download(feed).status_code == 200
    Guardianship.objects.filter(parent=city.parent).delete()
    assert download(feed).status_code == 404


def test_feed_page_lists_own_and_childrens_timetables(city, lessons):
    teacher_parent = city.teacher
    teacher_parent.role_grants.create(role="parent")
    Guardianship.objects.create(parent=teacher_parent, pupil=city.pupil_out)
    feed = calendar_feed_create(user=teacher_parent)
    response = signed_in(teacher_parent).get(reverse("timetable:feeds"))
    body = response.content.decode()
    assert feed_url(feed) in body
    assert city.pupil_out.full_name in body
    assert reverse("timetable:feed_revoke", args=[feed.pk]) in body
    other = calendar_feed_create(user=city.pupil_in, pupil=city.pupil_in)
    assert other.token not in body
    assert (
        other.token
        not in signed_in(city.parent).get(reverse("timetable:feeds")).content.decode()
    )
