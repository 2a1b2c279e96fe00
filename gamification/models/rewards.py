"""The rewards catalogue of a school and what pupils bought from it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RewardKind(models.TextChoices):
    STICKER = "sticker", _("Digital sticker")
    PRIVILEGE = "privilege", _("Privilege")


class Reward(models.Model):
    """Something a school's pupils may spend points on. `stock` empty = unlimited."""

    school = models.ForeignKey(
        "school.School", on_delete=models.CASCADE, related_name="rewards"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    price = models.PositiveIntegerField(_("price"))
    kind = models.CharField(
        _("kind"), max_length=12, choices=RewardKind.choices, default=RewardKind.STICKER
    )
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True)
    active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["price", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=1), name="gamification_reward_price"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PurchaseStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be handed out")
    GIVEN = "given", _("Handed out")


class RewardPurchase(models.Model):
    """A reward bought: the spending entry is in the ledger; a privilege waits
    until a teacher hands it out (a sticker is given at once)."""

    # The id the purchase form carried: the same form sent twice buys once.
    public_id = models.UUIDField(unique=True, default=uuid.uuid4)
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reward = models.ForeignKey(
        Reward, on_delete=models.PROTECT, related_name="purchases"
    )
    entry = models.OneToOneField(
        "gamification.PointsEntry", on_delete=models.PROTECT, related_name="purchase"
    )
    status = models.CharField(
        max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    given_at = models.DateTimeField(null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reward purchase")
        verbose_name_plural = _("reward purchases")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pupil_id}: {self.reward_id}"
