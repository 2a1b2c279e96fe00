"""Web Push: the devices a person turned notifications on for, what they want to
hear about, and the queue of messages on their way (sent after commit, retried)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from school.models.structure import User


class PushKind(models.TextChoices):
    MARK = "mark", _("New marks")
    ATTENDANCE = "attendance", _("Absences and lateness")
    HOMEWORK = "homework", _("New homework")
    BADGE = "badge", _("Badges earned")


class PushSubscription(models.Model):
    """One browser or installed app that accepts pushes (the Push API's
    subscription: the push service's endpoint and the keys to encrypt for)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.endpoint[:40]}"


class PushTopic(models.Model):
    """What a person turned on: one kind of news about one child (for a pupil,
    about themselves). Off unless a row says on."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_topics")
    pupil = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=PushKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "pupil", "kind"], name="push_topic_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.pupil} · {self.kind}"


class PushQuietHours(models.Model):
    """No pushes between `starts_at` and `ends_at` (local time, may cross
    midnight): messages wait until the quiet hours end."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="push_quiet_hours"
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    def __str__(self) -> str:
        return f"{self.user}: {self.starts_at}–{self.ends_at}"


class PushMessageStatus(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class PushMessage(models.Model):
    """A message for one subscription, queued after the commit that caused it;
    the sender takes due ones, retries failures with a growing delay, and drops
    the subscription when the push service says it is gone."""

    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="messages"
    )
    payload = models.JSONField()
    status = models.CharField(
        max_length=10,
        choices=PushMessageStatus.choices,
        default=PushMessageStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.subscription} · {self.status}"
