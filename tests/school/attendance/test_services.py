"""Attendance writes: who takes the register, statuses, notices, live events."""

import asyncio
import datetime

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from school.attendance import selectors, services
from school.models import AbsenceNotice, Attendance, LessonStatus
from school.services import family_group_name
from tests import factories

pytestmark = pytest.mark.django_db


def mark(city, lesson, status, teacher=None, **kwargs):
    return services.attendance_set(
        teacher=teacher or city.teacher,
        lesson=lesson,
        pupil=kwargs.pop("pupil", city.pupil_in),
        status=status,
        **kwargs,
    )


def notice(city, start=None, end=None, pupil=None):
    today = timezone.localdate()
    return services.absence_notice_create(
        parent=city.parent,
        pupil=pupil or city.pupil_in,
        starts_on=start or today,
        ends_on=end or today,
        reason="Температура",
    )


@pytest.mark.parametrize("status", ["absent", "late", "excused"])
def test_teacher_records_a_status_and_present_removes_it(city, lesson, status):
    assert mark(city, lesson, status) == status
    assert Attendance.objects.get().status == status
    assert mark(city, lesson, "present") == "present"
    assert not Attendance.objects.exists()


def test_the_substitute_and_the_class_teacher_may_write(city, lesson, substitute):
    mark(city, lesson, "absent", teacher=substitute)
    assert Attendance.objects.get().recorded_by == substitute
    mark(city, lesson, "late", teacher=city.teacher)
    assert Attendance.objects.get().status == "late"


@pytest.mark.parametrize(
    "name", ["other_teacher", "admin_one", "parent", "pupil_in", "pupil_out"]
)
def test_nobody_else_takes_the_register(city, lesson, name):
    with pytest.raises(PermissionDenied):
        mark(city, lesson, "absent", teacher=getattr(city, name))
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", ["", "ABSENT", "sick", None, 1])
def test_an_unknown_status_is_refused(city, lesson, status):
    with pytest.raises(ValidationError):
        mark(city, lesson, status)
    assert not Attendance.objects.exists()


def test_a_pupil_of_another_class_or_a_cancelled_lesson_is_refused(city, lesson):
    with pytest.raises(ValidationError):
        mark(city, lesson, "absent", pupil=city.pupil_out)
    lesson.status = LessonStatus.CANCELLED
    lesson.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        mark(city, lesson, "absent")
    assert not Attendance.objects.exists()


def test_a_lesson_outside_its_term_is_refused(city):
    term = factories.make_term(city.class_in)
    outside = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=term.ends_on + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        mark(city, outside, "absent")


def test_a_notice_shows_as_excused_and_keeps_the_teachers_record(city, lesson):
    notice(city)
    # No row yet: the lesson already shows as excused.
    assert selectors.lesson_register(lesson=lesson)[0].status == "excused"
    assert mark(city, lesson, "absent") == "excused"
    assert Attendance.objects.get().status == "absent"
    # The pupil came after all: an explicit "present" beats the notice.
    assert mark(city, lesson, "present") == "present"
    assert Attendance.objects.get().status == "present"
    assert selectors.lesson_register(lesson=lesson)[0].status == "present"
    assert mark(city, lesson, "late") == "late"


def test_the_family_hears_of_it_only_after_commit(
    city, lesson, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark(city, lesson, "absent")
    assert len(callbacks) == 1  # nothing is sent before the commit

    async def listen_then_commit():
        # One event loop for the listener: the Redis pub/sub layer needs it.
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(family_group_name(city.pupil_in.pk), channel)
        await sync_to_async(callbacks[0])()
        return await asyncio.wait_for(layer.receive(channel), timeout=10)

    message = async_to_sync(listen_then_commit)()
    assert message["kind"] == "attendance"
    assert message["data"]["status"] == "absent"
    assert message["data"]["lesson_id"] == lesson.pk


def test_a_refused_write_sends_nothing(
    city, lesson, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(PermissionDenied):
            mark(city, lesson, "absent", teacher=city.other_teacher)
    assert callbacks == []


def test_parent_announces_for_their_own_child_only(city):
    created = notice(city)
    assert created.announced_by == city.parent
    with pytest.raises(PermissionDenied):
        notice(city, pupil=city.pupil_out)
    assert AbsenceNotice.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 0), (2, 1), (0, 31)],
    ids=["in the past", "ends before it starts", "too long"],
)
def test_notice_dates_are_checked(city, start, end):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        notice(
            city,
            start=today + datetime.timedelta(days=start),
            end=today + datetime.timedelta(days=end),
        )
    assert not AbsenceNotice.objects.exists()
