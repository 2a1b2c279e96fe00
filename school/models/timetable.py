"""The timetable: bells, a weekly pattern per class, the dated lessons it makes."""

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from school.models.structure import ClassGroup, School, Subject, Term, User


class LessonSlot(models.Model):
    """One period of a school's bell schedule ("3rd lesson, 10:05–10:50")."""

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="lesson_slots",
        verbose_name=_("school"),
    )
    number = models.PositiveSmallIntegerField(_("lesson number"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["school", "number"]
        verbose_name = _("bell")
        verbose_name_plural = _("bell schedule")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="unique_slot_number"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class WeeklySlot(models.Model):
    """A line of a class's weekly pattern: this weekday, this period, this subject."""

    class_group = models.ForeignKey(
        ClassGroup,
        on_delete=models.CASCADE,
        related_name="weekly_slots",
        verbose_name=_("class"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), help_text=_("1 is Monday, 6 is Saturday.")
    )
    slot = models.ForeignKey(
        LessonSlot, on_delete=models.PROTECT, related_name="+", verbose_name=_("lesson")
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    teacher = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="weekly_slots",
        verbose_name=_("teacher"),
    )
    room = models.CharField(_("room"), max_length=32, blank=True)

    class Meta:
        ordering = ["class_group", "weekday", "slot__number"]
        verbose_name = _("weekly timetable line")
        verbose_name_plural = _("weekly timetable")
        constraints = [
            models.UniqueConstraint(
                fields=["class_group", "weekday", "slot"], name="unique_weekly_slot"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=7), name="weekday_1_to_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.class_group} {self.weekday}/{self.slot.number} {self.subject}"


class LessonStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class LessonQuerySet(models.QuerySet):
    def held(self) -> "LessonQuerySet":
        return self.exclude(status=LessonStatus.CANCELLED)

    def taught_by(self, teacher: User) -> "LessonQuerySet":
        """Lessons this teacher gives: their own, or ones they substitute."""
        return self.filter(
            Q(substitute=teacher) | Q(teacher=teacher, substitute__isnull=True)
        )


class Lesson(models.Model):
    """A dated lesson of a class: what the journal, the diary and homework hang on."""

    class_group = models.ForeignKey(
        ClassGroup,
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("class"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("subject"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="lessons", verbose_name=_("term")
    )
    teacher = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("teacher"),
    )
    substitute = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_lessons",
        verbose_name=_("substitute teacher"),
    )
    date = models.DateField(_("date"))
    slot = models.ForeignKey(
        LessonSlot, on_delete=models.PROTECT, related_name="+", verbose_name=_("lesson")
    )
    room = models.CharField(_("room"), max_length=32, blank=True)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=LessonStatus.choices,
        default=LessonStatus.SCHEDULED,
    )
    # Set when the lesson was moved: where it stood in the pattern.
    moved_from_date = models.DateField(_("moved from date"), null=True, blank=True)
    moved_from_slot = models.ForeignKey(
        LessonSlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved from lesson"),
    )
    pattern = models.ForeignKey(
        WeeklySlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("weekly timetable line"),
    )
    sourced_id = models.CharField(max_length=255, blank=True, db_index=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["date", "slot__number"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            # Two lessons of one class cannot share a period; cancelled ones free it.
            models.UniqueConstraint(
                fields=["class_group", "date", "slot"],
                condition=~Q(status="cancelled"),
                name="one_lesson_per_class_period",
            ),
        ]
        indexes = [
            models.Index(fields=["class_group", "date"]),
            models.Index(fields=["class_group", "subject", "term"]),
            models.Index(fields=["teacher", "date"]),
            models.Index(fields=["substitute", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.class_group} {self.subject}"

    @property
    def given_by(self) -> User:
        """Who actually teaches it: the substitute if there is one."""
        return self.substitute or self.teacher


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret iCalendar URL; revoking it locks out its subscribers."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    # Whose timetable the feed shows: the user's own, or a child's for a parent.
    pupil = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pupil"),
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'active'})"
