"""The notifications page and the device's subscription, through the views.

Personas: tests/conftest.py `city` (Петя in 5А with his parent Ольга; Вася in
7Б with Игорь)."""

import json

import pytest
from django.urls import reverse

from school.models import PushQuietHours, PushSubscription, PushTopic

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


def signed_in(client, user):
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


def subscription(endpoint=ENDPOINT) -> str:
    return json.dumps({"endpoint": endpoint, "keys": {"p256dh": "BAbc", "auth": "xyz"}})


def test_a_parent_chooses_what_to_hear_about_their_child_and_when(client, city):
    client = signed_in(client, city.parent)
    page = client.get(reverse("push_settings")).content.decode()
    assert city.pupil_in.full_name in page
    assert city.pupil_out.full_name not in page
    response = client.post(
        reverse("push_settings"),
        {
            f"{city.pupil_in.pk}:mark": "on",
            f"{city.pupil_in.pk}:attendance": "on",
            f"{city.pupil_out.pk}:mark": "on",  # another family's child: ignored
            "quiet_from": "22:00",
            "quiet_to": "07:00",
        },
    )
    assert response.status_code == 302
    topics = set(PushTopic.objects.values_list("user_id", "pupil_id", "kind"))
    assert topics == {
        (city.parent.pk, city.pupil_in.pk, "mark"),
        (city.parent.pk, city.pupil_in.pk, "attendance"),
    }
    quiet = PushQuietHours.objects.get(user=city.parent)
    assert (quiet.starts_at.hour, quiet.ends_at.hour) == (22, 7)
    # Turned off again: the rows go.
    client.post(reverse("push_settings"), {"quiet_from": "", "quiet_to": ""})
    assert not PushTopic.objects.exists()
    assert not PushQuietHours.objects.exists()


def test_the_device_subscribes_and_unsubscribes(client, city):
    client = signed_in(client, city.pupil_in)
    add = client.post(
        reverse("push_subscription_add"),
        subscription(),
        content_type="application/json",
    )
    assert add.status_code == 201
    assert PushSubscription.objects.get().user == city.pupil_in
    client.post(
        reverse("push_subscription_remove"),
        subscription(),
        content_type="application/json",
    )
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"endpoint": ENDPOINT}),
        subscription("https://intranet.example/admin"),
        "x" * 5000,
    ],
)
def test_a_bad_subscription_is_refused_with_a_reason(client, city, body):
    client = signed_in(client, city.parent)
    response = client.post(
        reverse("push_subscription_add"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "admin_one"])
def test_people_who_follow_no_pupil_have_no_notifications_page(client, city, persona):
    client = signed_in(client, getattr(city, persona))
    assert client.get(reverse("push_settings")).status_code == 404
    response = client.post(
        reverse("push_subscription_add"),
        subscription(),
        content_type="application/json",
    )
    assert response.status_code == 404
