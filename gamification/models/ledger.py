"""The points ledger: append-only entries, and one account row per pupil holding
the derived totals (kept in the same transaction as every entry)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    H5P = "h5p", _("Learning game")
    PRACTICE = "practice", _("Self-paced quiz")
    QUIZ_GAME = "quiz_game", _("Live quiz")
    HOMEWORK = "homework", _("Homework on time")
    TEACHER = "teacher", _("Teacher's award")
    REWARD = "reward", _("Reward bought")
    REVERSAL = "reversal", _("Reversed")


class Skill(models.Model):
    """A reason a teacher may award points for, as ClassDojo's skills: set per
    class (or for a whole school when `class_group` is empty)."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="skills"
    )
    class_group = models.ForeignKey(
        "school.ClassGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="skills",
    )
    name = models.CharField(_("name"), max_length=80)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """One movement of a pupil's points. Never updated or deleted: a mistake is
    undone by a REVERSAL entry pointing at it.

    `source_key` names the event that earned the points ("h5p:<attempt id>",
    "quiz:<game>:<question>", "teacher:<uuid>"); it is unique per pupil, so the
    same event delivered twice awards once.
    """

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source_key = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    # Spendable points: positive for awards, negative for purchases and reversals.
    amount = models.IntegerField()
    # Experience towards levels: awards add it, purchases do not take it away.
    xp = models.IntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True)
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where the points were earned: leaderboards are per class and school.
    class_group = models.ForeignKey(
        "school.ClassGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "source_key"], name="gamification_entry_source"
            )
        ]
        indexes = [
            models.Index(
                fields=["class_group", "created_at"], name="gamification_entry_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.amount:+d} {self.source_key}"


class PointsAccount(models.Model):
    """A pupil's derived totals, changed only together with a new entry.

    Purchases never take the balance below zero (checked under the row lock); a
    teacher reversing points already spent may, and the pupil earns them back.
    """

    pupil = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="points_account",
    )
    balance = models.IntegerField(default=0)
    xp = models.IntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")

    def __str__(self) -> str:
        return f"{self.pupil_id}: {self.balance}"
