"""Teams within a class, and a pupil's own gamification preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A team a teacher forms within a class, for the team leaderboard."""

    class_group = models.ForeignKey(
        "school.ClassGroup", on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    # The team's class repeated, so "one team per pupil in a class" is a constraint.
    class_group = models.ForeignKey(
        "school.ClassGroup", on_delete=models.CASCADE, related_name="+"
    )
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["class_group", "pupil"], name="gamification_one_team"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.pupil_id}"


class PupilGamificationSettings(models.Model):
    pupil = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="gamification_settings",
    )
    # Leaderboards show "Hidden" instead of the name to everyone but the pupil.
    hide_name = models.BooleanField(_("hide my name on leaderboards"), default=False)
    # The whole school's board names only pupils who chose it (opt-in): a child's
    # name before hundreds of strangers is the child's choice, not a default.
    show_name_in_school = models.BooleanField(
        _("show my name on the school's leaderboard"), default=False
    )

    class Meta:
        verbose_name = _("pupil's gamification settings")
        verbose_name_plural = _("pupils' gamification settings")

    def __str__(self) -> str:
        return f"{self.pupil_id}"
