"""Web Push: subscribing a device, choosing what to hear, queueing after commit
and sending with retries (pywebpush signs with VAPID and encrypts each payload
for its subscription, RFC 8291)."""

import datetime
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from school.models import (
    PushKind,
    PushMessage,
    PushMessageStatus,
    PushQuietHours,
    PushSubscription,
    PushTopic,
    User,
)
from school.push import access, keys
from school.push.messages import push_message

# Waits after a failed send; after the last one the message is given up.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)
GONE = {404, 410}  # the push service forgot the subscription (RFC 8030 §7.3)
TIME_TO_LIVE = 24 * 60 * 60  # a day-old mark is still news
SEND_TIMEOUT = 10


def subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Keeps the device's subscription. Only push services' addresses are
    taken (WEBPUSH_ENDPOINT_HOSTS): the server will post to it."""
    parts = urlsplit(endpoint)
    allowed = settings.WEBPUSH_ENDPOINT_HOSTS
    host_ok = any(
        parts.hostname == host or (parts.hostname or "").endswith("." + host)
        for host in allowed
    )
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and settings.WEBPUSH_HTTP_ENDPOINTS_ALLOWED
    )
    if not (host_ok and secure) or not p256dh or not auth:
        raise ValidationError(_("This is not a push service's subscription."))
    if len(endpoint) > 1000 or len(p256dh) > 200 or len(auth) > 100:
        raise ValidationError(_("This is not a push service's subscription."))
    # A device that changed hands is now the new person's.
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def subscription_remove(*, user: User, endpoint: str) -> int:
    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]


@transaction.atomic
def topics_set(*, user: User, pupil: User, kinds) -> None:
    """What `user` hears about `pupil` from now on: exactly `kinds`."""
    if not access.may_follow(user, pupil):
        raise PermissionDenied(_("You may not follow this pupil."))
    wanted = {PushKind(kind) for kind in kinds}
    PushTopic.objects.filter(user=user, pupil=pupil).exclude(kind__in=wanted).delete()
    for kind in wanted:
        PushTopic.objects.get_or_create(user=user, pupil=pupil, kind=kind)


def quiet_hours_set(
    *, user: User, starts_at: datetime.time | None, ends_at: datetime.time | None
) -> None:
    if starts_at is None or ends_at is None or starts_at == ends_at:
        PushQuietHours.objects.filter(user=user).delete()
        return
    PushQuietHours.objects.update_or_create(
        user=user, defaults={"starts_at": starts_at, "ends_at": ends_at}
    )


def quiet_until(hours: PushQuietHours | None, now: datetime.datetime):
    """When the person's quiet hours that cover `now` end; `now` if none do."""
    if hours is None:
        return now
    local = timezone.localtime(now)
    start, end, time = hours.starts_at, hours.ends_at, local.time()
    crosses_midnight = start > end
    inside = (start <= time or time < end) if crosses_midnight else start <= time < end
    if not inside:
        return now
    end_day = local.date()
    if crosses_midnight and time >= start:
        end_day += datetime.timedelta(days=1)
    ends = datetime.datetime.combine(end_day, end, tzinfo=local.tzinfo)
    return ends


def push_enqueue(*, pupil_id: int, kind: str, data: dict) -> int:
    """Queues the pushes a diary event makes, for every device of the people
    who turned that kind on for this pupil and still may follow them. Called
    after the event's commit (family_event_send); returns how many."""
    if not PushTopic.objects.filter(pupil_id=pupil_id).exists():
        return 0  # the usual case: nobody turned pushes on for this pupil
    pupil = User.objects.filter(pk=pupil_id).only("first_name", "username").first()
    if pupil is None or keys.vapid() is None:
        return 0
    found = push_message(
        kind=kind, name=pupil.first_name or pupil.username, pupil_id=pupil_id, data=data
    )
    if found is None:
        return 0
    push_kind, payload = found
    listeners = set(
        PushTopic.objects.filter(pupil_id=pupil_id, kind=push_kind).values_list(
            "user_id", flat=True
        )
    ) & access.followers_of(pupil_id)
    now = timezone.now()
    quiet = {
        hours.user_id: hours
        for hours in PushQuietHours.objects.filter(user_id__in=listeners)
    }
    messages = [
        PushMessage(
            subscription=subscription,
            payload=payload,
            due_at=quiet_until(quiet.get(subscription.user_id), now),
        )
        for subscription in PushSubscription.objects.filter(user_id__in=listeners)
    ]
    PushMessage.objects.bulk_create(messages)
    return len(messages)


def _send(message: PushMessage) -> None:
    subscription = message.subscription
    webpush(
        subscription_info={
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        },
        data=json.dumps(message.payload, ensure_ascii=False),
        vapid_private_key=keys.vapid(),
        vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
        ttl=TIME_TO_LIVE,
        timeout=SEND_TIMEOUT,
    )


def push_send_due(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Sends the queued messages that are due; returns how many were sent.

    A message whose subscription the push service reports gone removes the
    subscription (and its other messages); any other failure waits and tries
    again (RETRY_DELAYS), then gives up. Rows are locked while sent, so several
    senders never send one message twice (SKIP LOCKED on PostgreSQL).
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = (
            PushMessage.objects.select_for_update(skip_locked=True)
            .filter(status=PushMessageStatus.PENDING, due_at__lte=now)
            .select_related("subscription")
            .order_by("due_at")[:limit]
        )
        for message in list(due):
            try:
                _send(message)
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                if status in GONE:
                    message.subscription.delete()
                    continue
                _retry_later(message, now, f"{status}: {error.message}"[:300])
            except OSError as error:  # the push service did not answer
                _retry_later(message, now, str(error)[:300])
            else:
                message.status = PushMessageStatus.SENT
                message.sent_at = now
                message.attempts += 1
                message.save(update_fields=["status", "sent_at", "attempts"])
                sent += 1
    return sent


def _retry_later(message: PushMessage, now: datetime.datetime, error: str) -> None:
    message.attempts += 1
    message.last_error = error
    if message.attempts > len(RETRY_DELAYS):
        message.status = PushMessageStatus.FAILED
    else:
        message.due_at = now + RETRY_DELAYS[message.attempts - 1]
    message.save(update_fields=["attempts", "last_error", "status", "due_at"])
