"""Attendance after a live lesson: the proposal as a form, written to the register
through the school's attendance service, for the teacher who gave the lesson only."""

import asyncio
import re

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from school.attendance.services import attendance_set
from school.models import Attendance, AttendanceStatus, LessonStatus
from school.services import family_group_name
from tests import factories
from whiteboard import attendance, live

pytestmark = pytest.mark.django_db

REFUSED = ["other_teacher", "pupil_in", "pupil_out", "parent", "other_parent"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def masha(city):
    """A pupil of 5А who never joined the live lesson."""
    return factories.make_pupil(city.class_in, first_name="Маша")


@pytest.fixture
def session(city, lesson, masha):
    """A live lesson Петя joined, still open."""
    started = live.live_session_start(teacher=city.teacher, lesson=lesson)
    live.live_presence_enter(session=started, user=city.pupil_in)
    return started


@pytest.fixture
def ended(city, session):
    live.live_session_end(teacher=city.teacher, session=session)
    session.refresh_from_db()
    return session


def url_of(session) -> str:
    return reverse("whiteboard:live_attendance", args=[session.pk])


def choices(*pairs) -> dict:
    return {f"status-{pupil.pk}": status for pupil, status in pairs}


def choice_of(page: str, pupil) -> str:
    """Which radio of the pupil's fieldset is checked: "present" or "absent"."""
    fieldset = re.search(
        rf'<fieldset[^>]*data-user="{pupil.pk}".*?</fieldset>', page, re.S
    )
    assert fieldset, f"no row for {pupil}"
    checked = re.findall(r'value="(\w+)" checked', fieldset[0])
    assert len(checked) == 1
    return checked[0]


# --- The form


def test_ending_the_lesson_shows_the_form_prefilled_from_presence(city, session, masha):
    response = client_for(city.teacher).post(
        reverse("whiteboard:live_end", args=[session.pk]), follow=True
    )
    assert response.redirect_chain == [(url_of(session), 302)]
    page = response.content.decode()
    assert f'action="{url_of(session)}"' in page
    assert choice_of(page, city.pupil_in) == "present"
    assert choice_of(page, masha) == "absent"
    assert f'data-user="{city.pupil_in.pk}" data-joined="true"' in page
    assert city.pupil_out.full_name not in page
    assert not Attendance.objects.exists()  # a proposal only


def test_the_teacher_can_come_back_to_the_form(city, ended, masha):
    response = client_for(city.teacher).get(url_of(ended))
    assert response.status_code == 200
    assert choice_of(response.content.decode(), masha) == "absent"


def test_the_form_shows_what_is_already_in_the_register(city, lesson, ended, masha):
    attendance_set(
        teacher=city.teacher, lesson=lesson, pupil=masha, status=AttendanceStatus.LATE
    )
    page = client_for(city.teacher).get(url_of(ended)).content.decode()
    assert f'data-user="{masha.pk}" data-joined="false" data-recorded="late"' in page


# --- Writing


def test_writing_marks_the_absent_pupils_and_goes_to_the_register(
    city, lesson, ended, masha
):
    client = client_for(city.teacher)
    response = client.post(
        url_of(ended), choices((city.pupil_in, "present"), (masha, "absent"))
    )
    assert response.url == reverse("attendance:register", args=[lesson.pk])
    row = Attendance.objects.get()
    assert (row.pupil, row.lesson, row.status) == (masha, lesson, "absent")
    assert row.recorded_by == city.teacher
    register = client.get(response.url)
    assert list(register.context["messages"])
    lines = {line.pupil.pk: line.status for line in register.context["lines"]}
    assert lines == {city.pupil_in.pk: "present", masha.pk: "absent"}


def test_the_teacher_may_correct_the_proposal(city, ended, masha):
    client_for(city.teacher).post(
        url_of(ended), choices((city.pupil_in, "absent"), (masha, "present"))
    )
    assert list(Attendance.objects.values_list("pupil_id", "status")) == [
        (city.pupil_in.pk, "absent")
    ]


def test_a_status_entered_by_hand_is_kept(city, lesson, ended, masha):
    attendance_set(
        teacher=city.teacher, lesson=lesson, pupil=masha, status=AttendanceStatus.LATE
    )
    written = attendance.live_attendance_write(
        teacher=city.teacher, session=ended, absent=[masha, city.pupil_in]
    )
    assert (written.absent, written.kept) == ([city.pupil_in], [masha])
    assert Attendance.objects.get(pupil=masha).status == "late"
    assert Attendance.objects.get(pupil=city.pupil_in).status == "absent"


def test_sending_the_form_twice_changes_nothing_more(city, ended, masha):
    client = client_for(city.teacher)
    for _ in range(2):
        client.post(url_of(ended), choices((masha, "absent")))
    assert Attendance.objects.count() == 1


def test_the_family_hears_of_the_absence_after_commit(
    city, ended, masha, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attendance.live_attendance_write(
            teacher=city.teacher, session=ended, absent=[masha]
        )
    assert len(callbacks) == 1  # the attendance service's own event

    async def listen_then_commit():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(family_group_name(masha.pk), channel)
        await sync_to_async(callbacks[0])()
        return await asyncio.wait_for(layer.receive(channel), timeout=10)

    message = async_to_sync(listen_then_commit)()
    assert (message["kind"], message["data"]["status"]) == ("attendance", "absent")


def test_the_substitute_who_gave_the_lesson_writes_it(city, lesson, masha):
    substitute = factories.make_teacher(city.class_in, city.maths)
    lesson.substitute = substitute
    lesson.save(update_fields=["substitute"])
    session = live.live_session_start(teacher=substitute, lesson=lesson)
    live.live_session_end(teacher=substitute, session=session)
    response = client_for(substitute).post(url_of(session), choices((masha, "absent")))
    assert response.status_code == 302
    assert Attendance.objects.get().recorded_by == substitute
    # The class's own teacher did not give this lesson.
    assert client_for(city.teacher).get(url_of(session)).status_code == 404


# --- Refusals


@pytest.mark.parametrize("persona", [*REFUSED, "admin_one"])
def test_nobody_else_sees_or_writes_it(city, ended, masha, persona):
    client = client_for(getattr(city, persona))
    assert client.get(url_of(ended)).status_code == 404
    response = client.post(url_of(ended), choices((masha, "absent")))
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_another_teacher_of_the_class_who_did_not_give_it_is_refused(city, ended):
    colleague = factories.make_teacher(city.class_in, factories.SubjectFactory())
    assert client_for(colleague).get(url_of(ended)).status_code == 404


def test_not_while_the_lesson_is_live(city, session, masha):
    client = client_for(city.teacher)
    assert client.post(url_of(session), choices((masha, "absent"))).status_code == 404
    with pytest.raises(PermissionDenied):
        attendance.live_attendance_write(
            teacher=city.teacher, session=session, absent=[masha]
        )
    assert not Attendance.objects.exists()


def test_the_service_refuses_another_teacher(city, ended, masha):
    with pytest.raises(PermissionDenied):
        attendance.live_attendance_write(
            teacher=city.other_teacher, session=ended, absent=[masha]
        )
    assert not Attendance.objects.exists()


def test_a_pupil_of_another_class_is_refused_and_nothing_is_written(
    city, ended, masha, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(city.teacher).post(
            url_of(ended), choices((masha, "absent"), (city.pupil_out, "absent"))
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert choice_of(page, masha) == "absent"  # the teacher's choices stay
    assert not Attendance.objects.exists()
    assert callbacks == []
    with pytest.raises(ValidationError):
        attendance.live_attendance_write(
            teacher=city.teacher, session=ended, absent=[masha, city.pupil_out]
        )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"status-999999": "absent"},
        {"status-abc": "absent"},
        {"status-" + "9" * 40: "absent"},
        {"status-²": "absent"},
        {"status-{pupil}": "maybe"},
    ],
    ids=["unknown", "not-a-number", "huge", "unicode-digit", "bad-choice"],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(city, ended, masha, data):
    data = {key.replace("{pupil}", str(masha.pk)): v for key, v in data.items()}
    data[f"status-{city.pupil_in.pk}"] = "absent"
    response = client_for(city.teacher).post(url_of(ended), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_cancelled_lesson_has_no_register_to_write(city, lesson, ended, masha):
    lesson.status = LessonStatus.CANCELLED
    lesson.save(update_fields=["status"])
    response = client_for(city.teacher).post(
        url_of(ended), choices((city.pupil_in, "absent"), (masha, "absent"))
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_only_get_and_post(city, ended):
    assert client_for(city.teacher).put(url_of(ended)).status_code == 405
