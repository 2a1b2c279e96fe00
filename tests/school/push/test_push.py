"""Web Push end to end on the server's side: a diary event, after its commit,
becomes a queued message for each device of the people who turned that kind on,
and the sender delivers it to a push service on loopback, which checks the
VAPID signature and decrypts the payload with the subscription's keys.

Personas: tests/conftest.py `city` (Петя in 5А, his parent Ольга; Вася in 7Б
with Игорь).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from school.gradebook.services import mark_set
from school.models import (
    Guardianship,
    PushKind,
    PushMessage,
    PushMessageStatus,
    PushSubscription,
    WorkType,
)
from school.push import services
from tests import factories
from tests.school.push.receiver import PushService, b64url

pytestmark = pytest.mark.django_db


@pytest.fixture
def push_service(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # a VAPID key of this test's own
    services.keys.vapid.cache_clear()
    with PushService() as service:
        yield service
    services.keys.vapid.cache_clear()


def subscribe(service, user):
    device = service.device()
    services.subscription_save(
        user=user,
        endpoint=service.endpoint(device),
        p256dh=device.p256dh,
        auth=b64url(device.auth),
    )
    return device


def give_mark(city, run_on_commit, value=5):
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    with run_on_commit(execute=True):
        mark_set(
            teacher=city.teacher,
            lesson=lesson,
            pupil=city.pupil_in,
            work_type=WorkType.objects.get(code="test"),
            value=value,
        )


def test_a_parent_gets_a_push_for_a_new_mark(
    city, push_service, django_capture_on_commit_callbacks
):
    phone = subscribe(push_service, city.parent)
    services.topics_set(user=city.parent, pupil=city.pupil_in, kinds=[PushKind.MARK])

    give_mark(city, django_capture_on_commit_callbacks)
    assert services.push_send_due() == 1

    assert push_service.refusals == []
    (message,) = phone.received
    assert message["title"] == "Новая оценка"
    assert "5" in message["body"] and city.maths.name in message["body"]
    assert message["url"] == f"/diary/{city.pupil_in.pk}/"
    assert PushMessage.objects.get().status == PushMessageStatus.SENT


def test_nothing_is_sent_for_a_kind_not_turned_on_or_to_other_families(
    city, push_service, django_capture_on_commit_callbacks
):
    phone = subscribe(push_service, city.parent)
    services.topics_set(
        user=city.parent, pupil=city.pupil_in, kinds=[PushKind.HOMEWORK]
    )
    stranger = subscribe(push_service, city.other_parent)
    with pytest.raises(PermissionDenied):
        services.topics_set(
            user=city.other_parent, pupil=city.pupil_in, kinds=[PushKind.MARK]
        )
    give_mark(city, django_capture_on_commit_callbacks)
    services.push_send_due()
    assert phone.received == [] and stranger.received == []


def test_a_parent_unlinked_from_the_child_hears_nothing_more(
    city, push_service, django_capture_on_commit_callbacks
):
    phone = subscribe(push_service, city.parent)
    services.topics_set(user=city.parent, pupil=city.pupil_in, kinds=[PushKind.MARK])
    Guardianship.objects.filter(parent=city.parent).delete()
    give_mark(city, django_capture_on_commit_callbacks)
    services.push_send_due()
    assert phone.received == []


def test_quiet_hours_hold_the_push_until_they_end(
    city, push_service, django_capture_on_commit_callbacks
):
    phone = subscribe(push_service, city.parent)
    services.topics_set(user=city.parent, pupil=city.pupil_in, kinds=[PushKind.MARK])
    now = timezone.localtime()
    # Quiet from an hour ago to an hour from now (crossing midnight or not).
    starts = (now - datetime.timedelta(hours=1)).time().replace(microsecond=0)
    ends = (now + datetime.timedelta(hours=1)).time().replace(microsecond=0)
    services.quiet_hours_set(user=city.parent, starts_at=starts, ends_at=ends)

    give_mark(city, django_capture_on_commit_callbacks)
    assert services.push_send_due() == 0
    assert phone.received == []
    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    assert services.push_send_due(now=later) == 1
    assert len(phone.received) == 1


def test_a_subscription_the_push_service_forgot_is_removed(
    city, push_service, django_capture_on_commit_callbacks
):
    phone = subscribe(push_service, city.parent)
    phone.answer = 410
    services.topics_set(user=city.parent, pupil=city.pupil_in, kinds=[PushKind.MARK])
    give_mark(city, django_capture_on_commit_callbacks)
    assert services.push_send_due() == 0
    assert not PushSubscription.objects.exists()
    assert not PushMessage.objects.exists()


def test_a_failed_send_is_tried_again_later(
    city, push_service, django_capture_on_commit_callbacks
):
    phone = subscribe(push_service, city.parent)
    phone.failures_left = 1
    services.topics_set(user=city.parent, pupil=city.pupil_in, kinds=[PushKind.MARK])
    give_mark(city, django_capture_on_commit_callbacks)
    assert services.push_send_due() == 0
    message = PushMessage.objects.get()
    assert (message.status, message.attempts) == (PushMessageStatus.PENDING, 1)
    assert services.push_send_due() == 0  # not due yet
    assert services.push_send_due(now=message.due_at) == 1
    assert len(phone.received) == 1


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://169.254.169.254/latest/meta-data/",  # not a push service: SSRF
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://fcm.googleapis.com.evil.example/x",
        "not a url",
    ],
)
def test_only_push_services_are_taken_as_endpoints(city, settings, endpoint):
    settings.WEBPUSH_HTTP_ENDPOINTS_ALLOWED = False
    with pytest.raises(ValidationError):
        services.subscription_save(
            user=city.parent, endpoint=endpoint, p256dh="x", auth="y"
        )
    assert not PushSubscription.objects.exists()
