"""Badges: declarative criteria a service checks after each award, the awards
(once per pupil), and each issuing school's signing key for Open Badges 3.0."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BadgeCriterion(models.TextChoices):
    POINTS_TOTAL = "points", _("Points earned in total")
    ACTIVITIES = "activities", _("Learning games and quizzes completed")
    STREAK = "streak", _("Longest daily streak")
    QUIZ_WINS = "quiz_wins", _("Live quizzes won")
    SUBJECT_MASTERY = "mastery", _("Points earned in a subject")


class BadgeShape(models.TextChoices):
    CIRCLE = "circle", _("Circle")
    SHIELD = "shield", _("Shield")
    STAR = "star", _("Star")
    HEXAGON = "hexagon", _("Hexagon")


class Badge(models.Model):
    """A badge of one school (or of the whole city when `school` is empty),
    earned when the pupil's `criterion` reaches `threshold`."""

    school = models.ForeignKey(
        "school.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="badges",
        verbose_name=_("school"),
        help_text=_("Empty: a badge for every school of the city."),
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    criterion = models.CharField(
        _("criterion"), max_length=12, choices=BadgeCriterion.choices
    )
    threshold = models.PositiveIntegerField(_("threshold"))
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject"),
        help_text=_("Only for the subject mastery criterion."),
    )
    colour = models.CharField(_("colour"), max_length=7, default="#2E7D32")
    shape = models.CharField(
        _("shape"), max_length=8, choices=BadgeShape.choices, default="circle"
    )
    # A 512×512 PNG, drawn by badge_art or re-encoded from an upload: small enough
    # for the row, and served without touching the media storage.
    art = models.BinaryField(editable=False, default=b"")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1), name="gamification_badge_threshold"
            ),
            models.CheckConstraint(
                condition=~Q(criterion="mastery") | Q(subject__isnull=False),
                name="gamification_badge_mastery_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    """A badge a pupil holds. Never deleted: a mistaken award is revoked, which
    its Open Badges credential then reports."""

    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The issuer of the credential: the badge's school, or for a city badge the
    # pupil's school when it was earned.
    school = models.ForeignKey(
        "school.School", on_delete=models.PROTECT, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    awarded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Salts the hash of the pupil's pseudonym in the credential (openbadges.py).
    recipient_salt = models.CharField(max_length=32)
    # Bit of the school's Bitstring Status List, given when first exported.
    status_index = models.PositiveIntegerField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "pupil"], name="gamification_award_once"
            ),
            models.UniqueConstraint(
                fields=["school", "status_index"], name="gamification_award_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} → {self.pupil_id}"


class BadgeIssuerKey(models.Model):
    """A school's key pair for signing credentials, made on first use.

    The private key is stored only encrypted with a key derived from
    BADGE_KEYS_SECRET (openbadges.py), a secret of its own so that rotating
    SECRET_KEY leaves issued badges alone; rotating BADGE_KEYS_SECRET needs the
    old one kept in BADGE_KEYS_SECRET_FALLBACKS.
    """

    school = models.OneToOneField(
        "school.School",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="badge_issuer_key",
    )
    algorithm = models.CharField(max_length=8, default="EdDSA")
    public_pem = models.TextField()
    private_encrypted = models.TextField()
    next_status_index = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge issuer key")
        verbose_name_plural = _("badge issuer keys")

    def __str__(self) -> str:
        return f"{self.school_id} {self.algorithm}"
