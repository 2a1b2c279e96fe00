"""What a pupil's activity builds up besides points: the daily streak."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Streak(models.Model):
    """Consecutive school-city days with at least one award.

    A freeze covers one missed day (as Duolingo's): it is used up automatically
    when the pupil comes back after a gap the freezes can bridge.
    """

    pupil = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="streak",
    )
    current = models.PositiveIntegerField(default=0)
    longest = models.PositiveIntegerField(default=0)
    last_day = models.DateField(null=True, blank=True)
    freezes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("streak")
        verbose_name_plural = _("streaks")

    def __str__(self) -> str:
        return f"{self.pupil_id}: {self.current}"
