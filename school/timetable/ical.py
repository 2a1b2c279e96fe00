"""A timetable as an iCalendar document (RFC 5545), for phones' calendars."""

import datetime
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from school.models import CalendarFeed, Lesson, LessonStatus

PRODID = "-//City school platform//Timetable//RU"


def _event(lesson: Lesson, zone: zoneinfo.ZoneInfo, stamp, domain: str):
    starts = datetime.datetime.combine(lesson.date, lesson.slot.starts_at, zone)
    ends = datetime.datetime.combine(lesson.date, lesson.slot.ends_at, zone)
    teacher = lesson.given_by
    lines = [
        _("Class %(class)s") % {"class": lesson.class_group.name},
        _("Teacher: %(teacher)s") % {"teacher": teacher},
    ]
    if lesson.substitute_id:
        lines.append(_("Substitution"))
    if lesson.topic:
        lines.insert(0, _("Topic: %(topic)s") % {"topic": lesson.topic})
    cancelled = lesson.status == LessonStatus.CANCELLED
    return icalendar.Event.new(
        # Stable per lesson, so a move or a change updates the event in place.
        uid=f"lesson-{lesson.pk}@{domain}",
        start=starts,
        end=ends,
        stamp=stamp,
        summary=lesson.subject.name,
        location=lesson.room or None,
        description="\n".join(lines),
        status="CANCELLED" if cancelled else "CONFIRMED",
    )


def timetable_calendar(
    *, feed: CalendarFeed, lessons: Iterable[Lesson], name: str, domain: str
) -> bytes:
    """The feed's lessons as VEVENTs in the city's time zone, with its VTIMEZONE."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = icalendar.Calendar.new(
        prodid=PRODID, name=name, uid=f"feed-{feed.pk}@{domain}"
    )
    for lesson in lessons:
        calendar.add_component(_event(lesson, zone, stamp, domain))
    calendar.add_missing_timezones()
    return calendar.to_ical()
